package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.ProjectRef;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about projects (the manager's groups) and their members. */
@Glossary(value = "Projects", order = 30)
public class ProjectSteps {
    private final AdminFixtures fixtures;
    private final AdminScene scene;
    private final LastOutcome outcome;
    private final Cast cast;

    public ProjectSteps(AdminFixtures fixtures, AdminScene scene, LastOutcome outcome, Cast cast) {
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
        this.cast = cast;
    }

    private AdminApi admin() {
        return fixtures.admin();
    }

    private Project current() {
        return admin().project(scene.project().id())
                .orElseThrow(() -> new AssertionError("project " + scene.project().name() + " does not exist"));
    }

    @Glossary(value = "creates a new project in the domain", reads = "the domain", sets = "the project")
    @Given("a project in the domain")
    public void aProject() {
        scene.project(fixtures.project(scene.domain().name(), Map.of("description", "created by bai-scenarios")));
    }

    @Glossary(value = "creates two new projects in the domain", reads = "the domain",
            sets = "the first project, the second project (also \"the project\")")
    @Given("two projects in the domain")
    public void twoProjects() {
        aProject();
        aProject();
    }

    @Glossary(value = "someone creates a new project in the domain with their own keypair", reads = "the domain",
            sets = "the project")
    @When("{actor} {attempt}create(s) a project in the domain")
    public void createsProject(String actor, Attempt attempt) {
        Project created = outcome.make(attempt, () -> fixtures.project(scene.domain().name(),
                Map.of("description", "created by bai-scenarios"), cast.actor(actor).client().admin()));
        if (created != null) {
            scene.project(created);
        }
    }

    @Glossary(value = "changes the project's description", reads = "the project")
    @When("I {attempt}change the project's description to {string}")
    public void changeDescription(Attempt attempt, String description) {
        outcome.make(attempt, () -> admin().modifyProject(scene.project().id(), Map.of("description", description)));
    }

    @Glossary(value = "makes someone a member of the project(s)", reads = "the project(s), the person")
    @When("I {attempt}add {actor} to {projects}")
    public void addMember(Attempt attempt, String actor, ProjectRef projects) {
        UUID user = uuid(actor);
        outcome.make(attempt, () -> projects.resolve(scene).forEach(p -> admin().addMembers(p.id(), List.of(user))));
    }

    @Glossary(value = "ends someone's membership of the project(s)", reads = "the project(s), the person")
    @When("I {attempt}remove {actor} from {projects}")
    public void removeMember(Attempt attempt, String actor, ProjectRef projects) {
        UUID user = uuid(actor);
        outcome.make(attempt, () -> projects.resolve(scene).forEach(p -> admin().removeMembers(p.id(), List.of(user))));
    }

    @Glossary(value = "deletes the project, which the manager does by deactivating it", reads = "the project")
    @When("I {attempt}delete the project")
    public void deleteProject(Attempt attempt) {
        outcome.make(attempt, () -> admin().deleteProject(scene.project().id()));
    }

    @Glossary(value = "removes the project for good (refused while a session runs in it)", reads = "the project")
    @When("I {attempt}purge the project")
    public void purgeProject(Attempt attempt) {
        outcome.make(attempt, () -> admin().purgeProject(scene.project().id()));
    }

    @Glossary(value = "the project appears among the domain's projects", reads = "the domain, the project")
    @Then("the project is listed among the domain's projects")
    public void listed() {
        assertThat(admin().projects(scene.domain().name())).extracting(Project::name).contains(scene.project().name());
    }

    @Glossary(value = "the project's type is GENERAL (not a model store)", reads = "the project")
    @Then("the project is a general project")
    public void general() {
        assertThat(current().type()).isEqualTo("GENERAL");
    }

    @Glossary(value = "the project's description", reads = "the project")
    @Then("the project's description reads {string}")
    public void descriptionReads(String description) {
        assertThat(current().description()).isEqualTo(description);
    }

    @Glossary(value = "someone is among the members of the project(s)", reads = "the project(s), the person")
    @Then("{actor} is a member of {projects}")
    public void isMember(String actor, ProjectRef projects) {
        String email = cast.actor(actor).requireAccount().email();
        for (Project project : projects.resolve(scene)) {
            assertThat(admin().membersOf(project.id())).as("members of %s", project.name()).extracting(User::email)
                    .contains(email);
        }
    }

    @Glossary(value = "someone is not among the members of the project(s)", reads = "the project(s), the person")
    @Then("{actor} is not a member of {projects}")
    public void isNotMember(String actor, ProjectRef projects) {
        String email = cast.actor(actor).requireAccount().email();
        for (Project project : projects.resolve(scene)) {
            assertThat(admin().membersOf(project.id())).as("members of %s", project.name()).extracting(User::email)
                    .doesNotContain(email);
        }
    }

    @Glossary(value = "the project is inactive", reads = "the project")
    @Then("the project is inactive")
    public void inactive() {
        assertThat(current().isActive()).as("is_active of %s", scene.project().name()).isFalse();
    }

    @Glossary(value = "the project cannot be found any more", reads = "the project")
    @Then("the project no longer exists")
    public void noLongerExists() {
        assertThat(admin().project(scene.project().id())).isEmpty();
    }

    private UUID uuid(String actor) {
        return cast.actor(actor).requireAccount().created().user().uuid();
    }
}
