package bai.scenarios.client.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a new keypair resource policy allows. */
public record KeypairPolicySpec(int maxConcurrentSessions, int maxContainersPerSession, long idleTimeoutSeconds,
                                Map<String, String> totalResourceSlots, Map<String, List<String>> allowedVfolderHosts) {

    public static KeypairPolicySpec modest() {
        return new KeypairPolicySpec(1, 1, 3600, Map.of(), Map.of());
    }

    Map<String, Object> toInput() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("default_for_unspecified", "UNLIMITED");
        input.put("total_resource_slots", AdminRecords.toJsonString(totalResourceSlots));
        input.put("max_session_lifetime", 0);
        input.put("max_concurrent_sessions", maxConcurrentSessions);
        input.put("max_containers_per_session", maxContainersPerSession);
        input.put("idle_timeout", idleTimeoutSeconds);
        input.put("allowed_vfolder_hosts", AdminRecords.toJsonString(allowedVfolderHosts));
        return input;
    }
}
