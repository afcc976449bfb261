package bai.scenarios.emulator.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Objects as the manager's PostgreSQL {@code jsonb} columns give them back: keys shorter first,
 * then by their bytes (jsonb keeps no insertion order). A status history read from the manager
 * is {@code {"PENDING", "PULLING", "RUNNING", "CREATING", "PREPARED", "PREPARING", "SCHEDULED"}},
 * not in the order the statuses came; a client orders it by its timestamps.
 */
public final class Jsonb {
    /** PostgreSQL's jsonb key order (its {@code lengthCompareJsonbString}). */
    public static final Comparator<String> KEY_ORDER = Comparator
            .comparingInt((String key) -> key.getBytes(StandardCharsets.UTF_8).length)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8)));

    private Jsonb() {
    }

    /** A copy of {@code object} with its keys in jsonb order. */
    public static <V> Map<String, V> ordered(Map<String, V> object) {
        Map<String, V> copy = new LinkedHashMap<>();
        object.keySet().stream().sorted(KEY_ORDER).forEach(key -> copy.put(key, object.get(key)));
        return copy;
    }
}
