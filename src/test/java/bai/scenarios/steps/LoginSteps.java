package bai.scenarios.steps;

import bai.scenarios.client.AuthApi.Login;
import bai.scenarios.client.AuthApi.Roles;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.fixtures.AdminFixtures.NewUser;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about signing in with a password and asking for one's roles. */
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

    @When("{actor} signs in with her/his/their password")
    public void signsIn(String actor) {
        NewUser account = cast.actor(actor).requireAccount();
        outcome.record(() -> anonymous().auth().authorize(account.created().user().domainName(), account.email(),
                account.password()));
    }

    @When("{actor} signs in with a wrong password")
    public void signsInWrongly(String actor) {
        NewUser account = cast.actor(actor).requireAccount();
        outcome.record(() -> anonymous().auth().authorize(account.created().user().domainName(), account.email(),
                account.password() + "-wrong"));
    }

    @Given("{actor}'s account has been deactivated")
    public void deactivated(String actor) {
        fixtures.admin().modifyUser(cast.actor(actor).requireAccount().email(), Map.of("status", "inactive"));
    }

    @Then("she/he/they receive(s) her/his/their keypair")
    public void receivesKeypair() {
        Login login = outcome.value(Login.class);
        NewUser account = cast.actor("she").requireAccount();
        assertThat(login.keypair().accessKey()).isEqualTo(account.created().keypair().accessKey());
        assertThat(login.role()).isEqualTo(account.created().user().role());
        cast.rekey(cast.actor("she").name(), login.keypair());
    }

    @Then("calls signed with it are recognised")
    public void callsRecognised() {
        assertThat(cast.actor("she").client().auth().verify().authorized()).isTrue();
    }

    @When("{actor} asks for her/his/their roles")
    public void asksForRoles(String actor) {
        outcome.record(() -> cast.actor(actor).client().auth().roles());
    }

    @Then("she/he/they is/are a(n) {string} globally and a(n) {string} in her/his/their domain")
    public void roles(String global, String domain) {
        Roles roles = outcome.value(Roles.class);
        assertThat(roles.global()).as("global role").isEqualTo(global);
        assertThat(roles.domain()).as("domain role").isEqualTo(domain);
    }
}
