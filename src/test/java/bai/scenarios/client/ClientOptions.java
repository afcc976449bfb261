package bai.scenarios.client;

import bai.scenarios.client.transport.Exchange;
import bai.scenarios.timing.PhaseTimer;
import io.restassured.filter.Filter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a {@link ManagerClient} talks: the clock it signs with, the checks run on every outgoing
 * request (contract validation), where exchanges are recorded, the HTTP timeout, and where the
 * cost of each request and the phases of session work are timed (the scenario's clock).
 */
public record ClientOptions(Clock clock, List<Filter> checks, Consumer<Exchange> evidence, Duration timeout,
                            PhaseTimer timer) {
    public ClientOptions {
        checks = List.copyOf(checks);
        timer = timer == null ? PhaseTimer.NONE : timer;
    }

    /** Untimed. */
    public ClientOptions(Clock clock, List<Filter> checks, Consumer<Exchange> evidence, Duration timeout) {
        this(clock, checks, evidence, timeout, PhaseTimer.NONE);
    }

    /** No checks, no recording: for preflight and unit tests. */
    public static ClientOptions plain(Duration timeout) {
        return new ClientOptions(Clock.systemUTC(), List.of(), exchange -> { }, timeout);
    }
}
