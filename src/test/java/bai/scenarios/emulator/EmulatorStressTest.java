package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many callers at once, for a bounded time: admin mutations (create, delete, purge of domains,
 * projects, users, policies), project purges racing their sessions, session creates (queued and
 * blocking), executes, renames, destroys, policy changes under a scheduler that reads them, and
 * event subscribers coming and going; meanwhile a watchdog looks for deadlocked threads and a
 * prober times {@code /health}. Fails on any deadlock, on any request slower than a few seconds,
 * on any server error, and on broken books afterwards (capacity not given back, a live session
 * left in a purged project).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
// Times every request while it keeps the emulator as busy as the machine allows for CHURN: never
// beside another heavy class (the emulator processes, the responsiveness timings), beside light ones.
@ResourceLock("bai.unit.heavy")
class EmulatorStressTest {
    /**
     * How long the callers churn: 3 s in every build (~1,000 requests, every kind of caller many
     * times over); {@code -Dbai.stress.churn-seconds=60 -Dtest=EmulatorStressTest} for a long hunt.
     */
    private static final Duration CHURN = Duration.ofSeconds(Long.getLong("bai.stress.churn-seconds", 3));
    private static final long SLOW_MILLIS = 5_000;
    private static final Set<String> ENDED = Set.of("TERMINATED", "CANCELLED", "ERROR");

    private final List<String> failures = new CopyOnWriteArrayList<>() {
        @Override
        public boolean add(String failure) {
            firstFailure.complete(failure);
            return super.add(failure);
        }
    };
    private final CompletableFuture<String> firstFailure = new CompletableFuture<>();
    private final Map<String, String> sessionProject = new ConcurrentHashMap<>();
    private final Set<String> purgedProjects = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong slowestHealthMillis = new AtomicLong();
    private final AtomicInteger counter = new AtomicInteger();
    private ManagerEmulator emulator;
    private EmulatorCaller admin;
    private EmulatorCaller user;
    private volatile long deadline;

