package bai.scenarios.client;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusHistoryTest {
    private static Map<String, String> history(String... statuses) {
        Map<String, String> history = new LinkedHashMap<>();
        for (int i = 0; i < statuses.length; i++) {
            history.put(statuses[i], "2026-11-26T10:00:0" + i + "+00:00");
        }
        return history;
    }

    @Test
    void aWaitTheSchedulerGaveUpOnForAWhileIsPartOfWaiting() {
        assertThat(StatusHistory.lifeSteps(history("DEPRIORITIZING", "PENDING", "SCHEDULED", "RUNNING")))
                .containsExactly("PENDING", "SCHEDULED", "RUNNING");
        assertThat(StatusHistory.lifeSteps(history("DEPRIORITIZING", "PENDING")))
                .containsExactly("PENDING");
    }

    @Test
    void everyOtherStatusStays() {
        assertThat(StatusHistory.lifeSteps(history("PENDING", "SCHEDULED", "PREPARING", "RUNNING")))
                .containsExactly("PENDING", "SCHEDULED", "PREPARING", "RUNNING");
        // After SCHEDULED a DEPRIORITIZING is no wait of the scheduler's: it shows.
        assertThat(StatusHistory.lifeSteps(history("PENDING", "SCHEDULED", "DEPRIORITIZING")))
                .containsExactly("PENDING", "SCHEDULED", "DEPRIORITIZING");
    }
}
