package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminRecords.KeypairPolicy;
import bai.scenarios.client.admin.KeypairPolicySpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
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
@Glossary(value = "Keypair resource policies", order = 60)
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

    @Glossary(value = "creates a modest keypair resource policy (5 concurrent sessions, 1 container per session,"
            + " 3600 s idle timeout)", sets = "the policy")
    @Given("a keypair resource policy")
    public void aPolicy() {
        scene.policy(fixtures.keypairPolicy(KeypairPolicySpec.modest()));
    }

    @Glossary(value = "creates a keypair resource policy from a table: `concurrent sessions`, `containers per"
            + " session`, `idle timeout` (seconds), or a storage host with its permissions; unnamed limits are the"
            + " modest ones", sets = "the policy")
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

    @Glossary(value = "someone creates a modest keypair resource policy with their own keypair", sets = "the policy")
    @When("{actor} {attempt}create(s) a keypair resource policy")
    public void creates(String actor, Attempt attempt) {
        KeypairPolicy created = outcome.make(attempt, () -> fixtures.keypairPolicy(KeypairPolicySpec.modest(),
                cast.actor(actor).client().admin()));
        if (created != null) {
            scene.policy(created);
        }
    }

    @Glossary(value = "changes how many sessions a keypair of the policy may run at once", reads = "the policy")
    @When("I {attempt}change the policy to allow {int} concurrent session(s)")
    public void changeConcurrency(Attempt attempt, int sessions) {
        outcome.make(attempt, () -> fixtures.admin().modifyKeypairPolicy(scene.policy().name(),
                Map.of("max_concurrent_sessions", sessions)));
    }

    @Glossary(value = "deletes the policy (refused while a keypair follows it)", reads = "the policy")
    @When("I {attempt}delete the policy")
    public void deletePolicy(Attempt attempt) {
        outcome.make(attempt, () -> fixtures.admin().deleteKeypairPolicy(scene.policy().name()));
    }

    @Glossary(value = "the policy is listed with these limits (same table as creating one)", reads = "the policy")
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

    @Glossary(value = "the policy is no longer listed", reads = "the policy")
    @Then("the policy no longer exists")
    public void noLongerExists() {
        assertThat(fixtures.admin().keypairPolicies()).extracting(KeypairPolicy::name)
                .doesNotContain(scene.policy().name());
    }

    private static boolean isLimit(String key) {
        return key.equals("concurrent sessions") || key.equals("containers per session") || key.equals("idle timeout");
    }
}
