package bai.scenarios.emulator.sessions;

import java.time.Duration;
import java.util.Locale;

/**
 * How long each lifecycle step takes ({@code step}), how often sessions waiting in PENDING are
 * looked at again ({@code tick}), and how long an execute waits for output ({@code continueAfter},
 * the agent's flush timeout). {@code fast} (default) keeps every transition asynchronous but costs
 * only what the scheduler needs (a couple of milliseconds a step); {@code realistic} takes about a
 * second per step, like a manager with a real agent.
 */
public record TimingProfile(String name, Duration tick, Duration step, Duration continueAfter) {
    public static final TimingProfile FAST = new TimingProfile("fast", Duration.ofMillis(20), Duration.ofMillis(2),
            Duration.ofMillis(1500));
    public static final TimingProfile REALISTIC = new TimingProfile("realistic", Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofSeconds(2));

    /** The profile named by {@code bai.emulator.timing} ("fast" or "realistic"). */
    public static TimingProfile named(String name) {
        return switch (name == null ? "fast" : name.toLowerCase(Locale.ROOT)) {
            case "fast" -> FAST;
            case "realistic" -> REALISTIC;
            default -> throw new IllegalArgumentException("timing profile must be 'fast' or 'realistic', not " + name);
        };
    }
}
