package bai.scenarios.emulator.sessions;

import java.time.Duration;
import java.util.Locale;

/**
 * How long each lifecycle step takes ({@code step}), how often the scheduler runs a cycle over the
 * sessions waiting in PENDING ({@code tick}: at most one cycle per tick), how often a repeated
 * failure to schedule a session counts as one more attempt ({@code attemptEvery}), and how long an
 * execute waits for output ({@code continueAfter}, the agent's flush timeout). {@code fast}
 * (default) keeps every transition asynchronous but costs only what the scheduler needs (a couple
 * of milliseconds a step); {@code realistic} takes about a second per step, like a manager with a
 * real agent, and schedules every 2 seconds, as the manager's scheduler checks for work on its
 * short cycle. Attempts count every 2 seconds in both: a fast cycle may look again sooner, but the
 * scheduling history's {@code attempts}, and so when the scheduler gives up on a session, follow
 * the manager's pace in real time, like the policies' limits ({@link #scaled}).
 */
public record TimingProfile(String name, Duration tick, Duration step, Duration continueAfter,
                            Duration attemptEvery) {
    /** The manager scheduler's short cycle: how often a busy manager attempts a waiting session. */
    static final Duration MANAGER_CYCLE = Duration.ofSeconds(2);
    public static final TimingProfile FAST = new TimingProfile("fast", Duration.ofMillis(20), Duration.ofMillis(2),
            Duration.ofMillis(1500), MANAGER_CYCLE);
    public static final TimingProfile REALISTIC = new TimingProfile("realistic", MANAGER_CYCLE,
            Duration.ofSeconds(1), Duration.ofSeconds(2), MANAGER_CYCLE);

    /** This profile with attempts counted every {@code interval} (tests of the give-up rule). */
    public TimingProfile withAttemptEvery(Duration interval) {
        return new TimingProfile(name, tick, step, continueAfter, interval);
    }

    /**
     * How long a policy's limit of {@code seconds} (idle timeout, session lifetime) lasts here:
     * its real length in both profiles, so a scenario that runs unchanged against a real manager
     * sets a few seconds and waits that long (policies given in hours never fire during a run).
     */
    public Duration scaled(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /** The profile named by {@code bai.emulator.timing} ("fast" or "realistic"). */
    public static TimingProfile named(String name) {
        return switch (name == null ? "fast" : name.toLowerCase(Locale.ROOT)) {
            case "fast" -> FAST;
            case "realistic" -> REALISTIC;
            default -> throw new IllegalArgumentException("timing profile must be 'fast' or 'realistic', not " + name);
        };
    }
}
