package bai.scenarios.emulator.threads;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The emulator's background threads besides the HTTP servers': a timer for deadlines and pings,
 * the agents' pool for slow work of the agents (process starts and stops, scratch directories,
 * read-only mount snapshots), and the storage pool for the storage proxy's disk work (virtual
 * folder files, uploads, downloads, clones, deletions). The two pools are separate so that a
 * large clone never delays a kernel start, nor a kernel start an upload. Every task survives its
 * own exceptions: they are logged, never allowed to kill a thread or to silently cancel a
 * periodic task.
 */
public final class Background implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Background.class.getName());

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("emulator-timer"));
    private final ExecutorService agents;
    private final ExecutorService storage;

    /** @param agentThreads how many slow jobs (process starts, stops) may run at once */
    public Background(int agentThreads) {
        this(agentThreads, 4);
    }

    /**
     * @param agentThreads how many slow jobs of the agents (process starts, stops) may run at once
     * @param storageThreads how many disk jobs of the storage proxy may run at once
     */
    public Background(int agentThreads, int storageThreads) {
        agents = Executors.newFixedThreadPool(agentThreads, daemon("emulator-agent"));
        storage = Executors.newFixedThreadPool(storageThreads, daemon("emulator-storage"));
    }

    /** Threads named {@code prefix-N}, daemon, so that a forgotten emulator never keeps a JVM alive. */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Wraps {@code task} so that anything it throws is logged instead of lost. */
    public static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable failure) {
                LOG.log(Level.WARNING, what + " failed; the emulator carries on", failure);
            }
        };
    }

    /** Runs {@code task} once after {@code delay} on the timer (keep it quick: it shares one thread). */
    public ScheduledFuture<?> after(Duration delay, Runnable task) {
        return timer.schedule(guarded("timer task", task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} every {@code period} on the timer until cancelled. */
    public ScheduledFuture<?> every(Duration period, Runnable task) {
        return timer.scheduleWithFixedDelay(guarded("periodic task", task), period.toNanos(), period.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** The agents' pool, for slow work. */
    public ExecutorService agents() {
        return agents;
    }

    /**
     * The storage pool, for the storage proxy's disk work. Its tasks never hold the state lock and
     * never wait for the network: a transfer is a chain of short tasks, one chunk each.
     */
    public ExecutorService storage() {
        return storage;
    }

    /** Runs slow {@code work} on the agents' pool. */
    public CompletableFuture<Void> slow(String what, Runnable work) {
        return CompletableFuture.runAsync(work, agents).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, what + " failed", failure);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        agents.shutdownNow();
        storage.shutdownNow();
    }
}
