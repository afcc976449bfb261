package bai.scenarios.client;

import bai.scenarios.client.transport.Exchange;
import bai.scenarios.client.transport.RequestCheck;
import bai.scenarios.client.transport.Transport;
import bai.scenarios.timing.PhaseTimer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a {@link ManagerClient} talks: the clock it signs with, the checks run on every outgoing
 * request (contract validation), where exchanges are recorded, the HTTP timeout, where the cost
 * of each request and the phases of session work are timed (the scenario's clock), and what
 * carries the requests ({@link Transport.Kind#JDK} unless told otherwise).
 */
public record ClientOptions(Clock clock, List<RequestCheck> checks, Consumer<Exchange> evidence, Duration timeout,
                            PhaseTimer timer, Transport transport) {
    public ClientOptions {
        checks = List.copyOf(checks);
        timer = timer == null ? PhaseTimer.NONE : timer;
        transport = transport == null ? Transport.Kind.JDK.transport() : transport;
    }

    /** Timed, over the default transport. */
    public ClientOptions(Clock clock, List<RequestCheck> checks, Consumer<Exchange> evidence, Duration timeout,
                         PhaseTimer timer) {
        this(clock, checks, evidence, timeout, timer, null);
    }

    /** Untimed, over the default transport. */
    public ClientOptions(Clock clock, List<RequestCheck> checks, Consumer<Exchange> evidence, Duration timeout) {
        this(clock, checks, evidence, timeout, PhaseTimer.NONE, null);
    }

    /** No checks, no recording: for preflight and unit tests. */
    public static ClientOptions plain(Duration timeout) {
        return new ClientOptions(Clock.systemUTC(), List.of(), exchange -> { }, timeout);
    }

    /** The same options over another transport. */
    public ClientOptions over(Transport other) {
        return new ClientOptions(clock, checks, evidence, timeout, timer, other);
    }
}
