package bai.scenarios.steps;

import bai.scenarios.client.ManagerInfoApi.Health;
import bai.scenarios.client.ManagerInfoApi.ManagerVersion;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about what the manager says of itself: API version, release, health. */
public class ManagerInfoSteps {
    private final Cast cast;
    private final LastOutcome outcome;

    public ManagerInfoSteps(Cast cast, LastOutcome outcome) {
        this.cast = cast;
        this.outcome = outcome;
    }

    @When("I ask the manager which API version it speaks")
    public void askVersion() {
        outcome.record(() -> cast.me().client().info().version());
    }

    @When("I check the manager's health")
    public void checkHealth() {
        outcome.record(() -> cast.me().client().info().health());
    }

    @Then("it speaks API version {string}")
    public void speaksApiVersion(String expected) {
        assertThat(outcome.value(ManagerVersion.class).apiVersion()).isEqualTo(expected);
    }

    @Then("it names its release")
    public void namesItsRelease() {
        // A PEP 440 release such as 26.8.0rc1, optionally with a local label.
        assertThat(outcome.value(ManagerVersion.class).managerVersion()).matches("\\d+\\.\\d+\\.\\d+\\S*");
    }

    @Then("the manager reports that it is alive and ready")
    public void aliveAndReady() {
        Health health = outcome.value(Health.class);
        assertThat(health.status()).as("status of %s", health).isEqualTo("ok");
        assertThat(health.livenessStatus()).as("liveness probe status").isEqualTo(200);
        assertThat(health.readinessStatus()).as("readiness probe status").isEqualTo(200);
    }

    @Then("its health report names the same release as its version")
    public void healthNamesSameRelease() {
        Health health = outcome.value(Health.class);
        assertThat(health.version()).isEqualTo(cast.me().client().info().version().managerVersion());
    }
}
