package bai.scenarios.emulator.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Converts the state records to and from the manager's snake_case field maps. Modifications
 * are "copy with these fields changed", so records stay immutable and GraphQL inputs apply
 * field by field with the manager's names.
 */
public final class Records {
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Records() {
    }

    /** The record as a map keyed by the manager's field names. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Object record) {
        return JSON.convertValue(record, Map.class);
    }

    /** A copy of {@code record} with the given fields (manager names) replaced. */
    @SuppressWarnings("unchecked")
    public static <T> T with(T record, Map<String, ?> changes) {
        ObjectNode node = JSON.valueToTree(record);
        changes.forEach((field, value) -> node.set(field, JSON.valueToTree(value)));
        return (T) JSON.convertValue(node, record.getClass());
    }

    public static <T> T fromJson(JsonNode node, Class<T> type) {
        return JSON.convertValue(node, type);
    }

    /** Timestamps as the manager prints them (ISO 8601, UTC offset). */
    public static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).toString();
    }
}
