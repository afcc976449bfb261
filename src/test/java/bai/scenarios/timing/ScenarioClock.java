package bai.scenarios.timing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One scenario's phase timings (PicoContainer gives each scenario its own). Cheap: a
 * {@code System.nanoTime()} and a few additions per request and per phase, under the clock's own
 * lock, so requests made from other threads (Awaitility's poller, parallel releases) are counted
 * safely. Phases are entered and left on the scenario's thread; a phase entered inside another
 * takes its time from the outer one (exclusive times: the phases never add up to more than the
 * scenario).
 */
public final class ScenarioClock implements PhaseTimer {
    private final long[] nanos = new long[Phase.values().length];
    private final int[] requests = new int[Phase.values().length];
    private final Deque<Open> open = new ArrayDeque<>();
    private long requestNanos;
    private int requestCount;

    private static final class Open implements Span {
        private final ScenarioClock clock;
        private final Phase phase;
        private long resumed;
        private boolean closed;

        Open(ScenarioClock clock, Phase phase, long now) {
            this.clock = clock;
            this.phase = phase;
            this.resumed = now;
        }

        @Override
        public void close() {
            clock.leave(this);
        }
    }

    @Override
    public synchronized void request(long took) {
        requestCount++;
        requestNanos += took;
        Open top = open.peek();
        if (top == null) {
            nanos[Phase.REQUESTS.ordinal()] += took;
            requests[Phase.REQUESTS.ordinal()]++;
        } else {
            requests[top.phase.ordinal()]++;
        }
    }

    @Override
    public synchronized Span enter(Phase phase) {
        long now = System.nanoTime();
        Open outer = open.peek();
        if (outer != null) {
            nanos[outer.phase.ordinal()] += now - outer.resumed;
        }
        Open span = new Open(this, phase, now);
        open.push(span);
        return span;
    }

    private synchronized void leave(Open span) {
        if (span.closed) {
            return;
        }
        span.closed = true;
        long now = System.nanoTime();
        if (open.peek() == span) {
            open.pop();
            nanos[span.phase.ordinal()] += now - span.resumed;
            Open outer = open.peek();
            if (outer != null) {
                outer.resumed = now;
            }
        } else {
            // Left out of order (never on one thread): it keeps the time since it last resumed.
            open.remove(span);
            nanos[span.phase.ordinal()] += Math.max(0, now - span.resumed);
        }
    }

    /** Runs {@code work} in {@code phase}. */
    public <T> T time(Phase phase, Supplier<T> work) {
        try (Span ignored = enter(phase)) {
            return work.get();
        }
    }

    /** Runs {@code work} in {@code phase}. */
    public void time(Phase phase, Runnable work) {
        try (Span ignored = enter(phase)) {
            work.run();
        }
    }

    /** What the clock recorded so far; phases still open count up to now. */
    public synchronized Times snapshot() {
        long now = System.nanoTime();
        Map<Phase, Long> byPhase = new EnumMap<>(Phase.class);
        Map<Phase, Integer> requestsByPhase = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            byPhase.put(phase, nanos[phase.ordinal()]);
            requestsByPhase.put(phase, requests[phase.ordinal()]);
        }
        Open top = open.peek();
        if (top != null) {
            byPhase.merge(top.phase, now - top.resumed, Long::sum);
        }
        return new Times(byPhase, requestsByPhase, requestCount, requestNanos);
    }

    /**
     * A scenario's times: nanoseconds and requests per phase (exclusive), all its requests, and
     * the requests' own summed cost (which overlaps the phases they were made in).
     */
    public record Times(Map<Phase, Long> nanos, Map<Phase, Integer> requests, int requestCount, long requestNanos) {
        public Times {
            nanos = Map.copyOf(nanos);
            requests = Map.copyOf(requests);
        }

        public long phaseNanos() {
            return nanos.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
