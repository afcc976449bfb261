package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.vfolders.SessionMounts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm kernel pool ({@link KernelHost} with a pool): a kernel taken from it is the same to the
 * user's code as a cold-started one (working directory, environment, argv, globals, user site,
 * bootstrap, read-only mounts), the pool stays within its bound and refills after a claim, an
 * environment that acts at interpreter start gets a cold start, and pooled runners die with the host.
 */
class KernelPoolTest {
    private static final int ANSWER_SECONDS = 60;
    private static final Duration FLUSH = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What user code can see of its interpreter, as JSON (paths made relative by the test). */
    private static final String PROBE = """
            import json, os, sys, site, time
            ro_refused = None
            try:
                open('data/new.txt', 'w')
            except OSError as e:
                ro_refused = e.errno
            print(json.dumps({
                "cwd": os.getcwd(),
                "env": dict(sorted(os.environ.items())),
                "environb_matches": {os.fsdecode(k): os.fsdecode(v) for k, v in os.environb.items()} == dict(os.environ),
                "argv": sys.argv,
                "globals": sorted(k for k in globals() if k not in ("json", "os", "sys", "site", "time", "ro_refused", "e")),
                "path": sys.path,
                "site_packages_on_path": all(p in sys.path for p in site.getsitepackages() if os.path.isdir(p)),
                "script": os.path.basename(sys.argv[0]),
                "user_site": site.getusersitepackages(),
                "user_base": site.getuserbase(),
                "tzname": list(time.tzname),
                "booted": open('booted.txt').read(),
                "ro_refused": ro_refused,
                "interrupt_handler": str(__import__('signal').getsignal(2)) != 'None',
            }, sort_keys=True))
            """;

    @TempDir
    Path folders;

    private final Background background = new Background(2);
    private final List<KernelHost> hosts = new ArrayList<>();
    private final KernelLog log = new KernelLog(KernelLog.DEFAULT_CAP);
    private final PythonKernel.Listener listener = new PythonKernel.Listener() {
        @Override
        public void batchExited(int exitCode) {
        }

        @Override
        public void died(String reason) {
        }
    };

    @AfterEach
    void stop() {
        hosts.forEach(KernelHost::close);
        background.close();
    }

    private KernelHost host(int pool) {
        return host(pool, true);
    }

    private KernelHost host(int pool, boolean forkServer) {
        KernelHost host = new KernelHost("python3", KernelHost.Limits.DEFAULT, background, pool, forkServer);
        hosts.add(host);
        host.prepare();
        if (pool > 0) {
            awaitFull(host);
        }
        return host;
    }

