package bai.scenarios.emulator.serving;

import bai.scenarios.emulator.http.Caller;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A model service (the manager's endpoint) and its routes (replicas); guarded by the state lock. */
final class ServingEntities {
    private ServingEntities() {
    }

    static final Set<String> ACTIVE_ROUTES = Set.of("provisioning", "running");

    static final class Endpoint {
        final UUID id = UUID.randomUUID();
        String name;
        UUID ownerId;
        String ownerAccessKey;
        String ownerEmail;
        UUID createdUserId;
        String createdUserEmail;
        String domain;
        UUID groupId;
        String projectName;
        String resourceGroup;
        UUID modelId;
        Path modelPath;
        String modelDefinitionPath;
        String mountDestination;
        String image;
        String runtimeVariant;
        int replicas;
        boolean isPublic;
        String tag;
        String startupCommand;
        String bootstrapScript;
        String callbackUrl;
        Map<String, String> environ = new LinkedHashMap<>();
        JsonNode resources;
        JsonNode resourceOpts;
        String clusterMode;
        int clusterSize;
        String lifecycle = "pending";
        final Instant createdAt = Instant.now();
        Instant destroyedAt;
        int retries;
        /** Who created it: route sessions are created as she did, for the owner. */
        Caller creator;
        final List<Route> routes = new ArrayList<>();
        AppProxy.Listener proxy;
        String url;

        boolean destroying() {
            return lifecycle.equals("destroying") || lifecycle.equals("destroyed");
        }

        long activeRoutes() {
            return routes.stream().filter(r -> ACTIVE_ROUTES.contains(r.status)).count();
        }

        /** The endpoint's status as the manager derives it from its lifecycle and its routes. */
        String status() {
            if (lifecycle.equals("destroying")) {
                return "DESTROYING";
            }
            if (lifecycle.equals("destroyed")) {
                return "DESTROYED";
            }
            List<Route> active = routes.stream().filter(r -> ACTIVE_ROUTES.contains(r.status)).toList();
            if (active.isEmpty()) {
                return replicas == 0 ? "READY" : "PROVISIONING";
            }
            if (active.stream().anyMatch(r -> r.status.equals("provisioning"))) {
                return "PROVISIONING";
            }
            long healthy = active.stream().filter(r -> r.health.equals("healthy")).count();
            if (healthy == active.size()) {
                return "HEALTHY";
            }
            return healthy == 0 ? "UNHEALTHY" : "DEGRADED";
        }
    }

    static final class Route {
        final UUID id = UUID.randomUUID();
        final Endpoint endpoint;
        UUID sessionId;
        String status = "provisioning";
        String health = "not_checked";
        double trafficRatio = 1.0;
        final Instant createdAt = Instant.now();
        /** Why it failed to start ({@code error_data}), null otherwise. */
        Map<String, Object> errorData;
        ModelProcess process;
        boolean starting;

        Route(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }
}
