package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.sessions.ComputeSession.Kernel;
import bai.scenarios.emulator.state.StateLock;
import bai.scenarios.emulator.threads.Background;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The manager's session registry and scheduler plus the agents' side: sessions move through
 * PENDING → SCHEDULED → PREPARING → PULLING → PREPARED → CREATING → RUNNING → TERMINATING →
 * TERMINATED on a background tick, one step per {@link TimingProfile#step()}. Shortage of agent
 * capacity, the keypair's concurrency limit and unfinished dependencies keep a session PENDING.
 *
 * <p>Concurrency: all session state (and the agents' capacity) is guarded by the emulator's one
 * {@link StateLock}. The scheduler thread only decides under it; starting and stopping kernels is
 * handed to the {@link KernelHost} on the agents' pool, whose results are committed under the lock
 * again (if the session has moved on meanwhile, the late kernel is stopped). Events are published
 * to the {@link EventBus}, which delivers them outside the lock.
 */
public final class Sessions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    private static final List<String> PRE_RUN = List.of("SCHEDULED", "PREPARING", "PULLING", "PREPARED", "CREATING",
            "RUNNING");
    private static final Set<String> REACHED_RUNNING = Set.of("RUNNING", "TERMINATING", "TERMINATED", "CANCELLED",
            "ERROR");

    /** A status change as published on the session event stream: a snapshot, safe to read anywhere. */
    public record Event(String name, UUID sessionId, String sessionName, String ownerAccessKey, String status,
                        String reason, UUID kernelId, String kernelRole, int kernelIndex) {
        public boolean isKernelEvent() {
            return kernelId != null;
        }

        /** The SSE payload the manager sends (its exitCode is always null in this version). */
        public Map<String, Object> payload() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", reason);
            data.put("sessionName", sessionName);
            data.put("ownerAccessKey", ownerAccessKey);
            data.put("sessionId", sessionId.toString());
            data.put("exitCode", null);
            if (kernelId != null) {
                data.put("kernelId", kernelId.toString());
                data.put("clusterRole", kernelRole);
                if (kernelIndex != 0) {
                    data.put("clusterIdx", kernelIndex);
                }
            }
            return data;
        }
    }

    /** Session statuses that the agents report per kernel, with the kernel event's name. */
    private static final Map<String, String> KERNEL_EVENTS = Map.of("PREPARING", "kernel_preparing",
            "PULLING", "kernel_pulling", "CREATING", "kernel_creating", "RUNNING", "kernel_started",
            "TERMINATING", "kernel_terminating", "TERMINATED", "kernel_terminated", "CANCELLED", "kernel_cancelled");

    private final StateLock state;
    private final List<ComputeSession> sessions = new ArrayList<>();
    private final List<Agent> agents;
    private final TimingProfile timing;
    private final KernelHost host;
    private final Background background;
    private final EventBus events = new EventBus();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Background.daemon("emulator-scheduler"));
    private final AutoCloseable owned;
    private final Set<UUID> failedToSchedule = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public Sessions(StateLock state, List<Agent> agents, TimingProfile timing, KernelHost host, Background background) {
        this(state, agents, timing, host, background, null);
    }

    private Sessions(StateLock state, List<Agent> agents, TimingProfile timing, KernelHost host,
                     Background background, AutoCloseable owned) {
        this.state = state;
        this.agents = List.copyOf(agents);
        this.timing = timing;
        this.host = host;
        this.background = background;
        this.owned = owned;
        ticker.scheduleWithFixedDelay(this::tick, 0, timing.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A registry with its own threads and kernel host (for tests and tools); closing it closes them. */
    public static Sessions standalone(StateLock state, List<Agent> agents, TimingProfile timing, String interpreter) {
        Background background = new Background(4);
        KernelHost host = new KernelHost(interpreter, KernelHost.Limits.DEFAULT, background);
        return new Sessions(state, agents, timing, host, background, () -> {
            host.close();
            background.close();
        });
    }

    public TimingProfile timing() {
        return timing;
    }

    public List<Agent> agents() {
        return agents;
    }

    public Background background() {
        return background;
    }

    /** Listeners run on the event dispatcher thread: quick, non-blocking, never under the state lock. */
    public void listen(Consumer<Event> listener) {
        events.listen(listener);
    }

    public void unlisten(Consumer<Event> listener) {
        events.unlisten(listener);
    }

    // --- the registry (under the state lock) -----------------------------------------------------

    /** Enqueues a new session (PENDING); the scheduler takes it from there. */
    public ComputeSession enqueue(ComputeSession session, IntSupplier concurrencyLimit) {
        return state.apply(() -> {
            if (closed) {
                throw new IllegalStateException("the emulator is shutting down");
            }
            sessions.add(session);
            session.concurrencyLimit = concurrencyLimit;
            for (Kernel kernel : session.kernels) {
                kernel.workdir = host.workdir(kernel.id);
            }
            transition(session, "PENDING", "Session enqueued");
            return session;
        });
    }

    public Optional<ComputeSession> byId(UUID id) {
        return state.apply(() -> Optional.ofNullable(byIdUnlocked(id)));
    }

    /** A live (non-terminal) session of the owner by name. */
    public Optional<ComputeSession> liveByName(String ownerAccessKey, String name) {
        return state.apply(() -> sessions.stream().filter(s -> s.ownerAccessKey.equals(ownerAccessKey)
                && s.name.equals(name) && !s.isTerminal()).findFirst());
    }

    public List<ComputeSession> all() {
        return state.apply(() -> List.copyOf(sessions));
    }

    public boolean anyLiveIn(UUID groupId) {
        return state.apply(() -> sessions.stream().anyMatch(s -> s.groupId.equals(groupId) && !s.isTerminal()));
    }

    /** Runs {@code action} under the state lock (consistent reads and changes of sessions). */
    public <T> T locked(Supplier<T> action) {
        return state.apply(action);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Fails if the caller holds the state lock: for calls into kernels, which must never run under it. */
    public void requireUnlocked(String what) {
        state.requireNotHeld(what);
    }

    /** Every session as it stands now (the admin GraphQL types are computed from these). */
    public List<SessionSnapshot> snapshots() {
        return state.apply(() -> sessions.stream().map(SessionSnapshot::of).toList());
    }

    /** One session as it stands now, if the registry knows it. */
    public Optional<SessionSnapshot> snapshot(UUID id) {
        return state.apply(() -> Optional.ofNullable(byIdUnlocked(id)).map(SessionSnapshot::of));
    }

    /** Dependency tree for {@code GET /session/{id}/dependency-graph}. */
    public Map<String, Object> dependencyGraph(ComputeSession session) {
        return state.apply(() -> dependencyGraphOf(session));
    }

    private Map<String, Object> dependencyGraphOf(ComputeSession session) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("session_id", session.id.toString());
        node.put("session_name", session.name);
        node.put("status", session.status);
        node.put("status_changed", session.history.get(session.status));
        List<Map<String, Object>> dependsOn = new ArrayList<>();
        for (UUID dependency : session.dependencies) {
            ComputeSession other = byIdUnlocked(dependency);
            if (other != null) {
                dependsOn.add(dependencyGraphOf(other));
            }
        }
        node.put("depends_on", dependsOn);
        return node;
    }

    /** Destroy: PENDING is cancelled at once; forced ends at once; otherwise TERMINATING. */
    public String destroy(ComputeSession session, boolean forced) {
        List<Runnable> afterwards = new ArrayList<>();
        String outcome = state.apply(() -> {
            if (session.isTerminal()) {
                return null;
            }
            if (session.status.equals("PENDING")) {
                transition(session, "CANCELLED", "user-requested");
                return "cancelled";
            }
            if (forced) {
                afterwards.add(stopKernelsLater(session, null));
                transition(session, "TERMINATED", "force-terminated");
                return "terminated";
            }
            if (!session.status.equals("TERMINATING")) {
                transition(session, "TERMINATING", "user-requested");
            }
            return "terminated";
        });
        afterwards.forEach(Runnable::run);
        return outcome;
    }

    /**
     * Completes with the session's status once it is RUNNING (or past it, or ended), or with
     * "TIMEOUT" after {@code timeout} (zero: no bound, as the manager's create without
     * max_wait_seconds). Holds no thread while waiting.
     */
    public CompletableFuture<String> whenRunning(ComputeSession session, Duration timeout) {
        CompletableFuture<String> reached = new CompletableFuture<>();
        Consumer<Event> listener = event -> {
            if (event.sessionId().equals(session.id) && !event.isKernelEvent()
                    && REACHED_RUNNING.contains(event.status())) {
                reached.complete(event.status());
            }
        };
        events.listen(listener);
        String now = state.apply(() -> session.status);
        if (REACHED_RUNNING.contains(now)) {
            reached.complete(now);
        }
        ScheduledFuture<?> deadline = timeout.isZero() ? null
                : background.after(timeout, () -> reached.complete("TIMEOUT"));
        reached.whenComplete((status, failure) -> {
            events.unlisten(listener);
            if (deadline != null) {
                deadline.cancel(false);
            }
        });
        return reached;
    }

    // --- the scheduler ---------------------------------------------------------------------

    private void tick() {
        try {
            List<Runnable> afterwards = new ArrayList<>();
            state.run(() -> {
                Instant now = Instant.now();
                for (ComputeSession session : List.copyOf(sessions)) {
                    try {
                        advance(session, now, afterwards);
                    } catch (RuntimeException | LinkageError | AssertionError failure) {
                        // One broken session must not hold up the others; said once, not every tick.
                        LOG.log(failedToSchedule.add(session.id) ? Level.WARNING : Level.FINE,
                                "scheduling session " + session.id + " failed", failure);
                    }
                }
            });
            afterwards.forEach(Runnable::run);
        } catch (Throwable failure) {
            // Never let one failure end the periodic task (that would freeze every session).
            LOG.log(Level.WARNING, "scheduler tick failed; the scheduler carries on", failure);
        }
    }

    private void advance(ComputeSession session, Instant now, List<Runnable> afterwards) {
        boolean due = Duration.between(session.lastChange, now).compareTo(timing.step()) >= 0;
        switch (session.status) {
            case "PENDING" -> schedule(session);
            case "SCHEDULED", "PREPARING", "PULLING", "PREPARED" -> {
                if (due) {
                    transition(session, PRE_RUN.get(PRE_RUN.indexOf(session.status) + 1), "triggered-by-scheduler");
                }
            }
            case "CREATING" -> {
                if (due && !session.launching) {
                    session.launching = true;
                    afterwards.add(() -> launch(session));
                }
            }
            case "RUNNING" -> checkBatchTimeout(session, now);
            case "TERMINATING" -> {
                if (due && !session.stopping) {
                    session.stopping = true;
                    afterwards.add(stopKernelsLater(session, () -> state.run(() -> {
                        if (session.status.equals("TERMINATING")) {
                            transition(session, "TERMINATED", session.statusInfo);
                        }
                    })));
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
        session.placedOn = agent.get().id();
        session.statusInfo = null;
        transition(session, "SCHEDULED", "triggered-by-scheduler");
    }

    private void checkBatchTimeout(ComputeSession session, Instant now) {
        if (session.type.equals("batch") && session.batchExitCode == null && session.batchTimeoutSeconds != null
                && session.batchTimeoutSeconds > 0 && session.runningSince != null
                && Duration.between(session.runningSince, now).toSeconds() >= session.batchTimeoutSeconds) {
            session.batchExitCode = -1;
            publish(session, "session_failure", "task-timeout");
            transition(session, "TERMINATING", "task-timeout");
        }
    }

    ComputeSession byIdUnlocked(UUID id) {
        return sessions.stream().filter(s -> s.id.equals(id)).findFirst().orElse(null);
    }

    // --- the agents' side (outside the lock) ---------------------------------------------------

    /** CREATING → RUNNING once every kernel's runner is ready (the bootstrap script has run). */
    private void launch(ComputeSession session) {
        state.requireNotHeld("starting kernels");
        List<CompletableFuture<PythonKernel>> starting = new ArrayList<>();
        String header = state.apply(() -> "of session " + session.name + " started on "
                + (session.agent == null ? "?" : session.agent.id()) + "\n");
        for (Kernel kernel : session.kernels) {
            kernel.log.append("Kernel " + kernel.role + kernel.index + " " + header);
            starting.add(host.launch(new KernelHost.Spec(kernel.id, session.environ, session.bootstrapScript,
                    kernel.log, listenerFor(session))));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                .whenComplete((ok, failure) -> started(session, starting, failure));
    }

    private void started(ComputeSession session, List<CompletableFuture<PythonKernel>> starting, Throwable failure) {
        List<PythonKernel> kernels = starting.stream()
                .map(f -> f.isCompletedExceptionally() ? null : f.getNow(null)).toList();
        List<Runnable> afterwards = new ArrayList<>();
        state.run(() -> {
            session.launching = false;
            boolean wanted = session.status.equals("CREATING") && !closed;
            for (int i = 0; i < kernels.size(); i++) {
                if (wanted && failure == null) {
                    session.kernels.get(i).python = kernels.get(i);
                } else if (kernels.get(i) != null) {
                    PythonKernel late = kernels.get(i);
                    UUID kernelId = session.kernels.get(i).id;
                    afterwards.add(() -> host.stop(late, kernelId));
                }
            }
            if (!wanted) {
                return;
            }
            if (failure != null) {
                afterwards.add(stopKernelsLater(session, null));
                transition(session, "ERROR", "failed-to-start: " + KernelHost.unwrap(failure).getMessage());
                return;
            }
            session.runningSince = Instant.now();
            transition(session, "RUNNING", "triggered-by-scheduler");
            if (session.type.equals("batch")) {
                PythonKernel main = session.main().python;
                afterwards.add(() -> main.startBatch(session.startupCommand));
            }
        });
        afterwards.forEach(Runnable::run);
    }

    private PythonKernel.Listener listenerFor(ComputeSession session) {
        return new PythonKernel.Listener() {
            @Override
            public void batchExited(int exitCode) {
                state.run(() -> {
                    if (!session.status.equals("RUNNING") || session.batchExitCode != null) {
                        return;
                    }
                    session.batchExitCode = exitCode;
                    String reason = exitCode == 0 ? "task-finished" : "task-failed";
                    publish(session, exitCode == 0 ? "session_success" : "session_failure", reason);
                    transition(session, "TERMINATING", reason);
                });
            }

            @Override
            public void died(String reason) {
                state.run(() -> {
                    if (!session.status.equals("RUNNING")) {
                        return;
                    }
                    LOG.fine(() -> "a kernel of session " + session.id + " ended by itself: " + reason);
                    if (session.type.equals("batch") && session.batchExitCode == null) {
                        session.batchExitCode = -1;
                        publish(session, "session_failure", "task-failed");
                    }
                    transition(session, "TERMINATING", "self-terminated");
                });
            }
        };
    }

    /**
     * Detaches the session's kernels and frees its capacity (under the lock); the returned task
     * stops the processes and removes the scratch directories, then runs {@code then}.
     */
    private Runnable stopKernelsLater(ComputeSession session, Runnable then) {
        List<PythonKernel> processes = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (Kernel kernel : session.kernels) {
            processes.add(kernel.python);
            ids.add(kernel.id);
            kernel.python = null;
        }
        releaseCapacity(session);
        return () -> {
            state.requireNotHeld("stopping kernels");
            List<CompletableFuture<Void>> stopping = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                stopping.add(host.stop(processes.get(i), ids.get(i)));
            }
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
                if (then != null) {
                    Background.guarded("committing a session's end", then).run();
                }
            });
        };
    }

    private void releaseCapacity(ComputeSession session) {
        if (session.agent != null) {
            session.agent.release(session.totalCpu(), session.totalMem());
            session.agent = null;
        }
    }

    // --- transitions and events (under the lock) -------------------------------------------------

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
            releaseCapacity(session);
        } else if (status.equals("TERMINATING")) {
            session.statusInfo = reason;
        }
        String kernelEvent = KERNEL_EVENTS.get(status);
        if (kernelEvent != null) {
            for (Kernel kernel : session.kernels) {
                events.publish(new Event(kernelEvent, session.id, session.name, session.ownerAccessKey, status, reason,
                        kernel.id, kernel.role, kernel.index));
            }
        }
        publish(session, status.equals("RUNNING") ? "session_started" : "session_" + status.toLowerCase(), reason);
    }

    private void publish(ComputeSession session, String name, String reason) {
        events.publish(new Event(name, session.id, session.name, session.ownerAccessKey, session.status, reason,
                null, null, 0));
    }

    /** Ends every kernel process and the scheduler; takes no lock, waits for nothing. */
    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        events.close();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the kernel host failed", e);
            }
        }
    }
}
