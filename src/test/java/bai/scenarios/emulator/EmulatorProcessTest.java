package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone emulator as its own process, the way QA runs it: SIGTERM stops it within
 * seconds even while kernels are busy and a bootstrap script sleeps; {@code kill -9} still takes
 * every kernel process with it; and interrupts work when it was started with SIGINT ignored (as
 * {@code nohup ... &} does).
 *
 * <p>The longest class: it starts first, and its tests (each with its own emulator process) run
 * at the same time. An emulator JVM costs ~4 s of CPU, so the SIGINT-ignored one is also the
 * one {@code kill -9} ends: two processes, not three.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@Order(1)
@Execution(ExecutionMode.CONCURRENT)
// Starts emulator JVMs: never beside another heavy class. For reading only, which the other heavy
// classes exclude all the same, because a class that takes a lock for writing runs its tests one
// at a time.
@ResourceLock(value = "bai.unit.heavy", mode = ResourceAccessMode.READ)
class EmulatorProcessTest {
    private static final Pattern ENDPOINT = Pattern.compile("Endpoint: (http://\\S+)");
    private static final Duration STOPS_WITHIN = Duration.ofSeconds(10);
    private static final Duration STATE_WITHIN = Duration.ofSeconds(60);

    private Process emulator;
    private EmulatorCaller admin;

