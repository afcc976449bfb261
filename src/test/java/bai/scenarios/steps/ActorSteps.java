package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminRecords.Domain;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.DomainSpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import io.cucumber.java.en.Given;

import java.util.List;
import java.util.Map;

/** Introduces the people of a scenario, creating the accounts (and places) they need. */
public class ActorSteps {
    private final Cast cast;
    private final AdminFixtures fixtures;
    private final AdminScene scene;

    public ActorSteps(Cast cast, AdminFixtures fixtures, AdminScene scene) {
        this.cast = cast;
        this.fixtures = fixtures;
        this.scene = scene;
    }

    @Given("{newActor}, a user in a new project")
    public void userInNewProject(String name) {
        Domain domain = fixtures.domain(DomainSpec.standard("home of " + name));
        Project project = fixtures.project(domain.name(), Map.of());
        cast.introduce(name, fixtures.user(domain.name(), "user", "active", List.of(project.id())));
    }

    @Given("{newActor}, a user of the domain")
    public void userOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "user", "active", List.of()));
    }

    @Given("{newActor}, a user of the domain in that project")
    public void userOfTheProject(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "user", "active", List.of(scene.project().id())));
    }

    @Given("{newActor}, an inactive user of the domain")
    public void inactiveUserOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "user", "inactive", List.of()));
    }

    @Given("{newActor}, an admin of the domain")
    public void adminOfTheDomain(String name) {
        cast.introduce(name, fixtures.user(scene.domain().name(), "admin", "active", List.of()));
    }

    @Given("{newActor}, an admin of another domain")
    public void adminOfAnotherDomain(String name) {
        Domain other = fixtures.domain(DomainSpec.standard("another domain"));
        cast.introduce(name, fixtures.user(other.name(), "admin", "active", List.of()));
    }
}
