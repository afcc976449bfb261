package bai.scenarios.steps;

import bai.scenarios.client.AuthApi.Login;
import bai.scenarios.client.AuthApi.Roles;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.fixtures.AdminFixtures.NewUser;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about signing in with a password and asking for one's roles. */
@Glossary(value = "Signing in and roles", order = 85)
public class LoginSteps {
    private final Cast cast;
    private final LastOutcome outcome;
    private final AdminFixtures fixtures;

    public LoginSteps(Cast cast, LastOutcome outcome, AdminFixtures fixtures) {
        this.cast = cast;
        this.outcome = outcome;
        this.fixtures = fixtures;
    }

    private ManagerClient anonymous() {
        // Signing in is a public call: any client will do, the manager ignores its signature.
        return cast.me().client();
    }

    @Glossary(value = "someone signs in with her e-mail address and password", reads = "the person",
            sets = "the last call's outcome")
    @When("{actor} {attempt}sign(s) in with her/his/their/my password")
    public void signsIn(String actor, Attempt attempt) {
        NewUser account = cast.actor(actor).requireAccount();
        outcome.make(attempt, () -> anonymous().auth().authorize(account.created().user().domainName(),
                account.email(), account.password()));
    }

    @Glossary(value = "someone signs in with her e-mail address and password, asking the manager to end her oldest"
            + " sign-in if her user resource policy allows no more at a time", reads = "the person",
            sets = "the last call's outcome")
    @When("{actor} {attempt}sign(s) in with her/his/their/my password, ending her/his/their/my oldest sign-in")
    public void signsInForcing(String actor, Attempt attempt) {
        NewUser account = cast.actor(actor).requireAccount();
        outcome.make(attempt, () -> anonymous().auth().authorize(account.created().user().domainName(),
                account.email(), account.password(), true));
    }

    @Glossary(value = "someone signs in with her e-mail address and a wrong password", reads = "the person",
            sets = "the last call's outcome")
    @When("{actor} {attempt}sign(s) in with a wrong password")
    public void signsInWrongly(String actor, Attempt attempt) {
        NewUser account = cast.actor(actor).requireAccount();
        outcome.make(attempt, () -> anonymous().auth().authorize(account.created().user().domainName(),
                account.email(), account.password() + "-wrong"));
    }

    @Glossary(value = "someone's account status is set to inactive", reads = "the person")
    @Given("{actor}'s account has been deactivated")
    public void deactivated(String actor) {
        fixtures.admin().modifyUser(cast.actor(actor).requireAccount().email(), Map.of("status", "inactive"));
    }

    @Glossary(value = "the sign-in answered with the person's default keypair and role; from now on she signs with it",
            reads = "the last call's outcome, the last person named")
    @Then("she/he/they receive(s) her/his/their keypair")
    public void receivesKeypair() {
        Login login = outcome.value(Login.class);
        NewUser account = cast.actor("she").requireAccount();
        assertThat(login.keypair().accessKey()).isEqualTo(account.created().keypair().accessKey());
        assertThat(login.role()).isEqualTo(account.created().user().role());
        cast.rekey(cast.actor("she").name(), login.keypair());
    }

    @Glossary(value = "the last person named is recognised when she signs with the keypair she received",
            reads = "the last person named")
    @Then("calls signed with it are recognised")
    public void callsRecognised() {
        assertThat(cast.actor("she").client().auth().verify().authorized()).isTrue();
    }

    @Glossary(value = "someone asks the manager for her global and domain roles", reads = "the person",
            sets = "the last call's outcome")
    @When("{actor} {attempt}ask(s) for her/his/their/my roles")
    public void asksForRoles(String actor, Attempt attempt) {
        outcome.make(attempt, () -> cast.actor(actor).client().auth().roles());
    }

    @Glossary(value = "the roles the manager answered: global role, then the role in the domain",
            reads = "the last call's outcome")
    @Then("she/he/they/I is/are/am a(n) {string} globally and a(n) {string} in her/his/their/my domain")
    public void roles(String global, String domain) {
        Roles roles = outcome.value(Roles.class);
        assertThat(roles.global()).as("global role").isEqualTo(global);
        assertThat(roles.domain()).as("domain role").isEqualTo(domain);
    }
}
