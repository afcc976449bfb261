package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about projects (the manager's groups) and their members. */
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

    @Given("a project in the domain")
    @When("I create a project in the domain")
    public void aProject() {
        scene.project(fixtures.project(scene.domain().name(), Map.of("description", "created by bai-scenarios")));
    }

    @When("{actor} creates a project in the domain")
    public void actorCreatesProject(String actor) {
        scene.project(fixtures.project(scene.domain().name(), Map.of(), cast.actor(actor).client().admin()));
    }

    @When("{actor} tries to create a project in the domain")
    public void actorTriesToCreateProject(String actor) {
        outcome.record(() -> fixtures.project(scene.domain().name(), Map.of(), cast.actor(actor).client().admin()));
    }

    @When("I change the project's description to {string}")
    public void changeDescription(String description) {
        admin().modifyProject(scene.project().id(), Map.of("description", description));
    }

    @When("I add {actor} to the project")
    public void addMember(String actor) {
        admin().addMembers(scene.project().id(), List.of(cast.actor(actor).requireAccount().created().user().uuid()));
    }

    @When("I remove {actor} from the project")
    public void removeMember(String actor) {
        admin().removeMembers(scene.project().id(), List.of(cast.actor(actor).requireAccount().created().user().uuid()));
    }

    @When("I delete the project")
    public void deleteProject() {
        admin().deleteProject(scene.project().id());
    }

    @When("I purge the project")
    public void purgeProject() {
        outcome.record(() -> admin().purgeProject(scene.project().id()));
    }

    @Then("the project is listed among the domain's projects")
    public void listed() {
        assertThat(admin().projects(scene.domain().name())).extracting(Project::name).contains(scene.project().name());
    }

    @Then("the project is a general project")
    public void general() {
        assertThat(current().type()).isEqualTo("GENERAL");
    }

    @Then("the project's description reads {string}")
    public void descriptionReads(String description) {
        assertThat(current().description()).isEqualTo(description);
    }

    @Then("{actor} is a member of the project")
    public void isMember(String actor) {
        assertThat(admin().membersOf(scene.project().id())).extracting(User::email)
                .contains(cast.actor(actor).requireAccount().email());
    }

    @Then("{actor} is not a member of the project")
    public void isNotMember(String actor) {
        assertThat(admin().membersOf(scene.project().id())).extracting(User::email)
                .doesNotContain(cast.actor(actor).requireAccount().email());
    }

    @Then("the project is inactive")
    public void inactive() {
        assertThat(current().isActive()).as("is_active of %s", scene.project().name()).isFalse();
    }

    @Then("the project no longer exists")
    public void noLongerExists() {
        outcome.requireSuccess();
        assertThat(admin().project(scene.project().id())).isEmpty();
    }
}