    @AfterEach
    void cleanUp() {
        if (emulator != null) {
            emulator.descendants().forEach(ProcessHandle::destroyForcibly);
            emulator.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsABusyEmulatorWithinSecondsAndLeavesNoKernelBehind() throws Exception {
        start(false);
        List<ProcessHandle> kernels = busy();
        long started = System.nanoTime();
        emulator.destroy(); // SIGTERM
        assertThat(emulator.waitFor(STOPS_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("the emulator ended within %d s of SIGTERM", STOPS_WITHIN.toSeconds()).isTrue();
        System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        allGone(kernels);
    }

    @Test
    void startedWithSigintIgnoredItStillInterruptsRunsAndKillMinusNineStillTakesEveryKernelWithIt() throws Exception {
        start(true);
        interruptsALongRun();

        List<ProcessHandle> kernels = busy();
        emulator.destroyForcibly(); // SIGKILL: no shutdown hook runs
        emulator.waitFor(STOPS_WITHIN.toSeconds(), TimeUnit.SECONDS);
        allGone(kernels);
    }

    // --- helpers -----------------------------------------------------------------------------

    /** An interrupt ends a run that sleeps, with KeyboardInterrupt in its output. */
    private void interruptsALongRun() {
        String id = runningSession("patient", null);
        Answer run = admin.call("POST", "/session/" + id, Map.of("mode", "query", "run_id", "long-run",
                "code", "import time\ntime.sleep(120)", "options", Map.of()));
        assertThat(run.path("result", "status").asText()).isEqualTo("continued");
        assertThat(admin.call("POST", "/session/" + id + "/interrupt", Map.of()).status()).isEqualTo(204);
        StringBuilder stderr = new StringBuilder();
        Answer result = run;
        while (result.path("result", "status").asText().equals("continued")) {
            result.path("result", "console").forEach(item -> stderr.append(item.path(1).asText()));
            result = admin.call("POST", "/session/" + id, Map.of("mode", "continue", "run_id", "long-run",
                    "code", "", "options", Map.of()));
        }
        result.path("result", "console").forEach(item -> stderr.append(item.path(1).asText()));
        assertThat(result.path("result", "exitCode").asInt()).isEqualTo(1);
        assertThat(stderr.toString()).contains("KeyboardInterrupt");
    }

    private void start(boolean sigintIgnored) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The interpreter as this JVM resolved it: each emulator JVM asking a pyenv shim again costs
        // ~0.5 s of CPU and is not what this class tests.
        String python = bai.scenarios.emulator.sessions.KernelHost.resolved("python3").get(60, TimeUnit.SECONDS);
        List<String> command = new ArrayList<>();
        if (sigintIgnored) {
            command.addAll(List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        }
        command.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dbai.emulator.python=" + python,
                "-cp", System.getProperty("java.class.path"), EmulatorMain.class.getName(), "--port", "0"));
        emulator = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = ENDPOINT.matcher(line);
                    if (m.find()) {
                        endpoint.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the emulator ended
            }
            endpoint.completeExceptionally(new IllegalStateException("the emulator ended without an endpoint"));
        });
        reader.setDaemon(true);
        reader.start();
        try {
            admin = EmulatorCaller.superadmin(endpoint.get(60, TimeUnit.SECONDS), Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new IllegalStateException("the standalone emulator did not start", e);
        }
    }

    /**
     * Three kinds of busy: a kernel whose bootstrap script sleeps (so the session is not even
     * RUNNING), a batch task that sleeps, and a kernel running a tight loop. Returns every process
     * the emulator started for them.
     */
    private List<ProcessHandle> busy() {
        admin.call("POST", "/session", Map.of("session_name", "booting", "image", "python", "enqueue_only", true,
                "bootstrap_script", "sleep 60"));
        admin.call("POST", "/session", Map.of("session_name", "batch", "image", "python", "enqueue_only", true,
                "session_type", "batch", "startup_command", "sleep 300"));
        String looping = runningSession("looping", null);
        Awaitility.await("the bootstrap and batch sleeps to run").atMost(STATE_WITHIN)
                .until(() -> emulator.descendants().filter(p -> p.info().commandLine().orElse("")
                        .contains("sleep")).count() >= 2);
        // The tight loop starts last, once everything else is up: it takes a whole core until the
        // emulator ends, from everything else running on the machine (other test classes run
        // meanwhile). So the emulator is stopped as soon as a runner is seen burning CPU, not after
        // the answer ("continued"), which takes the manager's flush interval.
        Map<Long, Long> cpuBefore = runnerCpuMillis();
        CompletableFuture.runAsync(() -> admin.call("POST", "/session/" + looping, Map.of("mode", "query",
                "code", "while True: pass", "options", Map.of())));
        Awaitility.await("a kernel runner to be busy in its tight loop").atMost(STATE_WITHIN)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> runnerCpuMillis().entrySet().stream()
                        .anyMatch(e -> e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L) >= 100));
        List<ProcessHandle> kernels = emulator.descendants().toList();
        assertThat(kernels.stream().filter(p -> p.info().commandLine().orElse("").contains("kernel_runner.py")))
                .hasSizeGreaterThanOrEqualTo(3);
        return kernels;
    }

    /** CPU time so far of each kernel runner the emulator started, by process id (the fork server aside). */
    private Map<Long, Long> runnerCpuMillis() {
        return emulator.descendants().filter(p -> p.info().commandLine().orElse("").contains("kernel_runner.py"))
                .filter(p -> !(p.parent().map(ProcessHandle::pid).orElse(-1L) == emulator.pid()
                        && p.info().commandLine().orElse("").contains("--zygote=")))
                .collect(java.util.stream.Collectors.toMap(ProcessHandle::pid,
                        p -> p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)));
    }

    private String runningSession(String name, String bootstrap) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("session_name", name, "image", "python",
                "enqueue_only", true));
        if (bootstrap != null) {
            body.put("bootstrap_script", bootstrap);
        }
        String id = admin.call("POST", "/session", body).path("sessionId").asText();
        Awaitility.await("session " + name + " to run").atMost(STATE_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> admin.call("GET", "/session/" + id, null).path("status").asText().equals("RUNNING"));
        return id;
    }

    private static void allGone(List<ProcessHandle> processes) {
        Awaitility.await("every kernel process to end").atMost(STOPS_WITHIN).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(processes.stream().filter(p -> p.isAlive() && !isZombie(p.pid()))
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")))
                        .as("processes still running").isEmpty());
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }
}
