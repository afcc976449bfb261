package bai.scenarios.world;

import bai.scenarios.client.transport.Exchange;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The scenario's HTTP exchanges so far (redacted, the most recent {@value #KEEP}). One per
 * scenario; the evidence hook attaches them to the report when a step fails, so a failing
 * "Then" shows the calls its "When" made.
 */
public final class Evidence {
    static final int KEEP = 50;
    private final Deque<Exchange> exchanges = new ArrayDeque<>();
    private int total;

    public synchronized void record(Exchange exchange) {
        total++;
        exchanges.addLast(exchange);
        if (exchanges.size() > KEEP) {
            exchanges.removeFirst();
        }
    }

    /** The kept exchanges, oldest first. */
    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** How many exchanges the scenario made, including any no longer kept. */
    public synchronized int total() {
        return total;
    }
}
