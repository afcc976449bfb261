package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.state.StateLock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's queue as the manager's sokovan scheduler keeps it: in order, a session no agent
 * has room for holds up the ones behind it until its attempts are spent and it is deprioritized; a
 * session's own failure holds up nobody; the history merges repeats as the manager does.
 */
class SchedulingQueueTest {
    private static final BigInteger GIB = BigInteger.valueOf(1024L * 1024 * 1024);
    private static final UUID PROJECT = UUID.randomUUID();
    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** Attempts counted on every cycle, so the give-up comes within ~0.1 s instead of the manager's ~10 s. */
    private final Sessions sessions = queue(TimingProfile.FAST.withAttemptEvery(Duration.ZERO));
    private Sessions paced;

    private static Sessions queue(TimingProfile timing) {
        return Sessions.standalone(new StateLock(),
                List.of(new Agent("a1", BigDecimal.valueOf(4), GIB.multiply(BigInteger.valueOf(8)))), timing, "python3");
    }

    @AfterEach
    void stop() {
        sessions.close();
        if (paced != null) {
            paced.close();
        }
    }

    /** A session of the user owning {@code accessKey} (limits count per user). */
    private static ComputeSession session(String name, String accessKey, int cpu) {
        UUID user = UUID.nameUUIDFromBytes(accessKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new ComputeSession(name, accessKey, user, "default", PROJECT, "interactive",
                Images.find("python").orElseThrow(), 1, "single-node", BigDecimal.valueOf(cpu), GIB, null, null, null,
                List.of(), Map.of());
    }

    private void awaitScheduled(ComputeSession session) {
        Awaitility.await(session.name + " to leave PENDING").atMost(WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> !sessions.locked(session::status).equals("PENDING"));
    }

    /** A session of {@code cpu} CPUs for AK1, scheduled: the capacity it takes is held. */
    private ComputeSession holding(int cpu) {
        ComputeSession holder = sessions.enqueue(session("holder", "AK1", cpu), () -> 0);
        awaitScheduled(holder);
        return holder;
    }

    private List<SchedulingHistory.Entry> historyOf(ComputeSession session) {
        return sessions.locked(() -> sessions.history().of(session.id));
    }

    private static List<String> results(List<SchedulingHistory.Entry> entries) {
        return entries.stream().map(SchedulingHistory.Entry::result).toList();
    }

    private static Instant when(List<SchedulingHistory.Entry> entries, String result) {
        return entries.stream().filter(e -> e.result().equals(result)).findFirst().orElseThrow().createdAt();
    }

    @Test
    void aSessionNoAgentHasRoomForHoldsUpTheQueueUntilItIsDeprioritized() {
        ComputeSession holder = holding(2);
        ComputeSession big = sessions.enqueue(session("big", "AK2", 3), () -> 0);
        ComputeSession small = sessions.enqueue(session("small", "AK3", 1), () -> 0);

        awaitScheduled(small);
        List<SchedulingHistory.Entry> bigs = historyOf(big);
        List<SchedulingHistory.Entry> smalls = historyOf(small);
        // The big one: five counted attempts, the sixth gives up, then back in the queue lower down.
        assertThat(results(bigs)).startsWith("NEED_RETRY", "GIVE_UP", "SUCCESS");
        assertThat(bigs.get(0).node()).containsEntry("phase", "schedule-sessions").containsEntry("attempts", 5)
                .containsEntry("to_status", "PENDING").containsEntry("message", "1 requirement(s) could not be placed:\n"
                        + "- requirement #0 (containers=1, arch=x86_64, slots=cpu=3 mem=1 GiB): no agents passed the"
                        + " 'resource' filter\n  - cpu: missing=1");
        assertThat(bigs.get(1).node()).containsEntry("from_status", "PENDING").containsEntry("to_status", "DEPRIORITIZING")
                .containsEntry("message", "schedule-sessions give_up");
        assertThat(bigs.get(2).node()).containsEntry("phase", "deprioritize-sessions")
                .containsEntry("from_status", "DEPRIORITIZING").containsEntry("to_status", "PENDING");
        assertThat(sessions.locked(big::status)).isEqualTo("PENDING");
        assertThat(sessions.locked(() -> big.priority)).isZero();
        Map<String, String> statuses = sessions.locked(() -> Map.copyOf(big.history));
        assertThat(statuses).containsOnlyKeys("PENDING", "DEPRIORITIZING");
        assertThat(statuses.get("PENDING")).as("back in PENDING after DEPRIORITIZING")
                .isGreaterThan(statuses.get("DEPRIORITIZING"));
        // The small one fitted all along, but was not attempted until the big one was moved back.
        assertThat(results(smalls)).containsExactly("SKIPPED", "SUCCESS");
        assertThat(smalls.get(0).node()).containsEntry("message",
                "Not attempted: the resource group ran out of resources at the earlier session " + big.id);
        assertThat(when(smalls, "SUCCESS")).isAfterOrEqualTo(when(bigs, "GIVE_UP"));
        assertThat(sessions.locked(() -> small.priority)).isEqualTo(10);
    }

    @Test
    void aSessionsOwnFailureHoldsUpNobodyAndItsRepeatsAddToOneRecord() {
        ComputeSession first = sessions.enqueue(session("first", "AK1", 1), () -> 1);
        awaitScheduled(first);
        ComputeSession limited = sessions.enqueue(session("limited", "AK1", 1), () -> 1);
        ComputeSession other = sessions.enqueue(session("other", "AK2", 1), () -> 0);

        awaitScheduled(other);
        assertThat(results(historyOf(other))).containsExactly("SUCCESS");
        Awaitility.await("the limited session to be deprioritized").atMost(WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> results(historyOf(limited)).contains("GIVE_UP"));
        List<SchedulingHistory.Entry> limiteds = historyOf(limited);
        assertThat(limiteds.get(0).node()).containsEntry("result", "NEED_RETRY").containsEntry("attempts", 5);
        assertThat((String) limiteds.get(0).node().get("message")).contains("You cannot run more than 1 concurrent sessions");
        assertThat(sessions.locked(limited::status)).isEqualTo("PENDING");
    }

    @Test
    void aSkippedSessionIsNeverGivenUpOn() {
        ComputeSession holder = holding(4);
        ComputeSession first = sessions.enqueue(session("first", "AK2", 1), () -> 0);
        ComputeSession behind = session("behind", "AK3", 1);
        behind.priority = 0; // as if created with the lowest priority: behind the first one at every turn
        sessions.enqueue(behind, () -> 0);
        // The first one fails, is given up on (its priority down to 0, still the older one) and
        // fails again; the one behind it is never attempted, so it only collects skips.
        Awaitility.await("the first session to be given up on twice").atMost(WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> results(historyOf(first)).stream().filter("GIVE_UP"::equals).count() >= 2);
        List<SchedulingHistory.Entry> behinds = historyOf(behind);
        assertThat(results(behinds)).containsExactly("SKIPPED");
        assertThat((int) behinds.get(0).node().get("attempts")).isGreaterThan(SchedulingHistory.MAX_RETRIES);
        sessions.destroy(holder, true);
        awaitScheduled(first);
        awaitScheduled(behind);
        assertThat(results(historyOf(behind))).containsExactly("SKIPPED", "SUCCESS");
    }

    @Test
    void failedAttemptsCountAtTheManagersPaceNotAtEveryLook() {
        Duration pace = Duration.ofMillis(300);
        paced = queue(TimingProfile.FAST.withAttemptEvery(pace));
        ComputeSession big = paced.enqueue(session("big", "AK1", 5), () -> 0);
        Awaitility.await("the first failed attempt").atMost(WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> !paced.locked(() -> paced.history().all()).isEmpty());
        // The scheduler looks every 20 ms (some 25 looks in 0.5 s), yet the record counts one attempt
        // per 300 ms: never more than three in that half second.
        Awaitility.await("attempts counted at the pace").during(Duration.ofMillis(500)).atMost(WITHIN)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> (int) paced.locked(() -> paced.history().all().get(0).node()).get("attempts") <= 3);
        Awaitility.await("the scheduler to give up").atMost(WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> paced.locked(() -> paced.history().all().stream().anyMatch(e -> e.result().equals("GIVE_UP"))));
        List<SchedulingHistory.Entry> entries = paced.locked(() -> paced.history().all());
        Instant firstFailure = entries.get(0).createdAt();
        Instant gaveUp = entries.stream().filter(e -> e.result().equals("GIVE_UP")).findFirst().orElseThrow().createdAt();
        assertThat(entries.get(0).node()).containsEntry("attempts", 5);
        // Five counted attempts, then the sixth gives up: at least five paces after the first.
        assertThat(Duration.between(firstFailure, gaveUp)).isGreaterThanOrEqualTo(pace.multipliedBy(5));
        assertThat(paced.locked(() -> big.priority)).isZero();
    }
}
