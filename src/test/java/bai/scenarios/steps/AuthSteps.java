package bai.scenarios.steps;

import bai.scenarios.client.AuthApi.AuthCheck;
import bai.scenarios.client.transport.Forgery;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about proving who is calling: keypairs, signatures, clocks. */
@Glossary(value = "Signing calls", order = 80)
public class AuthSteps {
    private final Cast cast;
    private final LastOutcome outcome;
    private final String echoToken = "echo-" + UUID.randomUUID();

    public AuthSteps(Cast cast, LastOutcome outcome) {
        this.cast = cast;
        this.outcome = outcome;
    }

    @Glossary(value = "from now on my calls carry a clock that far off the true time", sets = "my clock")
    @Given("my clock is {clockDrift}")
    public void myClockIs(Duration drift) {
        cast.makeMyRequests(new Forgery.ClockSkew(drift));
    }

    @Glossary(value = "the signed echo test: the manager says whether it recognises my keypair",
            sets = "the last call's outcome")
    @When("I {attempt}check my credentials with the manager")
    public void iCheckMyCredentials(Attempt attempt) {
        outcome.make(attempt, () -> cast.me().client().auth().verify(echoToken));
    }

    @Glossary(value = "the echo test with one character of the signature changed", sets = "the last call's outcome")
    @When("I {attempt}check my credentials with a tampered signature")
    public void iCheckWithTamperedSignature(Attempt attempt) {
        outcome.make(attempt, () -> cast.me().client().withForgery(new Forgery.TamperedSignature()).auth()
                .verify(echoToken));
    }

    @Glossary(value = "the echo test announcing another API version in X-BackendAI-Version",
            sets = "the last call's outcome")
    @When("I {attempt}check my credentials announcing the API version {string}")
    public void iCheckAnnouncingVersion(Attempt attempt, String version) {
        outcome.make(attempt, () -> cast.me().client().withForgery(new Forgery.ApiVersionHeader(version)).auth()
                .verify());
    }

    @Glossary(value = "the echo test signed with a well-formed keypair the manager never issued",
            sets = "the last call's outcome")
    @When("someone {attempt}check(s) credentials the manager never issued")
    public void strangerChecksCredentials(Attempt attempt) {
        outcome.make(attempt, () -> cast.stranger().client().auth().verify(echoToken));
    }

    @Glossary(value = "the echo test without any Authorization header", sets = "the last call's outcome")
    @When("someone {attempt}check(s) credentials without signing the call")
    public void anonymousChecksCredentials(Attempt attempt) {
        outcome.make(attempt, () -> cast.me().client().withForgery(new Forgery.Unsigned()).auth().verify(echoToken));
    }

    @Glossary(value = "the last credentials check (by anyone, with any of her keypairs) was authorised",
            reads = "the last call's outcome")
    @Then("the manager recognises her/him/them")
    public void managerRecognisesThem() {
        AuthCheck check = outcome.value(AuthCheck.class);
        assertThat(check.authorized()).as("authorised flag of %s", check).isTrue();
    }

    @Glossary(value = "the last echo test was authorised and echoed what it was sent", reads = "the last call's outcome")
    @Then("the manager recognises me")
    public void managerRecognisesMe() {
        AuthCheck check = outcome.value(AuthCheck.class);
        assertThat(check.authorized()).as("authorised flag of %s", check).isTrue();
        assertThat(check.echo()).as("the manager echoes the token it was sent").isEqualTo(echoToken);
    }
}
