package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;

/** Public facts about the manager: its API version and its health probes. */
public final class ManagerInfoApi {
    private final ManagerClient client;

    ManagerInfoApi(ManagerClient client) {
        this.client = client;
    }

    /** {@code GET /}: the newest REST API version it speaks and its release. */
    public record ManagerVersion(String apiVersion, String managerVersion) {
    }

    /** {@code GET /health}, plus the HTTP status of the liveness and readiness probes. */
    public record Health(String status, String version, int livenessStatus, int readinessStatus) {
    }

    public ManagerVersion version() {
        ApiResult result = client.get("/").orThrow();
        JsonNode body = result.json();
        if (!body.path("version").isTextual()) {
            throw new IllegalStateException("GET / answered without an API version: not a Backend.AI manager?");
        }
        return new ManagerVersion(body.path("version").asText(), body.path("manager").asText());
    }

    public Health health() {
        JsonNode body = client.get("/health").orThrow().json();
        return new Health(body.path("status").asText(), body.path("version").asText(),
                client.get("/health/livez").status(), client.get("/health/readyz").status());
    }
}
