package bai.scenarios.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a session's status history says about its life. */
public final class StatusHistory {
    private StatusHistory() {
    }

    /**
     * The steps of the session's life in {@code history} (status to time, in order, as
     * {@link SessionsApi#statusHistory} gives it). A DEPRIORITIZING before SCHEDULED is left out:
     * it is part of the wait, when the scheduler gave up on the session for a while (PENDING →
     * DEPRIORITIZING → PENDING), as the manager does after ~10 s of failed attempts on a busy
     * cluster. Anywhere else it stays, and shows.
     */
    public static List<String> lifeSteps(Map<String, String> history) {
        List<String> statuses = new ArrayList<>(history.keySet());
        int deprioritized = statuses.indexOf("DEPRIORITIZING");
        int scheduled = statuses.indexOf("SCHEDULED");
        if (deprioritized >= 0 && (scheduled < 0 || deprioritized < scheduled)) {
            statuses.remove(deprioritized);
        }
        return statuses;
    }
}
