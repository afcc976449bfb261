package bai.scenarios.emulator.sessions;

import java.time.Duration;
import java.util.Locale;

/**
 * How long each lifecycle step takes. {@code fast} (default) keeps every transition
 * asynchronous but quick, so the suite's waiting is exercised without slowing it down;
 * {@code realistic} takes seconds per step, like a manager with a real agent.
 */
public record TimingProfile(String name, Duration tick, Duration step, Duration continueAfter) {
    public static final TimingProfile FAST = new TimingProfile("fast", Duration.ofMillis(10), Duration.ofMillis(30),
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
