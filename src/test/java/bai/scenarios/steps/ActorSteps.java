package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminRecords.Domain;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.DomainSpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.ProjectRef;
import io.cucumber.java.en.Given;

import java.util.List;
import java.util.Map;

/** Introduces the people of a scenario, creating the accounts (and places) they need. */
@Glossary(value = "People", order = 10)
public class ActorSteps {
    private final Cast cast;
    private final AdminFixtures fixtures;
    private final AdminScene scene;

    public ActorSteps(Cast cast, AdminFixtures fixtures, AdminScene scene) {
        this.cast = cast;
        this.fixtures = fixtures;
        this.scene = scene;
    }

    @Glossary(value = "a new user in a domain and project of her own (not \"the domain\"); her keypair signs"
            + " what she does", sets = "the person")
    @Given("{newActor}, a user in a new project")
    public void userInNewProject(String name) {
        var home = fixtures.domainWithProject(DomainSpec.standard("home of " + name), Map.of());
        cast.introduce(name, fixtures.user(home.domain().name(), "user", "active", List.of(home.project().id())));
    }

    @Glossary(value = "a new active user of the domain, in no project", reads = "the domain", sets = "the person")
    @Given("{newActor}, a user of the domain")
    public void userOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "user", "active", List.of()));
    }

    @Glossary(value = "a new active user of the domain, member of the project (or of both projects)",
            reads = "the domain, the project(s)", sets = "the person")
    @Given("{newActor}, a user of the domain in {projects}")
    public void userOfTheProjects(String name, ProjectRef projects) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "user", "active",
                projects.resolve(scene).stream().map(Project::id).toList()));
    }

    @Glossary(value = "a new active user of the domain, member of the latest project", reads = "the domain, the project",
            sets = "the person")
    @Given("{newActor}, a user of the domain in that project")
    public void userOfThatProject(String name) {
        userOfTheProjects(name, ProjectRef.LATEST);
    }

    @Glossary(value = "a new user of the domain whose status is inactive", reads = "the domain", sets = "the person")
    @Given("{newActor}, an inactive user of the domain")
    public void inactiveUserOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "user", "inactive", List.of()));
    }

    @Glossary(value = "a new admin of the domain (a domain admin)", reads = "the domain", sets = "the person")
    @Given("{newActor}, an admin of the domain")
    public void adminOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "admin", "active", List.of()));
    }

    @Glossary(value = "a new monitor of the domain (a read-only administrator), in no project", reads = "the domain",
            sets = "the person")
    @Given("{newActor}, a monitor of the domain")
    public void monitorOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "monitor", "active", List.of()));
    }

    @Glossary(value = "a new admin of a second, new domain", sets = "the person, the other domain")
    @Given("{newActor}, an admin of another domain")
    public void adminOfAnotherDomain(String name) {
        Domain other = fixtures.domain(DomainSpec.standard("another domain"));
        scene.otherDomain(other);
        cast.introduce(name, fixtures.user(other.name(), "admin", "active", List.of()));
    }
}
