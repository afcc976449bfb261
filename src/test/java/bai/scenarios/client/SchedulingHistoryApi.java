package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The superadmin's scheduling history ({@code POST /v2/scheduling-history/sessions/search}): why
 * the scheduler did or did not start a session. A limit that keeps a session PENDING shows up as a
 * {@code NEED_RETRY} record with the scheduler's words (repeats add to its {@code attempts} and keep
 * the first words); the session itself carries no error.
 */
public final class SchedulingHistoryApi {
    private static final Set<String> FAILED_ATTEMPTS = Set.of("NEED_RETRY", "FAILURE");
    private final ManagerClient client;

    SchedulingHistoryApi(ManagerClient client) {
        this.client = client;
    }

    /** One scheduling outcome of a session. */
    public record Record(String phase, String fromStatus, String toStatus, String result, String message,
                         int attempts, String updatedAt) {
    }

    /** The session's records, newest first. */
    public List<Record> of(UUID sessionId) {
        Map<String, Object> body = Map.of(
                "filter", Map.of("session_id", Map.of("equals", sessionId.toString())),
                "order", List.of(Map.of("field", "updated_at", "direction", "desc")));
        JsonNode items = client.send("POST", "/v2/scheduling-history/sessions/search", Map.of(), body).orThrow()
                .json().path("items");
        List<Record> records = new ArrayList<>();
        for (JsonNode item : items) {
            records.add(new Record(item.path("phase").asText(), item.path("from_status").asText(null),
                    item.path("to_status").asText(null), item.path("result").asText(),
                    item.path("message").asText(""), item.path("attempts").asInt(), item.path("updated_at").asText()));
        }
        return records;
    }

    /**
     * Why the scheduler last failed to start the session, if it did: the newest failed attempt,
     * {@code NEED_RETRY} since the manager's scheduler coordinator classifies failures (26.x),
     * {@code FAILURE} before that.
     */
    public Optional<String> lastFailure(UUID sessionId) {
        return of(sessionId).stream().filter(r -> FAILED_ATTEMPTS.contains(r.result())).findFirst()
                .map(Record::message);
    }
}
