package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.sessions.ComputeSession.Kernel;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The manager's session registry and scheduler plus the agents' side: sessions move through
 * PENDING → SCHEDULED → PREPARING → PULLING → PREPARED → CREATING → RUNNING → TERMINATING →
 * TERMINATED on a background tick, one step per {@link TimingProfile#step()}. Shortage of agent
 * capacity, the keypair's concurrency limit and unfinished dependencies keep a session PENDING.
 */
public final class Sessions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    private static final List<String> PRE_RUN = List.of("SCHEDULED", "PREPARING", "PULLING", "PREPARED", "CREATING",
            "RUNNING");

    /** A status change, as published on the session event stream. */
    public record Event(String name, ComputeSession session, String reason, Kernel kernel) {
        Event(String name, ComputeSession session, String reason) {
            this(name, session, reason, null);
        }

        public boolean isKernelEvent() {
            return kernel != null;
        }

        /** The SSE payload the manager sends (its exitCode is always null in this version). */
        public Map<String, Object> payload() {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("reason", reason);
            data.put("sessionName", session.name);
            data.put("ownerAccessKey", session.ownerAccessKey);
            data.put("sessionId", session.id.toString());
            data.put("exitCode", null);
            if (kernel != null) {
                data.put("kernelId", kernel.id.toString());
                data.put("clusterRole", kernel.role);
                if (kernel.index != 0) {
                    data.put("clusterIdx", kernel.index);
                }
            }
            return data;
        }
    }

    /** Session statuses that the agents report per kernel, with the kernel event's name. */
    private static final Map<String, String> KERNEL_EVENTS = Map.of("PREPARING", "kernel_preparing",
            "PULLING", "kernel_pulling", "CREATING", "kernel_creating", "RUNNING", "kernel_started",
            "TERMINATING", "kernel_terminating", "TERMINATED", "kernel_terminated", "CANCELLED", "kernel_cancelled");

    private final List<ComputeSession> sessions = new ArrayList<>();
    private final List<Agent> agents;
    private final TimingProfile timing;
    private final Path scratch;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "emulator-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    public Sessions(List<Agent> agents, TimingProfile timing) {
        this.agents = List.copyOf(agents);
        this.timing = timing;
        try {
            this.scratch = Files.createTempDirectory("bai-emulator-kernels");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the kernels' scratch directory", e);
        }
        ticker.scheduleWithFixedDelay(this::tick, 0, timing.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    public TimingProfile timing() {
        return timing;
    }

    public List<Agent> agents() {
        return agents;
    }

    public void listen(Consumer<Event> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<Event> listener) {
        listeners.remove(listener);
    }

    /** Enqueues a new session (PENDING); the scheduler takes it from there. */
    public synchronized ComputeSession enqueue(ComputeSession session, IntSupplier concurrencyLimit) {
        sessions.add(session);
        session.concurrencyLimit = concurrencyLimit;
        transition(session, "PENDING", "Session enqueued");
        return session;
    }

    public synchronized Optional<ComputeSession> byId(UUID id) {
        return sessions.stream().filter(s -> s.id.equals(id)).findFirst();
    }

    /** A live (non-terminal) session of the owner by name. */
    public synchronized Optional<ComputeSession> liveByName(String ownerAccessKey, String name) {
        return sessions.stream().filter(s -> s.ownerAccessKey.equals(ownerAccessKey) && s.name.equals(name)
                && !s.isTerminal()).findFirst();
    }

    public synchronized List<ComputeSession> all() {
        return List.copyOf(sessions);
    }

    public synchronized boolean anyLiveIn(UUID groupId) {
        return sessions.stream().anyMatch(s -> s.groupId.equals(groupId) && !s.isTerminal());
    }

    /** The session as the admin GraphQL {@code ComputeSession} type shows it (null if unknown). */
    public synchronized Map<String, Object> graphQlView(UUID id) {
        ComputeSession session = byIdUnlocked(id);
        if (session == null) {
            return null;
        }
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("id", java.util.Base64.getEncoder().encodeToString(("ComputeSession:" + session.id)
                .getBytes(StandardCharsets.UTF_8)));
        view.put("session_id", session.id);
        view.put("main_kernel_id", session.main().id);
        view.put("name", session.name);
        view.put("type", session.type.toUpperCase());
        view.put("image", session.image.reference());
        view.put("cluster_mode", session.clusterMode.toUpperCase().replace('-', '_'));
        view.put("cluster_size", session.clusterSize);
        view.put("domain_name", session.domainName);
        view.put("group_id", session.groupId);
        view.put("user_id", session.userId);
        view.put("access_key", session.ownerAccessKey);
        view.put("status", session.status);
        view.put("status_info", session.statusInfo);
        view.put("status_history", new java.util.LinkedHashMap<>(session.history));
        view.put("created_at", session.createdAt);
        view.put("terminated_at", session.terminatedAt);
        view.put("startup_command", session.startupCommand);
        view.put("num_queries", (long) session.numQueries);
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Kernel kernel : session.kernels) {
            Map<String, Object> container = new java.util.LinkedHashMap<>();
            container.put("id", java.util.Base64.getEncoder().encodeToString(("ComputeContainer:" + kernel.id)
                    .getBytes(StandardCharsets.UTF_8)));
            container.put("idx", kernel.index);
            container.put("role", kernel.role);
            container.put("kernel_id", kernel.id);
            container.put("cluster_idx", kernel.index);
            container.put("cluster_role", kernel.role);
            container.put("session_id", session.id);
            container.put("image", session.image.reference());
            container.put("status", session.status);
            container.put("agent", session.agent == null ? null : session.agent.id());
            containers.add(container);
        }
        view.put("containers", containers);
        view.put("dependencies", session.dependencies.stream().map(this::graphQlViewUnlocked)
                .filter(java.util.Objects::nonNull).toList());
        return view;
    }

    private Map<String, Object> graphQlViewUnlocked(UUID id) {
        return graphQlView(id);
    }

    /** Dependency tree for {@code GET /session/{id}/dependency-graph}. */
    public synchronized Map<String, Object> dependencyGraph(ComputeSession session) {
        Map<String, Object> node = new java.util.LinkedHashMap<>();
        node.put("session_id", session.id.toString());
        node.put("session_name", session.name);
        node.put("status", session.status);
        node.put("status_changed", session.history.get(session.status));
        List<Map<String, Object>> dependsOn = new ArrayList<>();
        for (UUID dependency : session.dependencies) {
            ComputeSession other = byIdUnlocked(dependency);
            if (other != null) {
                dependsOn.add(dependencyGraph(other));
            }
        }
        node.put("depends_on", dependsOn);
        return node;
    }

    /** Runs {@code action} under the registry lock (consistent reads and changes of sessions). */
    public boolean isClosed() {
        return ticker.isShutdown();
    }

    public synchronized <T> T locked(java.util.function.Supplier<T> action) {
        return action.get();
    }

    /** Destroy: PENDING is cancelled at once; forced ends at once; otherwise TERMINATING. */
    public synchronized String destroy(ComputeSession session, boolean forced) {
        if (session.isTerminal()) {
            return null;
        }
        if (session.status.equals("PENDING")) {
            transition(session, "CANCELLED", "user-requested");
            return "cancelled";
        }
        if (forced) {
            stopKernels(session);
            transition(session, "TERMINATED", "force-terminated");
            return "terminated";
        }
        if (!session.status.equals("TERMINATING")) {
            transition(session, "TERMINATING", "user-requested");
        }
        return "terminated";
    }

    private void tick() {
        try {
            synchronized (this) {
                for (ComputeSession session : List.copyOf(sessions)) {
                    advance(session);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "scheduler tick failed", e);
        }
    }

    private void advance(ComputeSession session) {
        boolean due = Duration.between(session.lastChange, Instant.now()).compareTo(timing.step()) >= 0;
        switch (session.status) {
            case "PENDING" -> schedule(session);
            case "SCHEDULED", "PREPARING", "PULLING", "PREPARED" -> {
                if (due) {
                    transition(session, PRE_RUN.get(PRE_RUN.indexOf(session.status) + 1), "triggered-by-scheduler");
                }
            }
            case "CREATING" -> {
                if (due) {
                    start(session);
                }
            }
            case "RUNNING" -> watchBatch(session);
            case "TERMINATING" -> {
                if (due) {
                    stopKernels(session);
                    transition(session, "TERMINATED", session.statusInfo);
                }
            }
            default -> { }
        }
    }

    private void schedule(ComputeSession session) {
        for (UUID dependency : session.dependencies) {
            ComputeSession other = byIdUnlocked(dependency);
            boolean succeeded = other != null && other.status.equals("TERMINATED")
                    && Integer.valueOf(0).equals(other.batchExitCode);
            if (!succeeded) {
                session.statusInfo = "Waiting dependency sessions to finish as success.";
                return;
            }
        }
        int limit = session.concurrencyLimit.getAsInt();
        long running = sessions.stream().filter(s -> s.ownerAccessKey.equals(session.ownerAccessKey)
                && s.agent != null && !s.isTerminal()).count();
        if (limit > 0 && running >= limit) {
            session.statusInfo = "You cannot run more than " + limit + " concurrent sessions";
            return;
        }
        Optional<Agent> agent = agents.stream().filter(a -> a.fits(session.totalCpu(), session.totalMem()))
                .min(Comparator.comparing(Agent::usedCpu));
        if (agent.isEmpty()) {
            session.statusInfo = "No agent has enough free resource slots.";
            return;
        }
        agent.get().reserve(session.totalCpu(), session.totalMem());
        session.agent = agent.get();
        session.statusInfo = null;
        transition(session, "SCHEDULED", "triggered-by-scheduler");
    }

    private ComputeSession byIdUnlocked(UUID id) {
        return sessions.stream().filter(s -> s.id.equals(id)).findFirst().orElse(null);
    }

    /** CREATING → RUNNING: scratch directories, bootstrap script, interpreters, startup command. */
    private void start(ComputeSession session) {
        try {
            for (Kernel kernel : session.kernels) {
                kernel.workdir = Files.createDirectories(scratch.resolve(kernel.id.toString()));
                kernel.log.append("Kernel ").append(kernel.role).append(kernel.index).append(" of session ")
                        .append(session.name).append(" started on ").append(session.agent.id()).append('\n');
                if (session.bootstrapScript != null && !session.bootstrapScript.isBlank()) {
                    Files.writeString(kernel.workdir.resolve(".bootstrap.sh"), session.bootstrapScript);
                    Process bootstrap = shell(kernel, "sh .bootstrap.sh", session.environ);
                    bootstrap.waitFor(30, TimeUnit.SECONDS);
                    kernel.log.append(new String(bootstrap.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                kernel.python = PythonKernel.start(kernel.workdir);
            }
            if (session.type.equals("batch")) {
                Kernel main = session.main();
                main.batch = shell(main, session.startupCommand, session.environ);
            }
            session.runningSince = Instant.now();
            transition(session, "RUNNING", "triggered-by-scheduler");
        } catch (IOException e) {
            stopKernels(session);
            String interpreter = PythonKernel.interpreter();
            transition(session, "ERROR", "failed-to-start: " + (String.valueOf(e.getMessage()).contains(interpreter)
                    ? interpreter + " is not installed on the emulator's host" : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watchBatch(ComputeSession session) {
        Kernel main = session.main();
        if (main.batch == null) {
            return;
        }
        if (!main.batch.isAlive()) {
            session.batchExitCode = main.batch.exitValue();
            appendOutput(main);
            String reason = session.batchExitCode == 0 ? "task-finished" : "task-failed";
            publish(new Event(session.batchExitCode == 0 ? "session_success" : "session_failure", session, reason));
            transition(session, "TERMINATING", reason);
            return;
        }
        if (session.batchTimeoutSeconds != null && session.batchTimeoutSeconds > 0
                && Duration.between(session.runningSince, Instant.now()).toSeconds() >= session.batchTimeoutSeconds) {
            main.batch.descendants().forEach(ProcessHandle::destroyForcibly);
            main.batch.destroyForcibly();
            session.batchExitCode = -1;
            publish(new Event("session_failure", session, "task-timeout"));
            transition(session, "TERMINATING", "task-timeout");
        }
    }

    private static void appendOutput(Kernel kernel) {
        try {
            kernel.log.append(new String(kernel.batch.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the log just lacks the rest
        }
    }

    private static Process shell(Kernel kernel, String command, Map<String, String> environ) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(kernel.workdir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environ);
        builder.environment().put("HOME", kernel.workdir.toString());
        return builder.start();
    }

    private void stopKernels(ComputeSession session) {
        for (Kernel kernel : session.kernels) {
            if (kernel.python != null) {
                kernel.python.close();
                kernel.python = null;
            }
            if (kernel.batch != null && kernel.batch.isAlive()) {
                kernel.batch.descendants().forEach(ProcessHandle::destroyForcibly);
                kernel.batch.destroyForcibly();
            }
        }
        if (session.agent != null) {
            session.agent.release(session.totalCpu(), session.totalMem());
        }
    }

    private void transition(ComputeSession session, String status, String reason) {
        session.status = status;
        session.lastChange = Instant.now();
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        session.history.put(status, now);
        if (ComputeSession.TERMINAL.contains(status)) {
            session.terminatedAt = now;
            if (reason != null) {
                session.statusInfo = reason;
            }
            session.agent = null;
        } else if (status.equals("TERMINATING")) {
            session.statusInfo = reason;
        }
        String event = status.equals("RUNNING") ? "session_started" : "session_" + status.toLowerCase();
        String kernelEvent = KERNEL_EVENTS.get(status);
        if (kernelEvent != null) {
            session.kernels.forEach(kernel -> publish(new Event(kernelEvent, session, reason, kernel)));
        }
        publish(new Event(event, session, reason));
        notifyAll();
    }

    /**
     * Blocks until the session is RUNNING or terminal, or {@code timeout} passes (zero: no
     * bound, as the manager's create without max_wait_seconds). Returns its status then.
     */
    public synchronized String awaitRunning(ComputeSession session, Duration timeout) throws InterruptedException {
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (!session.status.equals("RUNNING") && !session.isTerminal()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return "TIMEOUT";
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, timing.tick().toNanos() * 10));
        }
        return session.status;
    }

    private void publish(Event event) {
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "event listener failed", e);
            }
        }
    }

    /** Ends every session's processes and the scheduler; no interpreter outlives the emulator. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        sessions.forEach(this::stopKernels);
    }
}
