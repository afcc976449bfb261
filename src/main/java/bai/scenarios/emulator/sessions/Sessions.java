package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.sessions.ComputeSession.Kernel;
import bai.scenarios.emulator.state.PythonRepr;
import bai.scenarios.emulator.state.StateLock;
import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.threads.Futures;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * <p>PENDING sessions are scheduled in cycles, as the manager's sokovan scheduler does: at most
 * one cycle per {@link TimingProfile#tick()}, over the queue in order (priority, highest first,
 * then oldest first). A session no agent has room for stops the cycle: the ones behind it are not
 * attempted (a {@code SKIPPED} record), so they cannot take what it waits for. A failure that is
 * the session's own (a limit, a dependency) holds up nobody. Once a session has failed
 * {@link SchedulingHistory#MAX_RETRIES} counted attempts (counted at the manager's pace,
 * {@link TimingProfile#attemptEvery()}), its next failure gives up on it for a while: PENDING →
 * DEPRIORITIZING → PENDING with its priority 10 lower (0 at least), behind the others. The
 * emulator has one resource group, so one queue.
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
                        String reason, UUID kernelId, String kernelRole, int clusterIdx, String domainName,
                        UUID userId, UUID groupId) {
        public boolean isKernelEvent() {
            return kernelId != null;
        }

        /**
         * The SSE payload the manager sends (its exitCode is always null in this version; the
         * kernel's cluster index is 1-based within its role, so the main kernel's is 1).
         */
        public Map<String, Object> payload() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", reason == null ? "" : reason);
            data.put("sessionName", sessionName);
            data.put("ownerAccessKey", ownerAccessKey);
            data.put("sessionId", sessionId.toString());
            data.put("exitCode", null);
            if (kernelId != null) {
                data.put("kernelId", kernelId.toString());
                data.put("clusterRole", kernelRole);
                if (clusterIdx != 0) {
                    data.put("clusterIdx", clusterIdx);
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
    /** Sessions not yet ended: the only ones a pass looks at. Guarded by the state lock. */
    private final List<ComputeSession> live = new ArrayList<>();
    /** The next pass of the scheduler and when it runs; guarded by its own monitor (a leaf lock). */
    private final Object passLock = new Object();
    private ScheduledFuture<?> nextPass;
    private long nextPassAt;
    private final Set<UUID> failedToSchedule = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Why each session was (not) scheduled, as the superadmin reads it. Guarded by the state lock. */
    private final SchedulingHistory history;
    /** When the last scheduling cycle ran (guarded by the state lock); null: none yet. */
    private Instant lastCycle;
    /** The queue's order: priority (highest first), then oldest first (the FIFO sequencer). */
    private static final Comparator<ComputeSession> QUEUE_ORDER = Comparator
            .comparingInt((ComputeSession s) -> -s.priority).thenComparing(s -> s.created);
    /** The manager's DEPRIORITIZE_AMOUNT. */
    private static final int DEPRIORITIZE_AMOUNT = 10;
    /** The next host port the emulated agents hand to a kernel's service (guarded by the state lock). */
    private int nextHostPort = 30000;
    private volatile boolean closed;

    public Sessions(StateLock state, List<Agent> agents, TimingProfile timing, KernelHost host, Background background) {
        this(state, agents, timing, host, background, null);
    }

    private Sessions(StateLock state, List<Agent> agents, TimingProfile timing, KernelHost host,
                     Background background, AutoCloseable owned) {
        this.state = state;
        this.agents = List.copyOf(agents);
        this.timing = timing;
        this.history = new SchedulingHistory(timing.attemptEvery());
        this.host = host;
        this.background = background;
        this.owned = owned;
        wake();
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
        return enqueue(session, (Supplier<Limits>) () -> Limits.concurrency(concurrencyLimit.getAsInt()));
    }

    /** Enqueues a new session (PENDING) held to {@code limits}, read afresh on every pass. */
    public ComputeSession enqueue(ComputeSession session, Supplier<Limits> limits) {
        return state.apply(() -> {
            if (closed) {
                throw new IllegalStateException("the emulator is shutting down");
            }
            sessions.add(session);
            live.add(session);
            session.limits = limits;
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

    /** A live (non-terminal) session of the user (any of her keypairs) by name; null user: none. */
    public Optional<ComputeSession> liveOfUserByName(UUID userId, String name) {
        return state.apply(() -> sessions.stream().filter(s -> s.userId.equals(userId) && s.name.equals(name)
                && !s.isTerminal()).findFirst());
    }

    public List<ComputeSession> all() {
        return state.apply(() -> List.copyOf(sessions));
    }

    /** Session statuses in which a session still holds its mounts (the manager's "not dead"). */
    private static final Set<String> DEAD_FOR_MOUNTS = Set.of("TERMINATED", "CANCELLED");

    /**
     * Ids of the sessions that mount {@code folderId} and are not TERMINATED or CANCELLED; with
     * {@code occupyingOnly}, only those whose kernels hold resources (not PENDING either). Call
     * under the state lock.
     */
    public List<UUID> sessionsMounting(UUID folderId, boolean occupyingOnly) {
        return state.apply(() -> sessions.stream()
                .filter(s -> !DEAD_FOR_MOUNTS.contains(s.status) && !(occupyingOnly && s.status.equals("PENDING")))
                .filter(s -> s.mounts.stream().anyMatch(m -> m.folderId().equals(folderId)))
                .map(s -> s.id).toList());
    }

    /** Whether a session whose kernels hold resources mounts one of {@code folderIds}. */
    public boolean anyOccupyingSessionMounts(java.util.Collection<UUID> folderIds, UUID inGroupOrNull) {
        return state.apply(() -> sessions.stream()
                .filter(s -> !DEAD_FOR_MOUNTS.contains(s.status) && !s.status.equals("PENDING"))
                .filter(s -> inGroupOrNull == null || s.groupId.equals(inGroupOrNull))
                .anyMatch(s -> s.mounts.stream().anyMatch(m -> folderIds.contains(m.folderId()))));
    }

    /**
     * How many sessions hold agent resources, as the manager's status counts them: those whose
     * main kernel is neither PENDING, TERMINATED nor CANCELLED.
     */
    public int countActive() {
        return state.apply(() -> (int) sessions.stream()
                .filter(s -> !Set.of("PENDING", "TERMINATED", "CANCELLED").contains(s.status)).count());
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

    /**
     * The statuses of the sessions this access key owns (one keypair's view needs no more: a
     * snapshot of every session the run has made is dear once there are hundreds).
     */
    public List<String> statusesOwnedBy(String accessKey) {
        return state.apply(() -> sessions.stream().filter(s -> s.ownerAccessKey.equals(accessKey))
                .map(s -> s.status).toList());
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

    /**
     * The scheduler runs when there is something to do, not on a fixed tick: a pass runs right
     * after any status change (it may free capacity or finish a dependency), at the moment the
     * next lifecycle step falls due, and every {@link TimingProfile#tick()} while sessions wait in
     * PENDING (a policy raised through the admin API wakes nobody directly).
     */
    private void wake() {
        passAt(System.nanoTime());
    }

    /** Makes sure a pass runs no later than {@code atNanos}; takes only the pass lock (a leaf). */
    private void passAt(long atNanos) {
        synchronized (passLock) {
            if (closed || nextPass != null && !nextPass.isDone() && nextPassAt - atNanos <= 0) {
                return;
            }
            if (nextPass != null) {
                nextPass.cancel(false);
            }
            nextPassAt = atNanos;
            try {
                nextPass = ticker.schedule(this::pass, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                nextPass = null;
            }
        }
    }

    private void pass() {
        synchronized (passLock) {
            nextPass = null;
        }
        try {
            List<Runnable> afterwards = new ArrayList<>();
            long[] next = {Long.MAX_VALUE};
            state.run(() -> {
                Instant now = Instant.now();
                Instant cycle = scheduleCycle(now);
                if (cycle != null) {
                    next[0] = Duration.between(now, cycle).toNanos();
                }
                for (ComputeSession session : List.copyOf(live)) {
                    if (session.status.equals("PENDING")) {
                        continue; // the cycle's
                    }
                    try {
                        Instant due = advance(session, now, afterwards);
                        if (due != null) {
                            next[0] = Math.min(next[0], Duration.between(now, due).toNanos());
                        }
                    } catch (RuntimeException | LinkageError | AssertionError failure) {
                        // One broken session must not hold up the others; said once, not every pass.
                        LOG.log(failedToSchedule.add(session.id) ? Level.WARNING : Level.FINE,
                                "scheduling session " + session.id + " failed", failure);
                    }
                }
            });
            afterwards.forEach(Runnable::run);
            if (next[0] != Long.MAX_VALUE) {
                passAt(System.nanoTime() + Math.max(0, next[0]));
            }
        } catch (Throwable failure) {
            // Never let one failure stop the scheduler (that would freeze every session).
            LOG.log(Level.WARNING, "scheduler pass failed; the scheduler carries on", failure);
            passAt(System.nanoTime() + timing.tick().toNanos());
        }
    }

    /** Moves the session on if it can; returns when it next needs a pass (null: an event will say). */
    private Instant advance(ComputeSession session, Instant now, List<Runnable> afterwards) {
        Instant dueAt = session.lastChange.plus(timing.step());
        boolean due = !now.isBefore(dueAt);
        switch (session.status) {
            case "SCHEDULED", "PREPARING", "PULLING", "PREPARED" -> {
                if (!due) {
                    return dueAt;
                }
                transition(session, PRE_RUN.get(PRE_RUN.indexOf(session.status) + 1), "triggered-by-scheduler");
                return now.plus(timing.step());
            }
            case "CREATING" -> {
                if (!due) {
                    return dueAt;
                }
                if (!session.launching) {
                    session.launching = true;
                    afterwards.add(() -> launch(session));
                }
                return null;
            }
            case "RUNNING" -> {
                Instant batch = checkBatchTimeout(session, now);
                if (!session.status.equals("RUNNING")) {
                    return batch;
                }
                Instant idle = checkIdle(session, now);
                return batch == null ? idle : idle == null || batch.isBefore(idle) ? batch : idle;
            }
            case "TERMINATING" -> {
                if (!due) {
                    return dueAt;
                }
                if (!session.stopping) {
                    session.stopping = true;
                    afterwards.add(stopKernelsLater(session, () -> state.run(() -> {
                        if (session.status.equals("TERMINATING")) {
                            transition(session, "TERMINATED", session.statusInfo);
                        }
                    })));
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * One scheduling cycle (see the class documentation), if one is due: returns when the next is
     * due (null: nothing waits). A session whose scheduling throws is logged and holds up nobody.
     */
    private Instant scheduleCycle(Instant now) {
        List<ComputeSession> queue = live.stream().filter(s -> s.status.equals("PENDING")).sorted(QUEUE_ORDER).toList();
        if (queue.isEmpty()) {
            return null;
        }
        if (lastCycle != null && now.isBefore(lastCycle.plus(timing.tick()))) {
            return lastCycle.plus(timing.tick());
        }
        lastCycle = now;
        ComputeSession blocking = null;
        boolean waiting = false;
        for (ComputeSession session : queue) {
            if (blocking != null) {
                history.skipped(session.id, blocking.id);
                waiting = true;
                continue;
            }
            try {
                if (!schedule(session)) {
                    blocking = session;
                }
            } catch (RuntimeException | LinkageError | AssertionError failure) {
                // One broken session must not hold up the others; said once, not every cycle.
                LOG.log(failedToSchedule.add(session.id) ? Level.WARNING : Level.FINE,
                        "scheduling session " + session.id + " failed", failure);
            }
            waiting |= session.status.equals("PENDING");
        }
        return waiting ? now.plus(timing.tick()) : null;
    }

    /** One attempt; false when no agent had room for the session (which stops the cycle). */
    private boolean schedule(ComputeSession session) {
        List<String> waitingFor = new ArrayList<>();
        for (UUID dependency : session.dependencies) {
            ComputeSession other = byIdUnlocked(dependency);
            boolean succeeded = other != null && other.status.equals("TERMINATED")
                    && Integer.valueOf(0).equals(other.batchExitCode);
            if (!succeeded) {
                waitingFor.add(other == null ? dependency.toString() : other.name);
            }
        }
        if (!waitingFor.isEmpty()) {
            failedToSchedule(session, "Waiting dependency sessions to finish as success. ("
                    + String.join(", ", waitingFor) + ")");
            return true;
        }
        String refusal = SchedulingRules.refusal(session, session.limits.get(), sessions);
        if (refusal != null) {
            failedToSchedule(session, refusal);
            return true;
        }
        Optional<Agent> agent = agents.stream().filter(a -> a.fits(session.totalCpu(), session.totalMem()))
                .min(Comparator.comparing(Agent::usedCpu));
        if (agent.isEmpty()) {
            failedToSchedule(session, PlacementFailure.message(session, agents));
            return false;
        }
        agent.get().reserve(session.totalCpu(), session.totalMem());
        session.agent = agent.get();
        session.placedOn = agent.get().id();
        session.statusInfo = null;
        history.succeeded(session.id, "PENDING", "SCHEDULED");
        transition(session, "SCHEDULED", "triggered-by-scheduler");
        return true;
    }

    /**
     * The session stays PENDING and the history keeps why (only there: the manager leaves a
     * waiting session's status info as it was, empty); or, its attempts spent, it is given up on
     * for a while. The manager keeps such a session in DEPRIORITIZING until its next
     * deprioritizing cycle; here it passes through at once (no event either way: the manager
     * broadcasts neither to users).
     */
    private void failedToSchedule(ComputeSession session, String reason) {
        if (!history.retriesExhausted(session.id)) {
            history.needRetry(session.id, reason);
            return;
        }
        Instant gaveUp = Instant.now();
        // Back in PENDING strictly later (the status history's times order it): the latest time is kept.
        Instant back = gaveUp.plus(1, ChronoUnit.MICROS);
        history.gaveUp(session.id);
        session.history.put("DEPRIORITIZING", PythonRepr.isoformat(gaveUp));
        session.priority = Math.max(ComputeSession.MIN_PRIORITY, session.priority - DEPRIORITIZE_AMOUNT);
        history.deprioritized(session.id);
        session.history.put("PENDING", PythonRepr.isoformat(back));
        session.lastChange = back;
    }

    /** The superadmin's view of the scheduling history ({@code /v2/scheduling-history/sessions/search}). */
    public SchedulingHistory history() {
        return history;
    }

    /**
     * The idle checkers' verdict on a RUNNING session: {@code idle-session-lifetime} once it has
     * run longer than the policy's {@code max_session_lifetime}, {@code idle-timeout} once no
     * code ran in it for the policy's {@code idle_timeout}; returns when to look again.
     */
    private Instant checkIdle(ComputeSession session, Instant now) {
        if (session.runningSince == null) {
            return null;
        }
        Limits limits = session.limits.get();
        Instant next = null;
        if (limits.maxSessionLifetimeSeconds() > 0) {
            Instant end = session.runningSince.plus(timing.scaled(limits.maxSessionLifetimeSeconds()));
            if (!now.isBefore(end)) {
                transition(session, "TERMINATING", "idle-session-lifetime");
                return now;
            }
            next = end;
        }
        if (limits.idleTimeoutSeconds() > 0 && !session.type.equals("batch")) {
            Instant lastAccess = session.lastAccess == null ? session.runningSince : session.lastAccess;
            Instant end = lastAccess.plus(timing.scaled(limits.idleTimeoutSeconds()));
            if (!now.isBefore(end)) {
                transition(session, "TERMINATING", "idle-timeout");
                return now;
            }
            next = next == null || end.isBefore(next) ? end : next;
        }
        // A policy changed meanwhile is seen within a second (the manager's checkers poll too).
        Instant recheck = now.plusSeconds(1);
        return next == null || recheck.isBefore(next) ? recheck : next;
    }

    /** Ends a batch task that outlived its timeout; returns when it would, while it runs. */
    private Instant checkBatchTimeout(ComputeSession session, Instant now) {
        if (!session.type.equals("batch") || session.batchExitCode != null || session.batchTimeoutSeconds == null
                || session.batchTimeoutSeconds <= 0 || session.runningSince == null) {
            return null;
        }
        Instant deadline = session.runningSince.plusSeconds(session.batchTimeoutSeconds);
        if (now.isBefore(deadline)) {
            return deadline;
        }
        session.batchExitCode = -1;
        publish(session, "session_failure", "task-timeout");
        transition(session, "TERMINATING", "task-timeout");
        return now;
    }

    /** Every session, for reports that read them under the state lock (the caller holds it). */
    List<ComputeSession> sessionsUnlocked() {
        return sessions;
    }

    StateLock stateLock() {
        return state;
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
                    kernel.log, listenerFor(session), session.mounts)));
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
                transition(session, "ERROR", "failed-to-start: " + Futures.cause(failure).getMessage());
                return;
            }
            session.runningSince = Instant.now();
            for (Kernel kernel : session.kernels) {
                kernel.servicePorts = servicePorts();
            }
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
        List<Kernel> kernels = List.copyOf(session.kernels);
        for (Kernel kernel : session.kernels) {
            processes.add(kernel.python);
            ids.add(kernel.id);
            kernel.python = null;
        }
        releaseCapacity(session);
        java.math.BigInteger memory = session.mem;
        Runnable stopAll = () -> {
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
        return () -> {
            state.requireNotHeld("stopping kernels");
            try {
                // The agent keeps a kernel's last statistics; they are measured (I/O) on the agents' pool.
                background.agents().execute(Background.guarded("stopping a session's kernels", () -> {
                    try {
                        recordLastStats(kernels, processes, memory);
                    } finally {
                        stopAll.run();
                    }
                }));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                stopAll.run();
            }
        };
    }

    private void recordLastStats(List<Kernel> kernels, List<PythonKernel> processes, java.math.BigInteger memory) {
        List<Map<String, Object>> stats = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) {
            PythonKernel python = processes.get(i);
            stats.add(KernelStats.measure(python == null ? null : python.process(), kernels.get(i).workdir, memory));
        }
        state.run(() -> {
            for (int i = 0; i < kernels.size(); i++) {
                kernels.get(i).lastStat = stats.get(i);
            }
        });
    }

    /**
     * The service ports an agent opens in every kernel it starts (sshd and ttyd), each bound to a
     * host port from the emulated agents' port pool. Under the state lock.
     */
    private List<Map<String, Object>> servicePorts() {
        List<Map<String, Object>> ports = new ArrayList<>();
        for (Object[] service : new Object[][] {{"sshd", "tcp", 2200}, {"ttyd", "http", 7681}}) {
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("name", service[0]);
            port.put("protocol", service[1]);
            port.put("container_ports", List.of(service[2]));
            port.put("host_ports", List.of(nextHostPort++));
            port.put("is_inference", false);
            ports.add(port);
            if (nextHostPort > 32999) {
                nextHostPort = 30000;
            }
        }
        return ports;
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
        if (ComputeSession.TERMINAL.contains(status)) {
            live.remove(session);
        }
        wake();
        Instant instant = Instant.now();
        session.lastChange = instant;
        String now = PythonRepr.isoformat(instant);
        session.history.put(status, now);
        if (ComputeSession.TERMINAL.contains(status)) {
            session.terminatedAt = now;
            session.terminated = instant;
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
                        kernel.id, kernel.role, kernel.clusterIdx(), session.domainName, session.userId,
                        session.groupId));
            }
        }
        publish(session, status.equals("RUNNING") ? "session_started" : "session_" + status.toLowerCase(), reason);
    }

    private void publish(ComputeSession session, String name, String reason) {
        events.publish(new Event(name, session.id, session.name, session.ownerAccessKey, session.status, reason,
                null, null, 0, session.domainName, session.userId, session.groupId));
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
