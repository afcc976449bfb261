package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Keypair;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about user accounts. */
public class UserSteps {
    private final AdminFixtures fixtures;
    private final AdminScene scene;
    private final LastOutcome outcome;
    private final Cast cast;

    public UserSteps(AdminFixtures fixtures, AdminScene scene, LastOutcome outcome, Cast cast) {
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
        this.cast = cast;
    }

    private AdminApi admin() {
        return fixtures.admin();
    }

    private User userOf(String actor) {
        String email = cast.actor(actor).requireAccount().email();
        return admin().user(email).orElseThrow(() -> new AssertionError("user " + email + " does not exist"));
    }

    @When("I create a(n) {role} in the domain")
    public void createUser(String role) {
        scene.newUser(fixtures.user(scene.domain().name(), role, "active", List.of()));
    }

    @When("I create an inactive user in the domain")
    public void createInactiveUser() {
        scene.newUser(fixtures.user(scene.domain().name(), "user", "inactive", List.of()));
    }

    @When("{actor} tries to create a user in the domain")
    public void triesToCreateUser(String actor) {
        outcome.record(() -> fixtures.user(scene.domain().name(), "user", "active", List.of(),
                cast.actor(actor).client().admin()));
    }

    @When("I change {actor}'s full name to {string}")
    public void changeFullName(String actor, String fullName) {
        admin().modifyUser(cast.actor(actor).requireAccount().email(), Map.of("full_name", fullName));
    }

    @When("I list the domain's {string} users")
    public void listUsers(String status) {
        scene.listedUsers(admin().users(scene.domain().name(), status));
    }

    @When("I delete {actor}")
    public void deleteUser(String actor) {
        admin().deleteUser(cast.actor(actor).requireAccount().email());
    }

    @When("I purge {actor}")
    public void purgeUser(String actor) {
        admin().purgeUser(cast.actor(actor).requireAccount().email());
    }

    @Then("the new user has the role {string}")
    public void newUserHasRole(String role) {
        User user = admin().user(scene.newUser().email()).orElseThrow();
        assertThat(user.role()).isEqualTo(role);
    }

    @Then("the new user has an active default keypair {word} the admin flag")
    public void newUserHasKeypair(String withOrWithout) {
        List<Keypair> keypairs = admin().keypairsOf(scene.newUser().email());
        assertThat(keypairs).as("keypairs of the new user").hasSize(1);
        Keypair keypair = keypairs.get(0);
        assertThat(keypair.accessKey()).isEqualTo(scene.newUser().created().keypair().accessKey());
        assertThat(keypair.isActive()).as("active").isTrue();
        assertThat(keypair.isDefault()).as("default").isTrue();
        assertThat(keypair.isAdmin()).as("admin flag").isEqualTo(withOrWithout.equals("with"));
    }

    @Then("the new user's status is {string}")
    public void newUserStatus(String status) {
        assertThat(admin().user(scene.newUser().email()).orElseThrow().status()).isEqualTo(status);
    }

    @Then("{actor}'s full name reads {string}")
    public void fullNameReads(String actor, String fullName) {
        assertThat(userOf(actor).fullName()).isEqualTo(fullName);
    }

    @Then("{actor}'s status is {string}")
    public void statusIs(String actor, String status) {
        assertThat(userOf(actor).status()).isEqualTo(status);
    }

    @Then("the list holds {actor} but not {actor}")
    public void listHolds(String present, String absent) {
        assertThat(scene.listedUsers()).extracting(User::email)
                .contains(cast.actor(present).requireAccount().email())
                .doesNotContain(cast.actor(absent).requireAccount().email());
    }

    @Then("{actor}'s calls are refused as unauthenticated")
    public void callsRefused(String actor) {
        outcome.record(() -> cast.actor(actor).client().auth().verify());
        assertThat(Refusal.UNAUTHENTICATED.matches(outcome.rejection())).as(outcome.rejection().getMessage()).isTrue();
    }

    @Then("{actor} no longer exists")
    public void noLongerExists(String actor) {
        assertThat(admin().user(cast.actor(actor).requireAccount().email())).isEmpty();
    }
}
