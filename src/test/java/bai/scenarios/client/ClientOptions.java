package bai.scenarios.client;

import bai.scenarios.client.transport.Exchange;
import io.restassured.filter.Filter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a {@link ManagerClient} talks: the clock it signs with, the checks run on every outgoing
 * request (contract validation), where exchanges are recorded, and the HTTP timeout.
 */
public record ClientOptions(Clock clock, List<Filter> checks, Consumer<Exchange> evidence, Duration timeout) {
    public ClientOptions {
        checks = List.copyOf(checks);
    }

    /** No checks, no recording: for preflight and unit tests. */
    public static ClientOptions plain(Duration timeout) {
        return new ClientOptions(Clock.systemUTC(), List.of(), exchange -> { }, timeout);
    }
}
