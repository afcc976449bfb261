package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.vfolders.MountMaterializer;
import bai.scenarios.emulator.vfolders.SessionMounts;
import bai.scenarios.emulator.vfolders.Trees;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 */
public final class KernelHost implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelHost.class.getName());
    private static final String ROOT_PREFIX = "bai-emulator-";
    private static final String OWNER_FILE = "owner";

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

    public KernelHost(String interpreterName, Limits limits, Background background) {
        this.interpreterName = interpreterName;
        this.limits = limits;
        this.background = background;
        reapStaleRoots();
        try {
            root = Files.createTempDirectory(ROOT_PREFIX);
            Files.writeString(root.resolve(OWNER_FILE), ProcessHandle.current().pid() + " "
                    + ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("?"));
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
    }

    /**
     * Starts resolving the interpreter in the background now, so the first session does not pay
     * for it (a pyenv shim costs ~0.4 s a start; the real interpreter behind it much less).
     */
    public void prepare() {
        interpreter();
    }

    /** The kernel's scratch directory: its {@code /home/work}. */
    public Path workdir(UUID kernelId) {
        return root.resolve("kernels").resolve(kernelId.toString());
    }

    /** The interpreter kernels run, as resolved once (an absolute path when it could be resolved). */
    public CompletableFuture<String> interpreter() {
        return RESOLVED.computeIfAbsent(interpreterName, name -> CompletableFuture.supplyAsync(
                () -> resolveInterpreter(name), RESOLVER));
    }

    /**
     * Starts a kernel; the future completes when its runner is ready to execute, or fails with a
     * reason a session can show ("failed-to-start: ...").
     */
    public CompletableFuture<PythonKernel> launch(Spec spec) {
        CompletableFuture<PythonKernel> started = interpreter().thenApplyAsync(path -> spawn(path, spec),
                background.agents());
        return started.thenCompose(kernel -> kernel.ready()
                .orTimeout(limits.startTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (failure == null) {
                        return kernel;
                    }
                    stop(kernel, spec.kernelId());
                    Throwable cause = unwrap(failure);
                    throw new CompletionException(new KernelStartFailure(cause instanceof TimeoutException
                            ? "the kernel was not ready within " + limits.startTimeout().toSeconds() + " s"
                            : cause.getMessage()));
                }));
    }

    /** Stops a kernel: asks, then forces after a grace period; then removes its scratch directory. */
    public CompletableFuture<Void> stop(PythonKernel kernel, UUID kernelId) {
        CompletableFuture<Process> ended = kernel == null ? CompletableFuture.completedFuture(null)
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

    private PythonKernel spawn(String interpreterPath, Spec spec) {
        if (closed) {
            throw new KernelStartFailure("the emulator is shutting down");
        }
        try {
            Path workdir = Files.createDirectories(workdir(spec.kernelId()));
            // The session's virtual folders: links to the folders (read-write), snapshots (read-only).
            List<String> readOnlyMounts = MountMaterializer.materialize(workdir, spec.mounts());
            String bootstrap = "";
            if (spec.bootstrapScript() != null && !spec.bootstrapScript().isBlank()) {
                Path script = workdir.resolve(".bootstrap.sh");
                Files.writeString(script, spec.bootstrapScript());
                bootstrap = script.toString();
            }
            ProcessBuilder builder = new ProcessBuilder(interpreterPath, runner.toString(),
                    "--log-cap=" + limits.logCap(), "--bootstrap=" + bootstrap,
                    "--memory-bytes=" + limits.memoryBytes(), "--cpu-seconds=" + limits.cpuSeconds(),
                    "--ro-mounts=" + new ObjectMapper().writeValueAsString(readOnlyMounts))
                    .directory(workdir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(spec.environ());
            builder.environment().put("HOME", workdir.toString());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            PythonKernel kernel = new PythonKernel(builder.start(), spec.log(), spec.listener(), background,
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
        live.values().forEach(PythonKernel::kill);
        live.clear();
        deleteTree(root);
    }

    /** A kernel could not be started; its message is the session's reason. */
    public static final class KernelStartFailure extends RuntimeException {
        public KernelStartFailure(String message) {
            super(message, null, false, false);
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Removes the scratch roots of emulators whose process is gone (killed without a chance to clean up). */
    private static void reapStaleRoots() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.filter(p -> p.getFileName().toString().startsWith(ROOT_PREFIX) && Files.isDirectory(p))
                    .filter(p -> Files.exists(p.resolve(OWNER_FILE)) ? ownerIsGone(p) : isOldLegacyRoot(p))
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

    private static boolean ownerIsGone(Path root) {
        try {
            String[] owner = Files.readString(root.resolve(OWNER_FILE)).trim().split(" ", 2);
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
            return process.isEmpty() || owner.length > 1 && !process.get().info().startInstant()
                    .map(Instant::toString).orElse("?").equals(owner[1]);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** Removes a tree without following links (a read-write mount's link goes, never its folder). */
    static void deleteTree(Path top) {
        Trees.deleteTree(top);
    }
}
