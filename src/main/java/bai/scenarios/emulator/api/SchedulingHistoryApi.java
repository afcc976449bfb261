package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.SchedulingHistory;
import bai.scenarios.emulator.sessions.Sessions;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v2/scheduling-history/sessions/search} (superadmins): why the scheduler did or did
 * not start each session. A session kept PENDING by a limit has a {@code NEED_RETRY} record whose
 * message is the validator's words ({@link SchedulingHistory} says what else the scheduler writes;
 * {@code AdminSearchSessionHistoriesInput} →
 * {@code AdminSearchSessionHistoriesPayload}). Filters: {@code session_id} (equals / in),
 * {@code result}, {@code from_status}, {@code to_status}; order by {@code created_at} or
 * {@code updated_at} (newest first by default); {@code first} / {@code limit} and {@code offset}.
 */
public final class SchedulingHistoryApi {
    private final Sessions sessions;

    private SchedulingHistoryApi(Sessions sessions) {
        this.sessions = sessions;
    }

    public static void register(Router router, Sessions sessions) {
        SchedulingHistoryApi api = new SchedulingHistoryApi(sessions);
        router.add("POST", "/v2/scheduling-history/sessions/search", AccessLevel.SUPERADMIN, api::search);
    }

    private ApiResponse search(ApiCall call) {
        JsonNode body = call.jsonBody();
        JsonNode filter = body.path("filter");
        Set<String> ids = new HashSet<>();
        JsonNode sessionId = filter.path("session_id");
        if (sessionId.hasNonNull("equals")) {
            ids.add(sessionId.get("equals").asText());
        }
        sessionId.path("in").forEach(id -> ids.add(id.asText()));
        Set<String> results = texts(filter.path("result"));
        Set<String> from = texts(filter.path("from_status"));
        Set<String> to = texts(filter.path("to_status"));
        String orderField = "created_at";
        boolean ascending = false;
        JsonNode order = body.path("order");
        if (order.isArray() && !order.isEmpty()) {
            orderField = order.get(0).path("field").asText("created_at");
            ascending = order.get(0).path("direction").asText("desc").equals("asc");
        }
        Comparator<SchedulingHistory.Entry> by = orderField.equals("updated_at")
                ? Comparator.comparing(SchedulingHistory.Entry::updatedAt)
                : Comparator.comparing(SchedulingHistory.Entry::createdAt);
        Comparator<SchedulingHistory.Entry> sorting = ascending ? by : by.reversed();
        // One look under the state lock: the matching records, as nodes, in order.
        List<Map<String, Object>> nodes = sessions.locked(() -> {
            List<Map<String, Object>> matching = new ArrayList<>();
            sessions.history().all().stream()
                    .filter(entry -> ids.isEmpty() || ids.contains(entry.sessionId().toString()))
                    .filter(entry -> results.isEmpty() || results.contains(entry.result()))
                    .sorted(sorting)
                    .map(SchedulingHistory.Entry::node)
                    .filter(node -> from.isEmpty() || from.contains((String) node.get("from_status")))
                    .filter(node -> to.isEmpty() || to.contains((String) node.get("to_status")))
                    .forEach(matching::add);
            return matching;
        });
        int offset = Math.max(0, body.path("offset").asInt(0));
        int limit = body.hasNonNull("first") ? body.get("first").asInt()
                : body.hasNonNull("limit") ? body.get("limit").asInt() : Integer.MAX_VALUE;
        int end = (int) Math.min(nodes.size(), (long) offset + Math.max(limit, 0));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", offset >= nodes.size() ? List.of() : nodes.subList(offset, end));
        answer.put("total_count", nodes.size());
        answer.put("has_next_page", end < nodes.size());
        answer.put("has_previous_page", offset > 0);
        return ApiResponse.ok(answer);
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
