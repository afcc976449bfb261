package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v2/scheduling-history/sessions/search} over HTTP: a session no agent has room for
 * (the emulator's agents have 4 CPUs each) is written down in the manager's words. (Who waits
 * behind it, and when the scheduler gives up on it: {@code SchedulingQueueTest}.)
 */
class SchedulingHistoryRouteTest {
    private static ManagerEmulator emulator;
    private static EmulatorCaller superadmin;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        superadmin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String enqueued(String name, int cpu) {
        Answer created = superadmin.call("POST", "/session", Map.of("session_name", name, "image", "python",
                "enqueue_only", true, "config", Map.of("resources", Map.of("cpu", cpu, "mem", "1g"))));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.path("sessionId").asText();
    }

    /** The session's records, oldest first, with only {@code results} when some are given. */
    private static List<JsonNode> records(String sessionId, String... results) {
        Map<String, Object> filter = new LinkedHashMap<>(Map.of("session_id", Map.of("equals", sessionId)));
        if (results.length > 0) {
            filter.put("result", List.of(results));
        }
        Answer found = superadmin.call("POST", "/v2/scheduling-history/sessions/search", Map.of("filter", filter,
                "order", List.of(Map.of("field", "created_at", "direction", "asc"))));
        assertThat(found.status()).as(String.valueOf(found.body())).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        found.path("items").forEach(items::add);
        assertThat(found.path("total_count").asInt()).isEqualTo(items.size());
        return items;
    }

    @Test
    void noRoomIsWrittenInTheManagersWordsAndTheSessionKeepsNoReasonOfItsOwn() {
        String big = enqueued("too-big", 64);
        Awaitility.await("the first failed attempt").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !records(big, "NEED_RETRY").isEmpty());

        JsonNode first = records(big).get(0);
        assertThat(first.path("phase").asText()).isEqualTo("schedule-sessions");
        assertThat(first.path("result").asText()).isEqualTo("NEED_RETRY");
        assertThat(first.path("from_status").asText()).isEqualTo("PENDING");
        assertThat(first.path("to_status").asText()).isEqualTo("PENDING");
        assertThat(first.path("message").asText()).isEqualTo("1 requirement(s) could not be placed:\n"
                + "- requirement #0 (containers=1, arch=x86_64, slots=cpu=64 mem=1 GiB): no agents passed the"
                + " 'resource' filter\n  - cpu: missing=60");
        // Attempts are counted at the manager's pace (one per 2 s), however often the emulator looks.
        assertThat(first.path("attempts").asInt()).isBetween(1, 2);
        assertThat(records(big, "SUCCESS", "SKIPPED", "GIVE_UP")).isEmpty();
        // The session itself: still waiting, with no reason of its own (the manager's info prints
        // an empty status info as Python does, "None").
        Answer info = superadmin.call("GET", "/session/too-big", null);
        assertThat(info.path("status").asText()).isEqualTo("PENDING");
        assertThat(info.path("statusInfo").asText()).isEqualTo("None");
    }
}
