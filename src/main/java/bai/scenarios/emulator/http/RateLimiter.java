package bai.scenarios.emulator.http;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** The manager's rolling 15-minute per-keypair request counter ({@code X-RateLimit-*} headers). */
public final class RateLimiter {
    public static final int WINDOW_SECONDS = 15 * 60;
    private final Map<String, Deque<Long>> calls = new HashMap<>();
    private final Clock clock;

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Counts one call; returns the rolling count including it. */
    public synchronized int count(String accessKey) {
        long now = clock.millis();
        Deque<Long> window = calls.computeIfAbsent(accessKey, k -> new ArrayDeque<>());
        while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_SECONDS * 1000L) {
            window.pollFirst();
        }
        window.addLast(now);
        return window.size();
    }
}
