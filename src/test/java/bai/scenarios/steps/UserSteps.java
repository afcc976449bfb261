package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Keypair;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.client.CallRefused;
import bai.scenarios.fixtures.AdminFixtures.NewUser;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about user accounts. */
@Glossary(value = "Users", order = 40)
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

    @Glossary(value = "someone creates a new active user with this role in the domain, with their own keypair",
            reads = "the domain", sets = "the new user")
    @When("{actor} {attempt}create(s) a(n) {role} in the domain")
    public void createUser(String actor, Attempt attempt, String role) {
        NewUser created = outcome.make(attempt, () -> fixtures.user(scene.domain().name(), role, "active", List.of(),
                cast.actor(actor).client().admin()));
        if (created != null) {
            scene.newUser(created);
        }
    }

    @Glossary(value = "creates a new user whose status is inactive", reads = "the domain", sets = "the new user")
    @When("I create an inactive user in the domain")
    public void createInactiveUser() {
        scene.newUser(fixtures.user(scene.domain().name(), "user", "inactive", List.of()));
    }

    @Glossary(value = "changes someone's full name", reads = "the person")
    @When("I {attempt}change {actor}'s full name to {string}")
    public void changeFullName(Attempt attempt, String actor, String fullName) {
        String email = cast.actor(actor).requireAccount().email();
        outcome.make(attempt, () -> admin().modifyUser(email, Map.of("full_name", fullName)));
    }

    @Glossary(value = "lists the domain's users whose status is the given one (`active`, `inactive`, `deleted`)",
            reads = "the domain", sets = "the list")
    @When("I list the domain's {string} users")
    public void listUsers(String status) {
        scene.listedUsers(outcome.make(Attempt.MUST_SUCCEED, () -> admin().users(scene.domain().name(), status)));
    }

    @Glossary(value = "deletes someone: their status becomes deleted and their keypairs inactive", reads = "the person")
    @When("I {attempt}delete {actor}")
    public void deleteUser(Attempt attempt, String actor) {
        String email = cast.actor(actor).requireAccount().email();
        outcome.make(attempt, () -> admin().deleteUser(email));
    }

    @Glossary(value = "removes someone for good", reads = "the person")
    @When("I {attempt}purge {actor}")
    public void purgeUser(Attempt attempt, String actor) {
        String email = cast.actor(actor).requireAccount().email();
        outcome.make(attempt, () -> admin().purgeUser(email));
    }

    @Glossary(value = "the new user's role", reads = "the new user")
    @Then("the new user has the role {string}")
    public void newUserHasRole(String role) {
        User user = admin().user(scene.newUser().email()).orElseThrow();
        assertThat(user.role()).isEqualTo(role);
    }

    @Glossary(value = "the new user has exactly one keypair, active and default, `with` or `without` the admin flag",
            reads = "the new user")
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

    @Glossary(value = "the new user's status", reads = "the new user")
    @Then("the new user's status is {string}")
    public void newUserStatus(String status) {
        assertThat(admin().user(scene.newUser().email()).orElseThrow().status()).isEqualTo(status);
    }

    @Glossary(value = "someone's full name", reads = "the person")
    @Then("{actor}'s full name reads {string}")
    public void fullNameReads(String actor, String fullName) {
        assertThat(userOf(actor).fullName()).isEqualTo(fullName);
    }

    @Glossary(value = "someone's status (`active`, `inactive`, `deleted`, …)", reads = "the person")
    @Then("{actor}'s status is {string}")
    public void statusIs(String actor, String status) {
        assertThat(userOf(actor).status()).isEqualTo(status);
    }

    @Glossary(value = "the listed users include the first person and not the second", reads = "the list")
    @Then("the list holds {actor} but not {actor}")
    public void listHolds(String present, String absent) {
        assertThat(scene.listedUsers()).extracting(User::email)
                .contains(cast.actor(present).requireAccount().email())
                .doesNotContain(cast.actor(absent).requireAccount().email());
    }

    @Glossary(value = "a call signed with someone's keypair is refused, for the given reason", reads = "the person")
    @Then("{actor}'s calls are refused {refusal}")
    public void callsRefused(String actor, Refusal refusal) {
        outcome.make(Attempt.MAY_BE_REFUSED, () -> cast.actor(actor).client().auth().verify());
        CallRefused rejection = outcome.rejection();
        assertThat(refusal.matches(rejection)).as("%s is a refusal %s", rejection.getMessage(), refusal.phrase())
                .isTrue();
    }

    @Glossary(value = "someone's account cannot be found any more", reads = "the person")
    @Then("{actor} no longer exists")
    public void noLongerExists(String actor) {
        assertThat(admin().user(cast.actor(actor).requireAccount().email())).isEmpty();
    }
}