    private static void awaitFull(KernelHost host) {
        Awaitility.await("the pool to fill").atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> host.poolStats().waiting() == host.poolStats().poolSize());
    }

    private PythonKernel launch(KernelHost host, UUID id, Map<String, String> environ, List<SessionMounts.Mount> mounts)
            throws Exception {
        return host.launch(new KernelHost.Spec(id, environ, "echo booted > booted.txt", log, listener, mounts))
                .get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    private static String run(PythonKernel kernel, String code) throws Exception {
        StringBuilder out = new StringBuilder();
        PythonKernel.RunResult result = kernel.query(null, code, FLUSH).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        while (true) {
            result.console().forEach(item -> out.append(item.get(1)));
            if (result.status().equals("finished")) {
                assertThat(result.exitCode()).as("the run's exit code; its output: %s", out).isZero();
                return out.toString();
            }
            result = kernel.resume(FLUSH).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The probe's answer with this kernel's directory and the host's scratch root replaced by names. */
    private static JsonNode probe(KernelHost host, UUID id, PythonKernel kernel) throws Exception {
        Path workdir = host.workdir(id).toRealPath();
        Path root = workdir.getParent().getParent();
        String text = run(kernel, PROBE).strip()
                .replace(workdir.toString(), "<workdir>")
                .replace(root.toString(), "<root>");
        return JSON.readTree(text);
    }

    private List<SessionMounts.Mount> readOnlyMount() throws Exception {
        Path folder = Files.createDirectories(folders.resolve("folder-" + UUID.randomUUID()));
        Files.writeString(folder.resolve("given.txt"), "given");
        return List.of(new SessionMounts.Mount(UUID.randomUUID(), "data", "vfid", folder, ".", "/home/work/data",
                "ro", "general"));
    }

    @Test
    void aKernelFromThePoolIsTheSameToUserCodeAsAColdStartedOne() throws Exception {
        KernelHost cold = host(0, false);
        KernelHost warm = host(2);
        KernelHost warmNotForked = host(1, false);
        KernelHost onDemand = host(0);
        Map<String, String> environ = Map.of("GREETING", "hello", "TZ", "Asia/Seoul");
        UUID coldId = UUID.randomUUID();
        UUID warmId = UUID.randomUUID();
        UUID notForkedId = UUID.randomUUID();
        UUID onDemandId = UUID.randomUUID();

        JsonNode fromCold = probe(cold, coldId, launch(cold, coldId, environ, readOnlyMount()));
        JsonNode fromPool = probe(warm, warmId, launch(warm, warmId, environ, readOnlyMount()));
        JsonNode fromPoolNotForked = probe(warmNotForked, notForkedId,
                launch(warmNotForked, notForkedId, environ, readOnlyMount()));
        JsonNode forkedOnDemand = probe(onDemand, onDemandId, launch(onDemand, onDemandId, environ, readOnlyMount()));

        assertThat(warm.poolStats().warm()).isEqualTo(1);
        assertThat(warmNotForked.poolStats().warm()).isEqualTo(1);
        assertThat(cold.poolStats().cold()).isEqualTo(1);
        assertThat(onDemand.poolStats()).extracting(KernelHost.PoolStats::forkedOnDemand, KernelHost.PoolStats::cold,
                KernelHost.PoolStats::pooledForked).containsExactly(1L, 0L, 0L);
        assertThat(fromPool).isEqualTo(fromCold);
        assertThat(fromPoolNotForked).isEqualTo(fromCold);
        assertThat(forkedOnDemand).isEqualTo(fromCold);
        assertThat(fromPool.path("cwd").asText()).isEqualTo("<workdir>");
        assertThat(fromPool.path("env").path("HOME").asText()).isEqualTo("<workdir>");
        assertThat(fromPool.path("env").path("GREETING").asText()).isEqualTo("hello");
        assertThat(fromPool.path("environb_matches").asBoolean()).isTrue();
        assertThat(fromPool.path("booted").asText()).isEqualTo("booted\n");
        assertThat(fromPool.path("ro_refused").asInt()).isEqualTo(30); // EROFS
        assertThat(fromPool.path("globals").toString()).doesNotContain("_become").doesNotContain("claim");
        assertThat(fromPool.path("argv").toString()).doesNotContain("--pooled");
        // Started with -S, the runner still puts the interpreter's site-packages on sys.path itself.
        assertThat(fromPool.path("site_packages_on_path").asBoolean()).isTrue();
        assertThat(fromPool.path("script").asText()).isEqualTo("kernel_runner.py");
    }

    @Test
    void thePoolStaysWithinItsBoundAndRefillsAfterClaims() throws Exception {
        KernelHost host = host(2);
        List<PythonKernel> kernels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kernels.add(launch(host, UUID.randomUUID(), Map.of(), List.of()));
        }

        assertThat(host.poolStats().warm()).isGreaterThanOrEqualTo(2);
        assertThat(host.poolStats().warm() + host.poolStats().forkedOnDemand()).isEqualTo(3);
        assertThat(host.poolStats().cold()).isZero();
        awaitFull(host);
        assertThat(host.pooledPids()).hasSize(2).allMatch(pid -> ProcessHandle.of(pid).isPresent())
                .doesNotContainAnyElementsOf(kernels.stream().map(PythonKernel::pid).toList());
        for (PythonKernel kernel : kernels) {
            assertThat(run(kernel, "print(6 * 7)")).isEqualTo("42\n");
        }
    }

    @Test
    void anEnvironmentThatActsAtInterpreterStartGetsAColdStart() throws Exception {
        KernelHost host = host(1);
        UUID id = UUID.randomUUID();

        PythonKernel kernel = launch(host, id, Map.of("PYTHONHASHSEED", "0"), List.of());

        assertThat(host.poolStats().cold()).isEqualTo(1);
        assertThat(host.poolStats().warm()).isZero();
        assertThat(run(kernel, "import sys; print(sys.flags.hash_randomization)")).isEqualTo("0\n");
        assertThat(KernelHost.poolable(Map.of("LC_ALL", "C"))).isFalse();
        assertThat(KernelHost.poolable(Map.of("GREETING", "hello"))).isTrue();
    }

    @Test
    void pooledRunnersLeadTheirOwnProcessGroupAndDieWithTheHost() throws Exception {
        KernelHost host = host(2);
        List<ProcessHandle> pooled = host.pooledPids().stream().map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
        assertThat(pooled).hasSize(2);
        // Each leads its own group (setsid, first thing it does), as a kernel's runner does.
        Awaitility.await("the pooled runners to lead their process groups").atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> pooled.stream().allMatch(runner -> processGroup(runner.pid()) == runner.pid()));

        host.close();

        Awaitility.await("every pooled runner to end").atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> pooled.stream().noneMatch(p -> p.isAlive() && !PythonKernelTest.isZombie(p.pid())));
    }

    @Test
    void pooledRunnersAreForkedByOneForkServerThatDiesWithTheHost() throws Exception {
        KernelHost host = host(2);
        List<ProcessHandle> parents = host.pooledPids().stream()
                .map(pid -> ProcessHandle.of(pid).orElseThrow().parent().orElseThrow()).distinct().toList();
        assertThat(parents).hasSize(1);
        ProcessHandle forkServer = parents.get(0);
        assertThat(forkServer.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(forkServer.info().commandLine().orElse("")).contains("kernel_runner.py").contains("--zygote=");
        assertThat(forkServer.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());

        host.close();

        Awaitility.await("the fork server to end").atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !forkServer.isAlive() || PythonKernelTest.isZombie(forkServer.pid()));
    }

    /** A script (as the model servers' stand-in runs) forked or started: the same to it and to us. */
    @org.junit.jupiter.params.ParameterizedTest(name = "fork server: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aScriptRunsWithTheGivenArgumentsAndItsStdinAndStdoutAsTheProcessStreams(boolean forkServer) throws Exception {
        KernelHost host = host(0, forkServer);
        Path script = folders.resolve("echo_script.py");
        Files.writeString(script, String.join("\n",
                "import json, sys",
                "print(json.dumps({'argv': sys.argv[1:], 'main': __name__}), flush=True)",
                "for line in sys.stdin:",
                "    print(line.strip().upper(), flush=True)",
                "sys.exit(3)", ""));

        RunnerProcess process = host.startScript(script, List.of("--model=m", "two words"), List.of("json"));
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(process.fromRunner(),
                java.nio.charset.StandardCharsets.UTF_8));
        JsonNode hello = JSON.readTree(out.readLine());
        long parent = ProcessHandle.of(process.pid()).orElseThrow().parent().map(ProcessHandle::pid).orElse(-1L);
        process.toRunner().write("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.toRunner().flush();
        String echoed = out.readLine();
        process.endInput();

        assertThat(hello.path("argv").toString()).isEqualTo("[\"--model=m\",\"two words\"]");
        assertThat(hello.path("main").asText()).isEqualTo("__main__");
        assertThat(echoed).isEqualTo("HELLO");
        assertThat(process.onExit().get(ANSWER_SECONDS, TimeUnit.SECONDS)).isEqualTo(3);
        if (forkServer) {
            assertThat(parent).as("forked by the fork server, not started by this JVM")
                    .isNotIn(-1L, ProcessHandle.current().pid());
        } else {
            assertThat(parent).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void withoutTheForkServerPooledRunnersAreTheEmulatorsOwnProcesses() throws Exception {
        KernelHost host = host(1, false);

        assertThat(ProcessHandle.of(host.pooledPids().get(0)).orElseThrow().parent().map(ProcessHandle::pid))
                .contains(ProcessHandle.current().pid());
        UUID id = UUID.randomUUID();
        assertThat(run(launch(host, id, Map.of(), List.of()), "print(6 * 7)")).isEqualTo("42\n");
        assertThat(host.poolStats().warm()).isEqualTo(1);
    }

    @Test
    void aPooledRunnerThatDiesIsReplaced() throws Exception {
        KernelHost host = host(1);
        long runner = host.pooledPids().get(0);

        ProcessHandle.of(runner).orElseThrow().destroyForcibly();

        Awaitility.await("a new pooled runner").atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> host.pooledPids().size() == 1 && !host.pooledPids().contains(runner));
        UUID id = UUID.randomUUID();
        assertThat(run(launch(host, id, Map.of(), List.of()), "print('still fine')")).isEqualTo("still fine\n");
        assertThat(host.poolStats().warm()).isEqualTo(1);
    }

    private static long processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (java.io.IOException gone) {
            return -1;
        }
    }
}
