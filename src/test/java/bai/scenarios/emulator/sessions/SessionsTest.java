package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.state.StateLock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The emulator's scheduler and lifecycle, without HTTP. */
@Order(3) // a long class: started early (pom.xml, surefire)
class SessionsTest {
    private static final BigInteger GIB = BigInteger.valueOf(1024L * 1024 * 1024);
    private static final UUID USER = UUID.randomUUID();
    private static final UUID PROJECT = UUID.randomUUID();
    private final Sessions sessions = Sessions.standalone(new StateLock(),
            List.of(new Agent("a1", BigDecimal.valueOf(2), GIB.multiply(BigInteger.TWO))), TimingProfile.FAST, "python3");

    @AfterEach
    void stop() {
        sessions.close();
    }

    private ComputeSession session(String name, int cpu, String type, String command) {
        return new ComputeSession(name, "AK", USER, "default", PROJECT, type,
                Images.find("python").orElseThrow(), 1, "single-node", BigDecimal.valueOf(cpu), GIB, command, null, null,
                List.of(), Map.of());
    }

    private void awaitStatus(ComputeSession session, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> sessions.locked(session::status).equals(status));
    }

    /** Events reach listeners on the event bus's own thread, after the transition that published them. */
    private static void awaitEvent(List<String> events, String event) {
        Awaitility.await("event " + event).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> events.contains(event));
    }

    @Test
    void anInteractiveSessionWalksTheLifecycleAndPublishesEachStep() {
        List<String> events = new CopyOnWriteArrayList<>();
        sessions.listen(event -> events.add(event.name()));
        ComputeSession session = sessions.enqueue(session("s1", 1, "interactive", null), () -> 0);
        awaitStatus(session, "RUNNING");
        assertThat(sessions.locked(session::history).keySet())
                .containsExactly("PENDING", "SCHEDULED", "PREPARING", "PULLING", "PREPARED", "CREATING", "RUNNING");
        sessions.destroy(session, false);
        awaitStatus(session, "TERMINATED");
        assertThat(sessions.locked(session::statusInfo)).isEqualTo("user-requested");
        awaitEvent(events, "session_terminated");
        assertThat(events).containsSubsequence("session_pending", "session_scheduled", "session_started",
                "session_terminating", "session_terminated");
    }

    @Test
    void aSessionLargerThanAnyAgentStaysPendingAndIsCancelledWhenDestroyed() {
        ComputeSession session = sessions.enqueue(session("big", 64, "interactive", null), () -> 0);
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> sessions.locked(session::status).equals("PENDING"));
        assertThat(sessions.destroy(session, false)).isEqualTo("cancelled");
        assertThat(sessions.locked(session::status)).isEqualTo("CANCELLED");
    }

    @Test
    void capacityIsReleasedWhenASessionEnds() {
        ComputeSession first = sessions.enqueue(session("one", 2, "interactive", null), () -> 0);
        awaitStatus(first, "RUNNING");
        ComputeSession second = sessions.enqueue(session("two", 2, "interactive", null), () -> 0);
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> sessions.locked(second::status).equals("PENDING"));
        sessions.destroy(first, true);
        awaitStatus(second, "RUNNING");
    }

    @Test
    void theKeypairConcurrencyLimitKeepsSessionsPending() {
        ComputeSession first = sessions.enqueue(session("one", 1, "interactive", null), () -> 1);
        awaitStatus(first, "RUNNING");
        ComputeSession second = sessions.enqueue(session("two", 1, "interactive", null), () -> 1);
        // The scheduler's verdict first (there is none before its first cycle, which a busy machine
        // may hold back longer than the 200 ms below), then the session stays pending.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> firstReason(second).orElse("").contains("concurrent sessions"));
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> sessions.locked(second::status).equals("PENDING"));
        // As on the manager, the reason is the history's alone: the session's status info stays empty.
        assertThat(sessions.locked(second::statusInfo)).isNull();
    }

    /** The message of the session's first failed scheduling attempt, if any. */
    private Optional<String> firstReason(ComputeSession session) {
        return sessions.locked(() -> sessions.history().of(session.id).stream()
                .filter(e -> e.result().equals("NEED_RETRY")).findFirst()
                .map(e -> (String) e.node().get("message")));
    }

    @Test
    void aFailingBatchCommandEndsTheSessionAsFailed() {
        List<String> events = new CopyOnWriteArrayList<>();
        sessions.listen(event -> events.add(event.name() + ":" + event.reason()));
        ComputeSession session = sessions.enqueue(session("b", 1, "batch", "exit 3"), () -> 0);
        awaitStatus(session, "TERMINATED");
        assertThat(sessions.locked(session::statusInfo)).isEqualTo("task-failed");
        awaitEvent(events, "session_failure:task-failed");
    }

    @Test
    void withoutAPythonInterpreterASessionFailsToStartWithAClearReason() {
        try (Sessions without = Sessions.standalone(new StateLock(),
                List.of(new Agent("a1", BigDecimal.valueOf(2), GIB.multiply(BigInteger.TWO))), TimingProfile.FAST,
                "no-such-python-interpreter")) {
            ComputeSession session = without.enqueue(session("s", 1, "interactive", null), () -> 0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> without.locked(session::status).equals("ERROR"));
            assertThat(without.locked(session::statusInfo))
                    .isEqualTo("failed-to-start: no-such-python-interpreter is not installed on the emulator's host");
        }
    }

    @Test
    void aSessionWhoseSchedulingFailsDoesNotHoldUpTheOthers() {
        ComputeSession broken = sessions.enqueue(session("broken", 1, "interactive", null), (Supplier<Limits>) () -> {
            throw new IllegalStateException("policy lookup exploded");
        });
        ComputeSession healthy = sessions.enqueue(session("healthy", 1, "interactive", null), () -> 0);
        awaitStatus(healthy, "RUNNING");
        assertThat(sessions.locked(broken::status)).isEqualTo("PENDING");
    }

    @Test
    void closingTheEmulatorEndsEveryInterpreter() {
        ComputeSession session = sessions.enqueue(session("s", 1, "interactive", null), () -> 0);
        awaitStatus(session, "RUNNING");
        // This emulator's interpreters: the ones running the runner from its own scratch root (other
        // test classes run their own emulators in this JVM at the same time).
        Path root = sessions.locked(() -> session.kernels.get(0).workdir).getParent().getParent();
        List<ProcessHandle> kernels = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(root.resolve("kernel_runner.py").toString()))
                .toList();
        assertThat(kernels).isNotEmpty();
        sessions.close();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> kernels.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void theUsersTotalSlotsKeepASessionPendingWithTheSchedulersWordsUntilTheLimitIsRaised() {
        java.util.concurrent.atomic.AtomicReference<Limits> limits = new java.util.concurrent.atomic.AtomicReference<>(
                new Limits(0, Map.of("cpu", BigDecimal.ONE), Map.of(), Map.of(), 0, 0));
        ComputeSession first = sessions.enqueue(session("one", 1, "interactive", null), limits::get);
        awaitStatus(first, "RUNNING");
        ComputeSession second = sessions.enqueue(session("two", 1, "interactive", null), limits::get);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sessions.locked(
                () -> sessions.history().of(second.id()).stream().anyMatch(e -> e.result().equals("NEED_RETRY"))));
        assertThat(sessions.locked(second::status)).isEqualTo("PENDING");
        Map<String, Object> failure = sessions.locked(() -> sessions.history().of(second.id()).get(0).node());
        assertThat(failure).containsEntry("phase", "schedule-sessions").containsEntry("result", "NEED_RETRY")
                .containsEntry("message", "Your default-keypair resource quota is exceeded.\n"
                        + "  - cpu: used 1 + requested 1 > limit 1 (over by 1)");
        limits.set(new Limits(0, Map.of("cpu", BigDecimal.valueOf(2)), Map.of(), Map.of(), 0, 0));
        awaitStatus(second, "RUNNING");
        // Between the two, the scheduler may have given up on it for a while (GIVE_UP, deprioritized).
        List<Map<String, Object>> records = sessions.locked(() -> sessions.history().of(second.id()).stream()
                .map(SchedulingHistory.Entry::node).toList());
        assertThat(records.get(records.size() - 1)).containsEntry("result", "SUCCESS")
                .containsEntry("from_status", "PENDING").containsEntry("to_status", "SCHEDULED");
    }

    @Test
    void theProjectsAndDomainsQuotasAreCheckedTooAndReportedTogether() {
        Limits tight = new Limits(1, Map.of(), Map.of("cpu", BigDecimal.ONE), Map.of("cpu", BigDecimal.ONE), 0, 0);
        ComputeSession first = sessions.enqueue(session("one", 1, "interactive", null), () -> tight);
        awaitStatus(first, "RUNNING");
        ComputeSession second = sessions.enqueue(session("two", 1, "interactive", null), () -> tight);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> firstReason(second).isPresent());
        assertThat(firstReason(second).orElseThrow()).startsWith("Multiple validation errors occurred:\n"
                + "- ConcurrencyLimitExceeded: You cannot run more than 1 concurrent sessions\n"
                + "- ProjectResourceQuotaExceeded: Your project resource quota is exceeded.\n")
                .contains("- DomainResourceQuotaExceeded: Your domain resource quota is exceeded.");
    }

    @Test
    void anIdleSessionEndsWithTheIdleTimeoutAndAnOldOneWithItsLifetime() {
        ComputeSession idle = sessions.enqueue(session("idle", 1, "interactive", null),
                () -> new Limits(0, Map.of(), Map.of(), Map.of(), 1, 0));
        ComputeSession old = sessions.enqueue(session("old", 1, "interactive", null),
                () -> new Limits(0, Map.of(), Map.of(), Map.of(), 0, 1));
        awaitStatus(idle, "TERMINATED");
        awaitStatus(old, "TERMINATED");
        assertThat(sessions.locked(idle::statusInfo)).isEqualTo("idle-timeout");
        assertThat(sessions.locked(old::statusInfo)).isEqualTo("idle-session-lifetime");
    }
}
