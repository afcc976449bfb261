package bai.scenarios.emulator.state;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock over all of the emulator's manager state: the {@link Directory} (domains,
 * projects, users, keypairs, policies) and the session registry with its agents' capacity.
 * Being the only state lock, it has no order with respect to another state lock; see the
 * {@code bai.scenarios.emulator} package documentation for the rules around it.
 */
public final class StateLock {
    private final ReentrantLock lock = new ReentrantLock();

    /** Runs {@code action} holding the lock and returns its result. */
    public <T> T apply(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} holding the lock. */
    public void run(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Fails when the calling thread holds the lock: guards the places that must never run under
     * it (process starts and stops, waits, I/O).
     */
    public void requireNotHeld(String what) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(what + " must not run under the emulator's state lock");
        }
    }
}
