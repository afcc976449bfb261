package bai.scenarios.steps;

import bai.scenarios.client.ManagerInfoApi.Health;
import bai.scenarios.client.ManagerInfoApi.ManagerVersion;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about what the manager says of itself: API version, release, health. */
@Glossary(value = "The manager itself", order = 90)
public class ManagerInfoSteps {
    private final Cast cast;
    private final LastOutcome outcome;

    public ManagerInfoSteps(Cast cast, LastOutcome outcome) {
        this.cast = cast;
        this.outcome = outcome;
    }

    @Glossary(value = "asks the manager for its API version and release (GET /)", sets = "the last call's outcome")
    @When("I ask the manager which API version it speaks")
    public void askVersion() {
        outcome.make(Attempt.MUST_SUCCEED, () -> cast.me().client().info().version());
    }

    @Glossary(value = "asks the manager for its health and its liveness and readiness probes",
            sets = "the last call's outcome")
    @When("I check the manager's health")
    public void checkHealth() {
        outcome.make(Attempt.MUST_SUCCEED, () -> cast.me().client().info().health());
    }

    @Glossary(value = "the API version the manager answered", reads = "the last call's outcome")
    @Then("it speaks API version {string}")
    public void speaksApiVersion(String expected) {
        assertThat(outcome.value(ManagerVersion.class).apiVersion()).isEqualTo(expected);
    }

    @Glossary(value = "the manager named a release such as 26.8.0rc1", reads = "the last call's outcome")
    @Then("it names its release")
    public void namesItsRelease() {
        // A PEP 440 release such as 26.8.0rc1, optionally with a local label.
        assertThat(outcome.value(ManagerVersion.class).managerVersion()).matches("\\d+\\.\\d+\\.\\d+\\S*");
    }

    @Glossary(value = "the health report says ok, and both probes answer 200", reads = "the last call's outcome")
    @Then("the manager reports that it is alive and ready")
    public void aliveAndReady() {
        Health health = outcome.value(Health.class);
        assertThat(health.status()).as("status of %s", health).isEqualTo("ok");
        assertThat(health.livenessStatus()).as("liveness probe status").isEqualTo(200);
        assertThat(health.readinessStatus()).as("readiness probe status").isEqualTo(200);
    }

    @Glossary(value = "the health report's release equals the one GET / names", reads = "the last call's outcome")
    @Then("its health report names the same release as its version")
    public void healthNamesSameRelease() {
        Health health = outcome.value(Health.class);
        assertThat(health.version()).isEqualTo(cast.me().client().info().version().managerVersion());
    }
}
