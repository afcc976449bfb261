package bai.scenarios.bench;

import bai.scenarios.client.ApiResult;
import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.emulator.ManagerEmulator;
import bai.scenarios.timing.ScenarioClock;
import bai.scenarios.world.Evidence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How long a session takes to reach RUNNING in the embedded emulator (fast timing profile): a
 * blocking {@code POST /session} (the manager answers once the session runs), with the warm kernel
 * pool ({@code pool=4}, the default) and without it ({@code pool=0}: every kernel starts its
 * interpreter). Each session is destroyed, and gone, before the next one is created, so the agents
 * are never full. Run it with {@code .ci/jmh SessionStart}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class SessionStartBenchmark {
    private static final Credentials KEYPAIR = new Credentials("AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @Param({"0", "4"})
    public int pool;

    private ManagerEmulator emulator;
    private ManagerClient client;
    private int sequence;
    private String current;

    @Setup(Level.Trial)
    public void start() {
        System.setProperty("bai.emulator.kernel-pool", Integer.toString(pool));
        emulator = ManagerEmulator.start("127.0.0.1", 0, Optional.empty());
        client = new ManagerClient(emulator.endpoint(), KEYPAIR, new ClientOptions(Clock.systemUTC(), List.of(),
                new Evidence()::record, Duration.ofSeconds(60), new ScenarioClock()));
    }

    @TearDown(Level.Trial)
    public void stop() {
        emulator.close();
    }

    @Benchmark
    public ApiResult createUntilRunning() {
        current = "bench-" + pool + "-" + sequence++;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_name", current);
        body.put("image", "python");
        ApiResult created = client.post("/session", body).orThrow();
        if (!"RUNNING".equals(created.json().path("status").asText())) {
            throw new IllegalStateException("not RUNNING: " + created.json());
        }
        return created;
    }

    @TearDown(Level.Invocation)
    public void destroy() {
        if (current == null) {
            return;
        }
        client.send("DELETE", "/session/" + current, Map.of(), null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ApiResult now = client.get("/session/" + current);
            String status = now.status() == 200 ? now.json().path("status").asText() : "";
            if (now.status() == 404 || status.equals("TERMINATED") || status.equals("CANCELLED")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(current + " is not gone after 30 s: " + status);
            }
            Thread.onSpinWait();
        }
        current = null;
    }
}
