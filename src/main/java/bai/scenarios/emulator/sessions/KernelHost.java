package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.threads.Futures;
import bai.scenarios.emulator.vfolders.MountMaterializer;
import bai.scenarios.emulator.vfolders.SessionMounts;
import bai.scenarios.emulator.vfolders.Trees;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import bai.scenarios.emulator.threads.ScratchOwner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The agents' side of the emulator: starts and stops kernel processes and owns their scratch
 * directories. Everything slow happens on the agents' pool or in futures, never under a lock
 * and never on a request worker.
 *
 * <p>No process outlives the emulator: each runner leads its own process group and kills it when
 * its stdin closes, which the OS does for us when this JVM dies, even by {@code kill -9};
 * {@link #close()} kills every live kernel; scratch directories go with their kernel, and the
 * scratch roots of emulators that died without cleaning up are removed on the next start.
 *
 * <p>Warm pool: as a real agent keeps its images pulled, the host keeps up to {@code poolSize}
 * runners started ahead of time ({@code kernel_runner.py --pooled}, in an empty directory, with
 * the same interpreter, limits and process group as any kernel). A kernel takes one if it can
 * ({@link #poolable}) and sends it the claim (its directory, the exact environment a cold start
 * would get, bootstrap, read-only mounts, argv), so it is ready after its bootstrap instead of
 * after an interpreter start. The pool is refilled after every claim, on the agents' pool and
 * never under a lock. Pooled runners are forked by a fork server ({@link KernelForkServer}; a
 * fork instead of an interpreter start) when it works, else started as processes of their own
 * ({@code bai.emulator.kernel-fork-server=false} always starts them so). A kernel that finds
 * the pool empty (or a host without one) claims a runner the fork server forks for it there and
 * then; it starts cold only when its environment is not poolable or there is no fork server.
 * Pooled runners are live kernels for {@link #close()} and die with the emulator the same way.
 */
public final class KernelHost implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelHost.class.getName());
    private static final String ROOT_PREFIX = "bai-emulator-";
    /**
     * {@code -S}: site's {@code .pth} hooks can cost more than the interpreter start (a sandbox's CA
     * hook importing certifi tripled it here); {@code kernel_runner.py} puts site-packages and the
     * user site on {@code sys.path} itself.
     */
    static final String NO_SITE_HOOKS = "-S";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bounds of one kernel, from the emulator's settings. */
    public record Limits(Duration startTimeout, long memoryBytes, long cpuSeconds, int logCap, long consoleCap) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 2048L * 1024 * 1024, 600,
                KernelLog.DEFAULT_CAP, 1024 * 1024);
    }

    /** What a kernel needs to start: its id, environment, the session's bootstrap script and mounts. */
    public record Spec(UUID kernelId, Map<String, String> environ, String bootstrapScript, KernelLog log,
                       PythonKernel.Listener listener, List<SessionMounts.Mount> mounts) {
        public Spec {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }

        /** A kernel without mounts. */
        public Spec(UUID kernelId, Map<String, String> environ, String bootstrapScript, KernelLog log,
                    PythonKernel.Listener listener) {
            this(kernelId, environ, bootstrapScript, log, listener, List.of());
        }
    }

    /** Its own thread: a shared answer must not depend on one emulator's pool staying open. */
    private static final java.util.concurrent.Executor RESOLVER = task -> Background.daemon("emulator-python-probe")
            .newThread(task).start();

    private final String interpreterName;
    private final Limits limits;
    private final Background background;
    private final Path root;
    private final Path runner;
    /** Resolved once per JVM and interpreter name: every emulator in this JVM shares the answer. */
    private static final Map<String, CompletableFuture<String>> RESOLVED = new ConcurrentHashMap<>();
    private final Map<Long, PythonKernel> live = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Most runners kept warm; 0: none (kernels are forked when they start, or start cold). */
    private final int poolSize;
    /** Guarded by itself (a leaf lock: nothing is started or waited for while holding it). */
    private final Deque<PythonKernel> pool = new ArrayDeque<>();
    /** Pooled runners being started (guarded by {@link #pool}); they count against its bound. */
    private int poolStarting;
    private final AtomicLong warmStarts = new AtomicLong();
    private final AtomicLong coldStarts = new AtomicLong();
    private final AtomicLong forkedStarts = new AtomicLong();
    private final AtomicLong pooledForked = new AtomicLong();
    private final AtomicLong pooledStarted = new AtomicLong();
    /** Forks the pooled runners; started with the first one (set once, by the refill that won the race). */
    private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<KernelForkServer>> forkServer =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final boolean useForkServer;
    /** How long a pooled runner may take to connect after its fork (it takes milliseconds). */
    private static final Duration FORK_WITHIN = Duration.ofSeconds(10);

    /**
     * A host without a warm pool: each kernel is forked as it starts (the fork server itself starts
     * with the first), or starts its interpreter when forking is off or fails.
     */
    public KernelHost(String interpreterName, Limits limits, Background background) {
        this(interpreterName, limits, background, 0);
    }

    /** A host that keeps up to {@code poolSize} runners warm (filled from {@link #prepare()} on). */
    public KernelHost(String interpreterName, Limits limits, Background background, int poolSize) {
        this(interpreterName, limits, background, poolSize,
                Boolean.parseBoolean(System.getProperty("bai.emulator.kernel-fork-server", "true")));
    }

    /** As above; {@code useForkServer} false: pooled runners always start as processes of their own. */
    KernelHost(String interpreterName, Limits limits, Background background, int poolSize, boolean useForkServer) {
        this.useForkServer = useForkServer;
        if (poolSize < 0) {
            throw new IllegalArgumentException("the kernel pool cannot hold " + poolSize);
        }
        this.poolSize = poolSize;
        this.interpreterName = interpreterName;
        this.limits = limits;
        this.background = background;
        try {
            root = Files.createTempDirectory(ROOT_PREFIX);
            ScratchOwner.claim(root);
            runner = root.resolve("kernel_runner.py");
            try (InputStream in = KernelHost.class.getResourceAsStream("/bai/scenarios/emulator/kernel_runner.py")) {
                if (in == null) {
                    throw new IllegalStateException("kernel_runner.py is missing from the classpath");
                }
                Files.write(runner, in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the emulator's scratch directory", e);
        }
        // Off the start: roots whose owner is gone only, so never this one (claimed above) nor a live emulator's.
        try {
            background.agents().execute(Background.guarded("removing stale kernel scratch roots",
                    KernelHost::reapStaleRoots));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the pool is closed already: the next emulator to start removes them
        }
    }

    /**
     * Starts resolving the interpreter in the background now, so the first session does not pay
     * for it (a pyenv shim costs ~0.4 s a start; the real interpreter behind it much less).
     */
    public void prepare() {
        interpreter().thenRunAsync(this::refill, background.agents())
                .exceptionally(failure -> null); // no interpreter: each kernel reports it when it starts
    }

    /**
     * How kernels started so far: from the warm pool, forked on demand (no runner was waiting),
     * cold, and the runners waiting in the pool now; how many pooled runners were forked by the
     * fork server and how many started as processes of their own.
     */
    public record PoolStats(long warm, long forkedOnDemand, long cold, int waiting, int poolSize, long pooledForked,
                            long pooledStarted) {
    }

    /** The process ids of the runners waiting in the pool (for tests). */
    List<Long> pooledPids() {
        synchronized (pool) {
            return pool.stream().map(PythonKernel::pid).toList();
        }
    }

    public PoolStats poolStats() {
        synchronized (pool) {
            return new PoolStats(warmStarts.get(), forkedStarts.get(), coldStarts.get(), pool.size(), poolSize,
                    pooledForked.get(), pooledStarted.get());
        }
    }

    /** The kernel's scratch directory: its {@code /home/work}. */
    public Path workdir(UUID kernelId) {
        return root.resolve("kernels").resolve(kernelId.toString());
    }

    /** The interpreter kernels run, as resolved once (an absolute path when it could be resolved). */
    public CompletableFuture<String> interpreter() {
        return resolved(interpreterName);
    }

    /** An interpreter name (such as {@code python3}) resolved once per JVM, as every host here resolves it. */
    public static CompletableFuture<String> resolved(String interpreterName) {
        return RESOLVED.computeIfAbsent(interpreterName, name -> CompletableFuture.supplyAsync(
                () -> resolveInterpreter(name), RESOLVER));
    }

    /**
     * Starts a kernel; the future completes when its runner is ready to execute, or fails with a
     * reason a session can show ("failed-to-start: ...").
     */
    public CompletableFuture<PythonKernel> launch(Spec spec) {
        CompletableFuture<PythonKernel> started = interpreter().thenApplyAsync(path -> start(path, spec),
                background.agents());
        return started.thenCompose(kernel -> kernel.ready()
                .orTimeout(limits.startTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (failure == null) {
                        return kernel;
                    }
                    stop(kernel, spec.kernelId());
                    Throwable cause = Futures.cause(failure);
                    throw new CompletionException(new KernelStartFailure(cause instanceof TimeoutException
                            ? "the kernel was not ready within " + limits.startTimeout().toSeconds() + " s"
                            : cause.getMessage()));
                }));
    }

    /** Stops a kernel: asks, then forces after a grace period; then removes its scratch directory. */
    public CompletableFuture<Void> stop(PythonKernel kernel, UUID kernelId) {
        CompletableFuture<Integer> ended = kernel == null ? CompletableFuture.completedFuture(null)
                : kernel.stop().orTimeout(2, TimeUnit.SECONDS).exceptionally(slow -> {
                    kernel.kill();
                    return null;
                });
        return ended.thenRunAsync(() -> {
            if (kernel != null) {
                live.remove(kernel.pid());
            }
            deleteTree(workdir(kernelId));
        }, background.agents());
    }

    /**
     * Whether a started interpreter can take on this environment: variables that act only when
     * an interpreter starts (PYTHON*, the locale's LANG and LC_*) need a cold start.
     */
    static boolean poolable(Map<String, String> environ) {
        return environ.keySet().stream().noneMatch(name -> name.startsWith("PYTHON") || name.equals("LANG")
                || name.startsWith("LC_"));
    }

    /**
     * The kernel from the warm pool when it can take it, else a runner the fork server forks now
     * (a tenth of a cold start's CPU), else a cold start; then the pool is refilled.
     */
    private PythonKernel start(String interpreterPath, Spec spec) {
        if (closed) {
            throw new KernelStartFailure("the emulator is shutting down");
        }
        boolean poolable = poolable(spec.environ());
        PythonKernel warm = poolable ? takeWarm() : null;
        AtomicLong counted = warmStarts;
        if (warm == null && poolable) {
            warm = forkNow(interpreterPath);
            counted = forkedStarts;
        }
        try {
            if (warm != null) {
                try {
                    PythonKernel kernel = claim(warm, spec);
                    counted.incrementAndGet();
                    return kernel;
                } catch (PythonKernel.KernelGone gone) {
                    // It died in the pool just now: start cold, in a directory prepared afresh.
                    live.remove(warm.pid());
                    deleteTree(workdir(spec.kernelId()));
                }
            }
            coldStarts.incrementAndGet();
            return spawn(interpreterPath, spec);
        } finally {
            if (poolSize > 0 && !closed) {
                try {
                    background.agents().execute(Background.guarded("refilling the kernel pool", this::refill));
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // the emulator is closing: no refill
                }
            }
        }
    }

    /** A runner forked for a kernel that found none waiting; null without a working fork server. */
    private PythonKernel forkNow(String interpreterPath) {
        if (!useForkServer) {
            return null;
        }
        try {
            RunnerProcess forked = forked(interpreterPath, poolHome(), KernelForkServer::fork, "a kernel runner");
            return forked == null ? null : waiting(forked);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not fork a kernel runner; starting it cold", e);
            return null;
        }
    }

    /** A pooled runner, preferring one that is idle already; null when the pool is empty. */
    private PythonKernel takeWarm() {
        synchronized (pool) {
            PythonKernel chosen = null;
            for (PythonKernel candidate : pool) {
                if (candidate.idle().isDone() && !candidate.idle().isCompletedExceptionally()) {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen == null) {
                chosen = pool.peekFirst(); // still starting: its claim waits in its stdin, still sooner than cold
            }
            if (chosen != null) {
                pool.remove(chosen);
            }
            return chosen;
        }
    }

    /** The kernel's directory, mounts and bootstrap as for a cold start; then the claim. */
    private PythonKernel claim(PythonKernel warm, Spec spec) throws PythonKernel.KernelGone {
        try {
            Prepared prepared = prepareDirectory(spec);
            ObjectNode claim = JSON.createObjectNode();
            claim.put("cwd", prepared.workdir().toString());
            ObjectNode env = claim.putObject("env");
            environment(System.getenv(), spec, prepared.workdir()).forEach(env::put);
            claim.put("bootstrap", prepared.bootstrap());
            ArrayNode mounts = claim.putArray("ro_mounts");
            prepared.readOnlyMounts().forEach(mounts::add);
            ArrayNode argv = claim.putArray("argv");
            List<String> command = arguments(prepared);
            // sys.argv: the script and its arguments (not the interpreter's own options)
            command.subList(command.indexOf(runner.toString()), command.size()).forEach(argv::add);
            warm.claim(spec.log(), spec.listener(), claim);
            if (closed) {
                warm.kill();
            }
            return warm;
        } catch (MountMaterializer.MountFailure e) {
            stop(warm, spec.kernelId());
            throw new KernelStartFailure("cannot mount: " + e.getMessage());
        } catch (IOException e) {
            stop(warm, spec.kernelId());
            throw new KernelStartFailure(String.valueOf(e.getMessage()));
        }
    }

    /** Starts pooled runners until the pool is full (on the agents' pool; the lock only counts). */
    private void refill() {
        CompletableFuture<String> resolved = interpreter();
        if (!resolved.isDone() || resolved.isCompletedExceptionally()) {
            return;
        }
        String interpreterPath = resolved.join();
        while (true) {
            synchronized (pool) {
                if (closed || pool.size() + poolStarting >= poolSize) {
                    return;
                }
                poolStarting++;
            }
            PythonKernel pooled = null;
            try {
                pooled = waiting(startPooledRunner(interpreterPath, poolHome()));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "could not start a pooled kernel runner", e);
            }
            synchronized (pool) {
                poolStarting--;
                if (pooled == null) {
                    return; // kernels start cold until the next claim tries again
                }
                if (!closed) {
                    pool.addLast(pooled);
                    continue;
                }
            }
            pooled.kill();
            return;
        }
    }

    /** A pooled runner's command line (the fork server's too, which adds {@code --zygote}). */
    private List<String> pooledCommand(String interpreterPath) {
        return List.of(interpreterPath, NO_SITE_HOOKS, runner.toString(),
                "--log-cap=" + limits.logCap(), "--bootstrap=", "--memory-bytes=" + limits.memoryBytes(),
                "--cpu-seconds=" + limits.cpuSeconds(), "--ro-mounts=[]", "--pooled");
    }

    /**
     * A pooled runner's environment on top of the host's. An empty HOME: no user site of the
     * host's user gets onto sys.path before the claim sets the session's.
     */
    private static Map<String, String> pooledEnvironment(Path home) {
        return Map.of("HOME", home.toString(), "PYTHONDONTWRITEBYTECODE", "1", "PYTHONIOENCODING", "utf-8");
    }

    /** A pooled runner: forked when the fork server works, else a process of its own. */
    private RunnerProcess startPooledRunner(String interpreterPath, Path home) throws IOException {
        RunnerProcess forked = forked(interpreterPath, home, KernelForkServer::fork, "a pooled runner");
        if (forked != null) {
            pooledForked.incrementAndGet();
            return forked;
        }
        ProcessBuilder builder = new ProcessBuilder(pooledCommand(interpreterPath))
                .directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(pooledEnvironment(home));
        RunnerProcess started = RunnerProcess.of(builder.start());
        pooledStarted.incrementAndGet();
        return started;
    }

    /**
     * A process running the Python script {@code script} with {@code args} ({@code python -S},
     * stderr discarded; its stdin and stdout are the returned process's streams): forked by the
     * fork server when it works ({@code preload}: modules the script imports, imported there once),
     * else started. The model servers' stand-in runs so. Blocks for the fork (milliseconds) or the
     * process start: call it off the request workers.
     */
    public RunnerProcess startScript(Path script, List<String> args, List<String> preload) throws IOException {
        if (closed) {
            throw new IOException("the emulator is shutting down");
        }
        String interpreterPath;
        try {
            interpreterPath = interpreter().get(limits.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException("no python interpreter: " + Futures.cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        List<String> argv = new java.util.ArrayList<>();
        argv.add(script.toString());
        argv.addAll(args);
        RunnerProcess forked = forked(interpreterPath, poolHome(),
                forks -> forks.forkScript(argv, preload), script.getFileName().toString());
        if (forked != null) {
            return forked;
        }
        List<String> command = new java.util.ArrayList<>(List.of(interpreterPath, NO_SITE_HOOKS));
        command.addAll(argv);
        return RunnerProcess.of(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /**
     * What {@code fork} asks the fork server for, once it has connected; null when there is no
     * working fork server or the fork failed (the caller then starts a process of its own).
     * Bounded, on the agents' pool: a fork and a connect take milliseconds.
     */
    private RunnerProcess forked(String interpreterPath, Path home,
                                 java.util.function.Function<KernelForkServer, CompletableFuture<RunnerProcess>> fork,
                                 String what) {
        KernelForkServer forks = forkServer(interpreterPath, home);
        if (forks == null) {
            return null;
        }
        try {
            return fork.apply(forks).orTimeout(FORK_WITHIN.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            LOG.log(Level.FINE, "the kernel fork server did not fork " + what + "; starting it as a process", e);
            return null;
        }
    }

    /** This host's fork server, started by the first caller; null when it is off or cannot work. */
    private KernelForkServer forkServer(String interpreterPath, Path home) {
        if (!useForkServer || closed) {
            return null;
        }
        CompletableFuture<KernelForkServer> mine = new CompletableFuture<>();
        CompletableFuture<KernelForkServer> current = forkServer.compareAndExchange(null, mine);
        if (current == null) {
            try {
                mine.complete(KernelForkServer.start(pooledCommand(interpreterPath), home, pooledEnvironment(home),
                        root.resolve("fork.sock")));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.INFO, "no kernel fork server (pooled runners start as processes): " + e.getMessage());
                mine.complete(null);
            }
            if (closed && mine.join() != null) {
                mine.join().close();
            }
            current = mine;
        }
        KernelForkServer forks = current.join(); // started by another refill: as long as a process start takes
        return forks != null && forks.usable() ? forks : null;
    }

    /** Where runners and scripts start before a claim gives them a directory of their own. */
    private Path poolHome() throws IOException {
        return Files.createDirectories(root.resolve("pool"));
    }

    /** A started runner waiting for its claim (in the pool, or about to be claimed by a kernel). */
    private PythonKernel waiting(RunnerProcess started) throws IOException {
        PythonKernel[] self = new PythonKernel[1];
        PythonKernel kernel = new PythonKernel(started, new KernelLog(1024), new PythonKernel.Listener() {
            @Override
            public void batchExited(int exitCode) {
            }

            @Override
            public void died(String reason) {
                // A pooled runner that ended unclaimed leaves the pool; one that had come up is
                // replaced (one that never did would fail again: the next claim retries instead).
                PythonKernel gone = self[0];
                if (gone != null) {
                    boolean wasInPool;
                    synchronized (pool) {
                        wasInPool = pool.remove(gone);
                    }
                    live.remove(gone.pid());
                    if (wasInPool && gone.idle().isDone() && !closed) {
                        try {
                            background.agents().execute(Background.guarded("refilling the kernel pool",
                                    KernelHost.this::refill));
                        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                            // the emulator is closing: no refill
                        }
                    }
                }
            }
        }, background, limits.consoleCap());
        self[0] = kernel;
        live.put(kernel.pid(), kernel);
        if (!kernel.process().isAlive()) {
            kernel.kill();
            throw new IOException("the pooled kernel runner ended at once");
        }
        return kernel;
    }

    /** What a kernel's runner needs prepared in its directory. */
    private record Prepared(Path workdir, String bootstrap, List<String> readOnlyMounts, String interpreter) {
    }

    private Prepared prepareDirectory(Spec spec) throws IOException {
        Path workdir = Files.createDirectories(workdir(spec.kernelId()));
        // The session's virtual folders: links to the folders (read-write), snapshots (read-only).
        List<String> readOnlyMounts = MountMaterializer.materialize(workdir, spec.mounts());
        String bootstrap = "";
        if (spec.bootstrapScript() != null && !spec.bootstrapScript().isBlank()) {
            Path script = workdir.resolve(".bootstrap.sh");
            Files.writeString(script, spec.bootstrapScript());
            bootstrap = script.toString();
        }
        CompletableFuture<String> resolved = interpreter();
        return new Prepared(workdir, bootstrap, readOnlyMounts,
                resolved.isDone() && !resolved.isCompletedExceptionally() ? resolved.join() : interpreterName);
    }

    /** The runner's command line for a cold start (and the argv a claimed runner takes on). */
    private List<String> arguments(Prepared prepared) throws IOException {
        return List.of(prepared.interpreter(), NO_SITE_HOOKS, runner.toString(),
                "--log-cap=" + limits.logCap(), "--bootstrap=" + prepared.bootstrap(),
                "--memory-bytes=" + limits.memoryBytes(), "--cpu-seconds=" + limits.cpuSeconds(),
                "--ro-mounts=" + JSON.writeValueAsString(prepared.readOnlyMounts()));
    }

    /** A kernel's environment: the host's, the session's, its HOME, and the interpreter's settings. */
    static Map<String, String> environment(Map<String, String> host, Spec spec, Path workdir) {
        Map<String, String> env = new LinkedHashMap<>(host);
        env.putAll(spec.environ());
        env.put("HOME", workdir.toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        return env;
    }

    private PythonKernel spawn(String interpreterPath, Spec spec) {
        if (closed) {
            throw new KernelStartFailure("the emulator is shutting down");
        }
        try {
            Prepared prepared = prepareDirectory(spec);
            List<String> command = new java.util.ArrayList<>(arguments(prepared));
            command.set(0, interpreterPath);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(prepared.workdir().toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = builder.environment();
            Map<String, String> wanted = environment(env, spec, prepared.workdir());
            env.clear();
            env.putAll(wanted);
            PythonKernel kernel = new PythonKernel(RunnerProcess.of(builder.start()), spec.log(), spec.listener(), background,
                    limits.consoleCap());
            live.put(kernel.pid(), kernel);
            if (closed) {
                kernel.kill();
            }
            return kernel;
        } catch (MountMaterializer.MountFailure e) {
            throw new KernelStartFailure("cannot mount: " + e.getMessage());
        } catch (IOException e) {
            throw new KernelStartFailure(String.valueOf(e.getMessage()).contains(interpreterPath)
                    ? interpreterName + " is not installed on the emulator's host" : String.valueOf(e.getMessage()));
        }
    }

    private static String resolveInterpreter(String interpreterName) {
        ProcessBuilder probe = new ProcessBuilder(interpreterName, "-c", "import sys; print(sys.executable)")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = probe.start();
            String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (!path.isEmpty() && Path.of(path).isAbsolute() && Files.isExecutable(Path.of(path))) {
                return path;
            }
            return interpreterName;
        } catch (IOException notFound) {
            throw new KernelStartFailure(interpreterName + " is not installed on the emulator's host");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelStartFailure("the emulator is shutting down");
        }
    }

    /** Kills every live kernel at once and removes the scratch root; no lock, no waiting. */
    @Override
    public void close() {
        closed = true;
        synchronized (pool) {
            pool.clear();
        }
        // Kernels first, each with everything it started; then the fork server (which kills nothing).
        live.values().forEach(PythonKernel::kill);
        live.clear();
        CompletableFuture<KernelForkServer> forks = forkServer.get();
        if (forks != null) {
            forks.thenAccept(server -> {
                if (server != null) {
                    server.close();
                }
            });
        }
        deleteTree(root);
    }

    /** A kernel could not be started; its message is the session's reason. */
    public static final class KernelStartFailure extends RuntimeException {
        public KernelStartFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Removes the scratch roots of emulators whose process is gone (killed without a chance to clean up). */
    private static void reapStaleRoots() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.filter(p -> p.getFileName().toString().startsWith(ROOT_PREFIX) && Files.isDirectory(p))
                    .filter(p -> Files.exists(p.resolve(ScratchOwner.FILE)) ? ScratchOwner.isGone(p) : isOldLegacyRoot(p))
                    .forEach(KernelHost::deleteTree);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not look for stale scratch directories", e);
        }
    }

    /**
     * A scratch root of an older emulator, which named its roots {@code bai-emulator-kernels…} and
     * wrote no owner: removed once nothing has touched it for an hour.
     */
    private static boolean isOldLegacyRoot(Path root) {
        try {
            return root.getFileName().toString().startsWith(ROOT_PREFIX + "kernels")
                    && Files.getLastModifiedTime(root).toInstant().isBefore(Instant.now().minus(Duration.ofHours(1)));
        } catch (IOException gone) {
            return false;
        }
    }


    /** Removes a tree without following links (a read-write mount's link goes, never its folder). */
    static void deleteTree(Path top) {
        Trees.deleteTree(top);
    }
}
