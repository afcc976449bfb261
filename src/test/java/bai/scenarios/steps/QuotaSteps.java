package bai.scenarios.steps;

import bai.scenarios.client.admin.KeypairPolicySpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.Cast;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import org.awaitility.Awaitility;

import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps about the limits an administrator sets on a user's keypair (its resource policy): what
 * the manager refuses at once, what it keeps waiting and why, and what it ends while running.
 */
@Glossary(value = "Quotas: keypair limits and what they do", order = 56)
public class QuotaSteps {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Cast cast;
    private final AdminFixtures admin;
    private final SessionScene scene;

    public QuotaSteps(Cast cast, AdminFixtures admin, SessionScene scene) {
        this.cast = cast;
        this.admin = admin;
        this.scene = scene;
    }

    @Glossary(value = "someone's keypair moves to a new policy: this many sessions at once, and at most this many"
            + " more waiting (PENDING) in the queue; one more is refused `as over quota`", reads = "the person")
    @Given("{actor}'s keypair allows {int} concurrent session(s) and {int} waiting session(s)")
    public void allowsWaiting(String actor, int running, int waiting) {
        follow(actor, new KeypairPolicySpec(running, 1, 3600, Map.of(), Map.of()),
                Map.of("max_pending_session_count", waiting));
    }

    @Glossary(value = "someone's keypair moves to a new policy: this many sessions at once, and her waiting"
            + " (PENDING) sessions together may ask for at most this many CPUs", reads = "the person")
    @Given("{actor}'s keypair allows {int} concurrent session(s) and {int} CPU(s) for waiting sessions")
    public void allowsWaitingCpus(String actor, int running, int cpus) {
        follow(actor, new KeypairPolicySpec(running, 1, 3600, Map.of(), Map.of()),
                Map.of("max_pending_session_resource_slots", "{\"cpu\": \"" + cpus + "\"}"));
    }

    @Glossary(value = "someone's keypair moves to a new policy ending sessions in which no code ran for this many"
            + " seconds (the manager's idle timeout)", reads = "the person")
    @Given("{actor}'s keypair ends sessions idle for {int} second(s)")
    public void idleTimeout(String actor, int seconds) {
        follow(actor, new KeypairPolicySpec(5, 1, seconds, Map.of(), Map.of()), Map.of());
    }

    @Glossary(value = "someone's keypair moves to a new policy ending every session this many seconds after it"
            + " started (the manager's maximum session lifetime)", reads = "the person")
    @Given("{actor}'s keypair lets a session live for at most {int} second(s)")
    public void lifetime(String actor, int seconds) {
        follow(actor, new KeypairPolicySpec(5, 1, 3600, Map.of(), Map.of()),
                Map.of("max_session_lifetime", seconds));
    }

    @Glossary(value = "I (a superadmin) change the policy someone's keypair follows to allow this many sessions"
            + " at once", reads = "the person")
    @When("I raise {actor}'s limit to {int} concurrent sessions")
    public void raiseConcurrency(String actor, int sessions) {
        change(actor, Map.of("max_concurrent_sessions", sessions));
    }

    @Glossary(value = "I (a superadmin) change the policy someone's keypair follows to allow this many waiting"
            + " (PENDING) sessions", reads = "the person")
    @When("I raise {actor}'s limit to {int} waiting sessions")
    public void raiseWaiting(String actor, int waiting) {
        change(actor, Map.of("max_pending_session_count", waiting));
    }

    @Glossary(value = "I (a superadmin) change the policy someone's keypair follows to allow this many CPUs and"
            + " this much memory for all of her sessions together", reads = "the person")
    @When("I raise {actor}'s limit to {int} CPUs and {int} GiB of memory in total")
    public void raiseTotal(String actor, int cpus, int gib) {
        change(actor, Map.of("total_resource_slots", "{\"cpu\": \"" + cpus + "\", \"mem\": \""
                + BigInteger.valueOf(gib).shiftLeft(30) + "\"}"));
    }

    @Glossary(value = "the latest session stays PENDING and the scheduling history (read by me, a superadmin)"
            + " says why, in the scheduler's words, e.g. `You cannot run more than 1 concurrent sessions`,"
            + " `Your default-keypair resource quota is exceeded.`; the session itself carries no error",
            reads = "the session")
    @Then("the scheduler keeps the session waiting because {string}")
    public void keptWaiting(String reason) {
        OwnedSession session = scene.latest();
        AtomicReference<String> seen = new AtomicReference<>("nothing yet");
        Awaitility.await("the scheduler's reason for keeping session " + session.id() + " waiting")
                .atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .failFast("the session left PENDING", () -> !status(session).equals("PENDING"))
                .untilAsserted(() -> {
                    Optional<String> failure = cast.me().client().schedulingHistory().lastFailure(session.id());
                    seen.set(failure.orElse("no failure recorded"));
                    assertThat(failure).as("last scheduling failure of %s (status %s)", session.id(),
                            status(session)).hasValueSatisfying(text -> assertThat(text).contains(reason));
                });
    }

    private String status(OwnedSession session) {
        return cast.actor(session.owner()).client().sessions().info(session.id()).status();
    }

    private void follow(String actor, KeypairPolicySpec spec, Map<String, Object> extra) {
        var policy = admin.keypairPolicy(spec);
        if (!extra.isEmpty()) {
            admin.admin().modifyKeypairPolicy(policy.name(), new LinkedHashMap<>(extra));
        }
        admin.movePolicy(accessKeyOf(actor), policy.name());
    }

    /** Changes the policy the keypair follows now (one a Given of this scenario created for it). */
    private void change(String actor, Map<String, Object> changes) {
        String policy = admin.admin().keypair(accessKeyOf(actor)).orElseThrow().resourcePolicy();
        admin.admin().modifyKeypairPolicy(policy, new LinkedHashMap<>(changes));
    }

    private String accessKeyOf(String actor) {
        return cast.actor(actor).requireAccount().created().keypair().accessKey();
    }
}
