package bai.scenarios.hooks;

/**
 * A JVM shutdown hook that lets a report plugin write its last words when the run is interrupted
 * (Ctrl+C, SIGTERM) before Cucumber's TestRunFinished. Armed when the plugin starts writing, disarmed
 * when it has finished normally; the action itself must tolerate being called after a normal finish.
 */
final class InterruptionHook {
    private final Thread thread;
    private boolean armed;

    InterruptionHook(String name, Runnable onInterruption) {
        this.thread = new Thread(onInterruption, name);
    }

    synchronized void arm() {
        if (!armed) {
            Runtime.getRuntime().addShutdownHook(thread);
            armed = true;
        }
    }

    synchronized void disarm() {
        if (!armed) {
            return;
        }
        armed = false;
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shutdownInProgress) {
            // called from the hook itself, or while the JVM shuts down: nothing left to undo
        }
    }

    /**
     * Whether the JVM is shutting down: a scenario that "finishes" then most likely failed because
     * the run is being torn down (its emulator stopped), so it counts as unfinished, not failed.
     */
    static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }
}
