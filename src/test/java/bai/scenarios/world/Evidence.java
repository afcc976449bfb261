package bai.scenarios.world;

import bai.scenarios.client.transport.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP exchanges of the current step (redacted). One per scenario; the evidence hook
 * attaches them to the report when a step fails and clears them after every step.
 */
public final class Evidence {
    private final List<Exchange> sinceLastStep = new ArrayList<>();

    public synchronized void record(Exchange exchange) {
        sinceLastStep.add(exchange);
    }

    /** The exchanges recorded since the last call, oldest first. */
    public synchronized List<Exchange> drain() {
        List<Exchange> drained = List.copyOf(sinceLastStep);
        sinceLastStep.clear();
        return drained;
    }
}
