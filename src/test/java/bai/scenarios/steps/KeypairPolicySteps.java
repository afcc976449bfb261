package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminRecords.KeypairPolicy;
import bai.scenarios.client.admin.KeypairPolicySpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps about keypair resource policies. Limits tables name a limit per row ("concurrent
 * sessions", "containers per session", "idle timeout") or a storage host with its permissions.
 */
public class KeypairPolicySteps {
    private final AdminFixtures fixtures;
    private final AdminScene scene;
    private final LastOutcome outcome;
    private final Cast cast;

    public KeypairPolicySteps(AdminFixtures fixtures, AdminScene scene, LastOutcome outcome, Cast cast) {
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
        this.cast = cast;
    }

    @Given("a keypair resource policy")
    public void aPolicy() {
        scene.policy(fixtures.keypairPolicy(KeypairPolicySpec.modest()));
    }

    @When("I create a keypair resource policy allowing:")
    public void createPolicy(Map<String, String> limits) {
        KeypairPolicySpec modest = KeypairPolicySpec.modest();
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        limits.forEach((key, value) -> {
            if (!isLimit(key)) {
                hosts.put(key, Arrays.stream(value.split(",")).map(String::trim).toList());
            }
        });
        scene.policy(fixtures.keypairPolicy(new KeypairPolicySpec(
                Integer.parseInt(limits.getOrDefault("concurrent sessions", String.valueOf(modest.maxConcurrentSessions()))),
                Integer.parseInt(limits.getOrDefault("containers per session",
                        String.valueOf(modest.maxContainersPerSession()))),
                Long.parseLong(limits.getOrDefault("idle timeout", String.valueOf(modest.idleTimeoutSeconds()))),
                Map.of(), hosts)));
    }

    @When("{actor} tries to create a keypair resource policy")
    public void triesToCreate(String actor) {
        outcome.record(() -> fixtures.keypairPolicy(KeypairPolicySpec.modest(), cast.actor(actor).client().admin()));
    }

    @When("I change the policy to allow {int} concurrent sessions")
    public void changeConcurrency(int sessions) {
        fixtures.admin().modifyKeypairPolicy(scene.policy().name(), Map.of("max_concurrent_sessions", sessions));
    }

    @When("I delete the policy")
    public void deletePolicy() {
        fixtures.admin().deleteKeypairPolicy(scene.policy().name());
    }

    @Then("the policy is listed with:")
    public void listedWith(Map<String, String> limits) {
        KeypairPolicy policy = fixtures.admin().keypairPolicies().stream()
                .filter(p -> p.name().equals(scene.policy().name())).findFirst()
                .orElseThrow(() -> new AssertionError("policy " + scene.policy().name() + " is not listed"));
        limits.forEach((key, value) -> {
            switch (key) {
                case "concurrent sessions" -> assertThat(policy.maxConcurrentSessions()).as(key)
                        .isEqualTo(Integer.parseInt(value));
                case "containers per session" -> assertThat(policy.maxContainersPerSession()).as(key)
                        .isEqualTo(Integer.parseInt(value));
                case "idle timeout" -> assertThat(policy.idleTimeout()).as(key).isEqualTo(Long.parseLong(value));
                default -> assertThat(policy.allowedVfolderHosts().get(key)).as("permissions on %s", key)
                        .containsExactlyInAnyOrderElementsOf(Arrays.stream(value.split(",")).map(String::trim).toList());
            }
        });
    }

    @Then("the policy no longer exists")
    public void noLongerExists() {
        assertThat(fixtures.admin().keypairPolicies()).extracting(KeypairPolicy::name)
                .doesNotContain(scene.policy().name());
    }

    private static boolean isLimit(String key) {
        return key.equals("concurrent sessions") || key.equals("containers per session") || key.equals("idle timeout");
    }
}
