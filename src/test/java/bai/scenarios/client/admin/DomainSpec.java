package bai.scenarios.client.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a new domain should be: activity, resource quota, vfolder host permissions. */
public record DomainSpec(String description, boolean active, Map<String, String> totalResourceSlots,
                         Map<String, List<String>> allowedVfolderHosts, List<String> allowedDockerRegistries) {

    public static DomainSpec standard(String description) {
        return new DomainSpec(description, true, Map.of(), Map.of(), List.of("cr.backend.ai"));
    }

    public DomainSpec inactive() {
        return new DomainSpec(description, false, totalResourceSlots, allowedVfolderHosts, allowedDockerRegistries);
    }

    public DomainSpec withSlots(Map<String, String> slots) {
        return new DomainSpec(description, active, slots, allowedVfolderHosts, allowedDockerRegistries);
    }

    public DomainSpec withVfolderHosts(Map<String, List<String>> hosts) {
        return new DomainSpec(description, active, totalResourceSlots, hosts, allowedDockerRegistries);
    }

    Map<String, Object> toInput() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("description", description);
        input.put("is_active", active);
        input.put("total_resource_slots", AdminRecords.toJsonString(totalResourceSlots));
        input.put("allowed_vfolder_hosts", AdminRecords.toJsonString(allowedVfolderHosts));
        input.put("allowed_docker_registries", allowedDockerRegistries);
        return input;
    }
}
