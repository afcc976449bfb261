package bai.scenarios.emulator.state;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys as PostgreSQL's jsonb gives them back: shorter first, then by their bytes. */
class JsonbTest {
    @Test
    void keysComeShorterFirstThenByTheirBytes() {
        Map<String, Integer> lifecycle = new LinkedHashMap<>();
        List.of("PENDING", "DEPRIORITIZING", "SCHEDULED", "PREPARING", "PULLING", "PREPARED", "CREATING", "RUNNING",
                "TERMINATING", "TERMINATED").forEach(status -> lifecycle.put(status, lifecycle.size()));
        assertThat(Jsonb.ordered(lifecycle).keySet()).containsExactly("PENDING", "PULLING", "RUNNING", "CREATING",
                "PREPARED", "PREPARING", "SCHEDULED", "TERMINATED", "TERMINATING", "DEPRIORITIZING");
        // Bytes, not characters: "é" is two bytes in UTF-8, so "é" is longer than "z"; "B" < "a".
        assertThat(Jsonb.ordered(Map.of("é", 1, "z", 2, "a", 3, "B", 4)).keySet()).containsExactly("B", "a", "z", "é");
        assertThat(Jsonb.ordered(lifecycle).values()).containsExactlyInAnyOrderElementsOf(lifecycle.values());
    }
}
