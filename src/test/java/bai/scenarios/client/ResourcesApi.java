package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a caller may launch and what was used: resource presets checked against her limits and
 * the agents ({@code POST /resource/check-presets}), the scaling groups open to a project
 * ({@code GET /scaling-groups}) and a month's usage per project ({@code GET /resource/usage/month},
 * superadmins only). Stateless; one per call site.
 */
public final class ResourcesApi {
    private static final Pattern TIMEDELTA = Pattern.compile("(?:(\\d+) days?, )?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d+))?");

    private final ManagerClient client;

    ResourcesApi(ManagerClient client) {
        this.client = client;
    }

    /**
     * The manager's answer to check-presets: which presets fit now, and the caller's keypair
     * limits, use and what is left (the least of keypair, project and domain). Slot amounts as
     * the manager writes them ({@code Infinity} for unlimited reads as null).
     */
    public record PresetCheck(Map<String, Boolean> allocatable, Map<String, BigDecimal> keypairLimits,
                              Map<String, BigDecimal> keypairUsing, Map<String, BigDecimal> keypairRemaining) {
    }

    /**
     * Checks the presets for a launch in {@code project} (by name). The manager caches this answer
     * for a minute per keypair and project, so a second check soon after may not show changes.
     */
    public PresetCheck checkPresets(String project) {
        JsonNode answer = client.post("/resource/check-presets", Map.of("group", project)).orThrow().json();
        Map<String, Boolean> allocatable = new LinkedHashMap<>();
        answer.path("presets").forEach(p -> allocatable.put(p.path("name").asText(), p.path("allocatable").asBoolean()));
        return new PresetCheck(allocatable, slots(answer.path("keypair_limits")), slots(answer.path("keypair_using")),
                slots(answer.path("keypair_remaining")));
    }

    /** The names of the scaling groups the caller may use with the project (by name or id). */
    public List<String> scalingGroups(String project) {
        List<String> names = new ArrayList<>();
        client.send("GET", "/scaling-groups", Map.of("group", project), null).orThrow().json().path("scaling_groups")
                .forEach(g -> names.add(g.path("name").asText()));
        return names;
    }

    /** One container's line in a month's usage report. */
    public record ContainerUsage(UUID sessionId, String sessionName, String email, Duration usedTime,
                                 double cpuAllocated, long memAllocated) {
    }

    /** {@code month} as {@code YYYYMM}: every container of the projects that lived in that month. */
    public List<ContainerUsage> monthUsage(String month, List<UUID> projects) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("month", month);
        if (!projects.isEmpty()) {
            query.put("group_ids", projects.stream().map(UUID::toString).toList());
        }
        List<ContainerUsage> usage = new ArrayList<>();
        for (JsonNode project : client.send("GET", "/resource/usage/month", query, null).orThrow().json()) {
            for (JsonNode c : project.path("c_infos")) {
                usage.add(new ContainerUsage(UUID.fromString(c.path("session_id").asText()), c.path("name").asText(),
                        c.path("email").asText(null), timedelta(c.path("used_time").asText(null)),
                        c.path("cpu_allocated").asDouble(), c.path("mem_allocated").asLong()));
            }
        }
        return usage;
    }

    /** Python's {@code str(timedelta)}, e.g. {@code 0:00:05.123456} or {@code 1 day, 2:03:04}; null stays null. */
    static Duration timedelta(String text) {
        if (text == null || text.equals("None")) {
            return null;
        }
        Matcher m = TIMEDELTA.matcher(text);
        if (!m.matches()) {
            throw new IllegalStateException("the manager's used_time is not a timedelta: " + text);
        }
        Duration duration = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusHours(Long.parseLong(m.group(2))).plusMinutes(Long.parseLong(m.group(3)))
                .plusSeconds(Long.parseLong(m.group(4)));
        if (m.group(5) != null) {
            duration = duration.plusNanos(Long.parseLong((m.group(5) + "000000000").substring(0, 9)));
        }
        return duration;
    }

    /** A slot map as the manager writes it; {@code Infinity} and {@code NaN} read as null (no limit). */
    static Map<String, BigDecimal> slots(JsonNode node) {
        Map<String, BigDecimal> slots = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            String text = e.getValue().asText();
            slots.put(e.getKey(), text.equals("Infinity") || text.equals("NaN") ? null : new BigDecimal(text));
        });
        return slots;
    }
}
