package bai.scenarios.steps;

import bai.scenarios.client.AuthApi.AuthCheck;
import bai.scenarios.client.transport.Forgery;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about proving who is calling: keypairs, signatures, clocks. */
public class AuthSteps {
    private final Cast cast;
    private final LastOutcome outcome;
    private final String echoToken = "echo-" + UUID.randomUUID();

    public AuthSteps(Cast cast, LastOutcome outcome) {
        this.cast = cast;
        this.outcome = outcome;
    }

    @Given("my clock is {clockDrift}")
    public void myClockIs(Duration drift) {
        cast.makeMyRequests(new Forgery.ClockSkew(drift));
    }

    @When("I check my credentials with the manager")
    public void iCheckMyCredentials() {
        outcome.record(() -> cast.me().client().auth().verify(echoToken));
    }

    @When("I check my credentials with a tampered signature")
    public void iCheckWithTamperedSignature() {
        outcome.record(() -> cast.me().client().withForgery(new Forgery.TamperedSignature()).auth().verify(echoToken));
    }

    @When("I check my credentials announcing the API version {string}")
    public void iCheckAnnouncingVersion(String version) {
        outcome.record(() -> cast.me().client().withForgery(new Forgery.ApiVersionHeader(version)).auth().verify());
    }

    @When("someone checks credentials the manager never issued")
    public void strangerChecksCredentials() {
        outcome.record(() -> cast.stranger().client().auth().verify(echoToken));
    }

    @When("someone checks credentials without signing the call")
    public void anonymousChecksCredentials() {
        outcome.record(() -> cast.me().client().withForgery(new Forgery.Unsigned()).auth().verify(echoToken));
    }

    @Then("the manager recognises me")
    public void managerRecognisesMe() {
        AuthCheck check = outcome.value(AuthCheck.class);
        assertThat(check.authorized()).as("authorised flag of %s", check).isTrue();
        assertThat(check.echo()).as("the manager echoes the token it was sent").isEqualTo(echoToken);
    }
}