    @BeforeEach
    void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(20));
        user = EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(20));
        // Ready before the clock starts: /admin/gql answers once the emulator has built its GraphQL
        // schema on its own thread, which is start-up, not a stall.
        Answer ready = admin.call("POST", "/admin/gql", Map.of("query", "{ domains { name } }"));
        assertThat(ready.status()).as("the emulator's GraphQL endpoint: %s", ready.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void manyCallersAtOnceNeverDeadlockStallOrBreakTheBooks() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.scheduleAtFixedRate(() -> {
            long[] stuck = threads.findDeadlockedThreads();
            if (stuck != null) {
                failures.add("deadlock:\n" + Arrays.stream(threads.getThreadInfo(stuck, true, true))
                        .map(ThreadInfo::toString).collect(Collectors.joining()));
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        deadline = System.nanoTime() + CHURN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(14);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(CompletableFuture.runAsync(guard("admin churn", this::adminChurn), pool));
            workers.add(CompletableFuture.runAsync(guard("project purge race", this::projectPurgeRace), pool));
            workers.add(CompletableFuture.runAsync(guard("event subscribers", this::subscribers), pool));
        }
        for (int i = 0; i < 3; i++) {
            workers.add(CompletableFuture.runAsync(guard("session churn", this::sessionChurn), pool));
        }
        workers.add(CompletableFuture.runAsync(guard("blocking creates", this::blockingCreates), pool));
        workers.add(CompletableFuture.runAsync(guard("policy flips", this::policyFlips), pool));
        workers.add(CompletableFuture.runAsync(guard("queued sessions", this::queuedSessions), pool));
        workers.add(CompletableFuture.runAsync(guard("health", this::health), pool));
        // Done when every worker is, or at the first failure (a deadlock must fail fast, not hang).
        CompletableFuture.anyOf(CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)), firstFailure)
                .get(2, TimeUnit.MINUTES);
        pool.shutdownNow();
        watchdog.shutdownNow();

        assertThat(failures).as("failures during the churn (%d requests)", requests.get()).isEmpty();
        assertThat(requests.get()).as("requests made").isGreaterThan(100);
        System.out.printf("stress: %d requests in %d s, slowest /health %d ms%n", requests.get(),
                CHURN.toSeconds(), slowestHealthMillis.get());

        endEverySession();
        noLiveSessionInAPurgedProject();
        allCapacityIsFreeAgain();
    }

    // --- the workers ---------------------------------------------------------------------------

    private boolean going() {
        return System.nanoTime() < deadline && failures.isEmpty();
    }

    private Runnable guard(String name, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException | AssertionError e) {
                failures.add(name + ": " + e);
            }
        };
    }

    /** A timed call; slow answers and server errors are failures. */
    private Answer call(EmulatorCaller caller, String method, String target, Object body) {
        long started = System.nanoTime();
        Answer answer = caller.call(method, target, body);
        long millis = (System.nanoTime() - started) / 1_000_000;
        requests.incrementAndGet();
        if (millis > SLOW_MILLIS) {
            failures.add(method + " " + target + " took " + millis + " ms");
        }
        if (answer.status() >= 500) {
            failures.add(method + " " + target + " answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    private JsonNode gql(String query, Map<String, Object> variables) {
        Answer answer = call(admin, "POST", "/admin/gql", Map.of("query", query, "variables", variables));
        if (answer.status() != 200 || answer.path("errors").size() > 0) {
            failures.add("GraphQL failed: " + answer.body());
        }
        return answer.path("data");
    }

    private String unique(String kind) {
        return "stress-" + kind + counter.incrementAndGet();
    }

    private void adminChurn() {
        while (going()) {
            String domain = unique("domain");
            ok(gql("mutation($n: String!, $p: DomainInput!) { create_domain(name: $n, props: $p) { ok msg } }",
                    Map.of("n", domain, "p", Map.of("is_active", true))), "create_domain");
            JsonNode group = gql("mutation($n: String!, $p: GroupInput!) { create_group(name: $n, props: $p) "
                    + "{ ok msg group { id } } }", Map.of("n", unique("project"), "p", Map.of("domain_name", domain)));
            ok(group, "create_group");
            String gid = group.path("create_group").path("group").path("id").asText();
            String policy = unique("policy");
            ok(gql("mutation($n: String!, $p: CreateKeyPairResourcePolicyInput!) { "
                    + "create_keypair_resource_policy(name: $n, props: $p) { ok msg } }", Map.of("n", policy, "p",
                    Map.of("default_for_unspecified", "UNLIMITED", "total_resource_slots", "{}", "max_session_lifetime", 0,
                            "max_concurrent_sessions", 2, "max_containers_per_session", 1, "idle_timeout", 600,
                            "allowed_vfolder_hosts", "{}"))), "create_keypair_resource_policy");
            String email = unique("user") + "@example.com";
            Map<String, Object> userInput = new LinkedHashMap<>();
            userInput.put("username", email);
            userInput.put("password", "stress-password-1");
            userInput.put("need_password_change", false);
            userInput.put("full_name", "Stress");
            userInput.put("domain_name", domain);
            userInput.put("role", "user");
            userInput.put("status", "active");
            userInput.put("group_ids", List.of(gid));
            userInput.put("resource_policy", "default");
            ok(gql("mutation($e: String!, $p: UserInput!) { create_user(email: $e, props: $p) { ok msg } }",
                    Map.of("e", email, "p", userInput)), "create_user");
            ok(gql("mutation($e: String!) { delete_user(email: $e) { ok msg } }", Map.of("e", email)), "delete_user");
            ok(gql("mutation($e: String!, $p: PurgeUserInput!) { purge_user(email: $e, props: $p) { ok msg } }",
                    Map.of("e", email, "p", Map.of("purge_shared_vfolders", true))), "purge_user");
            ok(gql("mutation($g: UUID!) { purge_group(gid: $g) { ok msg } }", Map.of("g", gid)), "purge_group");
            ok(gql("mutation($n: String!) { purge_domain(name: $n) { ok msg } }", Map.of("n", domain)), "purge_domain");
            ok(gql("mutation($n: String!) { delete_keypair_resource_policy(name: $n) { ok msg } }",
                    Map.of("n", policy)), "delete_keypair_resource_policy");
        }
    }

    private void ok(JsonNode data, String mutation) {
        JsonNode result = data.path(mutation);
        if (!result.path("ok").asBoolean(false)) {
            failures.add(mutation + " refused: " + result);
        }
    }

    /** A project with a session inside, purged while the session is being destroyed. */
    private void projectPurgeRace() {
        while (going()) {
            String project = unique("purge-project");
            JsonNode group = gql("mutation($n: String!, $p: GroupInput!) { create_group(name: $n, props: $p) "
                    + "{ ok msg group { id } } }", Map.of("n", project, "p", Map.of("domain_name", "default")));
            String gid = group.path("create_group").path("group").path("id").asText();
            // One's own session needs membership of its project, whatever one's role.
            gql("mutation($g: UUID!, $p: ModifyGroupInput!) { modify_group(gid: $g, props: $p) { ok msg } }",
                    Map.of("g", gid, "p", Map.of("user_update_mode", "add",
                            "user_uuids", List.of("f38dea23-50fa-42a0-b5ae-338f5f4693f4"))));
            Answer created = call(admin, "POST", "/session", Map.of("session_name", unique("s"), "image", "python",
                    "group", project, "enqueue_only", true, "config", Map.of("resources", Map.of("cpu", "1"))));
            String sessionId = created.path("sessionId").asText(null);
            if (sessionId != null) {
                sessionProject.put(sessionId, gid);
            }
            // Purge first (refused while the session lives), destroy, then purge until it is gone.
            call(admin, "POST", "/admin/gql", Map.of("query", "mutation($g: UUID!) { purge_group(gid: $g) { ok msg } }",
                    "variables", Map.of("g", gid)));
            if (sessionId != null) {
                call(admin, "DELETE", "/session/" + sessionId + "?forced=true", null);
            }
            boolean purged = false;
            for (int i = 0; i < 200 && !purged && failures.isEmpty(); i++) {
                Answer purge = call(admin, "POST", "/admin/gql", Map.of("query",
                        "mutation($g: UUID!) { purge_group(gid: $g) { ok msg } }", "variables", Map.of("g", gid)));
                purged = purge.path("data", "purge_group", "ok").asBoolean(false);
            }
            if (purged) {
                purgedProjects.add(gid);
            } else {
                failures.add("project " + project + " could not be purged after its session was destroyed");
            }
        }
    }

    private void sessionChurn() {
        while (going()) {
            Answer created = call(user, "POST", "/session", Map.of("session_name", unique("churn"), "image", "python",
                    "enqueue_only", true, "config", Map.of("resources", Map.of("cpu", "1"))));
            String id = created.path("sessionId").asText(null);
            if (created.status() != 201 || id == null) {
                failures.add("create answered " + created.status() + ": " + created.body());
                return;
            }
            sessionProject.put(id, "default");
            String status = "PENDING";
            while (going() && !status.equals("RUNNING") && !ENDED.contains(status)) {
                Answer info = call(user, "GET", "/session/" + id, null);
                status = info.status() == 404 ? "TERMINATED" : info.path("status").asText();
            }
            if (status.equals("RUNNING")) {
                call(user, "POST", "/session/" + id, Map.of("mode", "query", "code", "print(6*7)", "options", Map.of()));
                call(user, "POST", "/session/" + id + "/rename", Map.of("session_name", unique("renamed")));
                call(user, "POST", "/session/" + id + "/interrupt", Map.of());
            }
            call(user, "DELETE", "/session/" + id, null);
        }
    }

    /** Creates that wait for RUNNING (the manager's default), some of which never get there. */
    private void blockingCreates() {
        while (going()) {
            Answer waited = call(admin, "POST", "/session", Map.of("session_name", unique("blocking"), "image", "python",
                    "max_wait_seconds", 2, "config", Map.of("resources", Map.of("cpu", "1"))));
            Answer never = call(admin, "POST", "/session", Map.of("session_name", unique("huge"), "image", "python",
                    "max_wait_seconds", 1, "config", Map.of("resources", Map.of("cpu", "64"))));
            for (Answer answer : List.of(waited, never)) {
                String id = answer.path("sessionId").asText(null);
                if (id != null) {
                    sessionProject.put(id, "default");
                    call(admin, "DELETE", "/session/" + id + "?forced=true", null);
                }
            }
            assertThat(never.path("status").asText()).isEqualTo("TIMEOUT");
        }
    }

    /** The scheduler reads keypair policies while they change (the old deadlock's path). */
    private void policyFlips() {
        int limit = 1;
        while (going()) {
            gql("mutation($n: String!, $p: ModifyKeyPairResourcePolicyInput!) { "
                    + "modify_keypair_resource_policy(name: $n, props: $p) { ok msg } }",
                    Map.of("n", "default", "p", Map.of("max_concurrent_sessions", limit)));
            limit = limit == 1 ? 5 : 1;
        }
        gql("mutation($n: String!, $p: ModifyKeyPairResourcePolicyInput!) { "
                + "modify_keypair_resource_policy(name: $n, props: $p) { ok msg } }",
                Map.of("n", "default", "p", Map.of("max_concurrent_sessions", 5)));
    }

    /** Sessions kept PENDING by the concurrency limit, so the scheduler keeps asking for it. */
    private void queuedSessions() {
        while (going()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = call(user, "POST", "/session", Map.of("session_name", unique("queued"), "image", "python",
                        "enqueue_only", true, "config", Map.of("resources", Map.of("cpu", "1"))))
                        .path("sessionId").asText(null);
                if (id != null) {
                    ids.add(id);
                    sessionProject.put(id, "default");
                }
            }
            ids.forEach(id -> call(user, "DELETE", "/session/" + id + "?forced=true", null));
        }
    }

    private void subscribers() {
        while (going()) {
            try (BufferedReader events = admin.events(null)) {
                for (int lines = 0; lines < 20 && going(); lines++) {
                    if (events.readLine() == null) {
                        failures.add("an event stream ended while the emulator was running");
                        break;
                    }
                }
            } catch (IOException e) {
                failures.add("event stream: " + e);
            }
            requests.incrementAndGet();
        }
    }

    private void health() {
        while (going()) {
            long started = System.nanoTime();
            Answer answer = call(admin, "GET", "/health", null);
            slowestHealthMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
            assertThat(answer.status()).isEqualTo(200);
        }
    }

    // --- the books afterwards ----------------------------------------------------------------

    private void endEverySession() {
        for (String id : sessionProject.keySet()) {
            admin.call("DELETE", "/session/" + id + "?forced=true", null);
            user.call("DELETE", "/session/" + id + "?forced=true", null);
        }
        org.awaitility.Awaitility.await("every session to end").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> sessionProject.keySet().stream().allMatch(this::ended));
    }

    /**
     * Ended, as the manager shows it: its REST lookup no longer finds a CANCELLED or TERMINATED
     * session (404 for its owner, and for anyone else), an ERROR one it still shows.
     */
    private boolean ended(String id) {
        for (EmulatorCaller caller : List.of(admin, user)) {
            Answer info = caller.call("GET", "/session/" + id, null);
            if (info.status() == 200) {
                return ENDED.contains(info.path("status").asText());
            }
        }
        return true;
    }

    private void noLiveSessionInAPurgedProject() {
        assertThat(purgedProjects).as("projects purged during the churn").isNotEmpty();
        for (Map.Entry<String, String> entry : sessionProject.entrySet()) {
            if (purgedProjects.contains(entry.getValue())) {
                assertThat(ended(entry.getKey())).as("session %s of purged project %s has ended", entry.getKey(),
                        entry.getValue()).isTrue();
            }
        }
    }

    /** Both agents' whole capacity (4 CPU each) is usable again: nothing leaked in the accounting. */
    private void allCapacityIsFreeAgain() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Answer created = admin.call("POST", "/session", Map.of("session_name", "full-" + UUID.randomUUID(),
                    "image", "python", "enqueue_only", true, "config", Map.of("resources", Map.of("cpu", "4"))));
            ids.add(created.path("sessionId").asText());
        }
        org.awaitility.Awaitility.await("two sessions using every agent's full capacity to run")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> ids.stream().allMatch(id -> admin.call("GET", "/session/" + id, null)
                        .path("status").asText().equals("RUNNING")));
    }
}
