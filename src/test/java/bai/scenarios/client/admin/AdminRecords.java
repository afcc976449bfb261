package bai.scenarios.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Typed views of the admin GraphQL objects, parsed from the manager's answers. */
public final class AdminRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminRecords() {
    }

    public record Domain(String name, String description, boolean isActive, Map<String, String> totalResourceSlots,
                         Map<String, List<String>> allowedVfolderHosts, List<String> allowedDockerRegistries) {
        static Domain from(JsonNode n) {
            return new Domain(n.path("name").asText(), n.path("description").asText(""), n.path("is_active").asBoolean(),
                    stringMap(n.path("total_resource_slots")), hostPermissions(n.path("allowed_vfolder_hosts")),
                    strings(n.path("allowed_docker_registries")));
        }
    }

    public record Project(UUID id, String name, String description, boolean isActive, String domainName, String type,
                          String resourcePolicy, Map<String, String> totalResourceSlots) {
        static Project from(JsonNode n) {
            return new Project(UUID.fromString(n.path("id").asText()), n.path("name").asText(),
                    n.path("description").asText(""), n.path("is_active").asBoolean(), n.path("domain_name").asText(),
                    n.path("type").asText(), n.path("resource_policy").asText(), stringMap(n.path("total_resource_slots")));
        }
    }

    public record User(UUID uuid, String email, String username, String fullName, String role, String status,
                       String domainName, List<String> projectNames) {
        static User from(JsonNode n) {
            List<String> projects = new ArrayList<>();
            n.path("groups").forEach(g -> projects.add(g.path("name").asText()));
            return new User(UUID.fromString(n.path("uuid").asText()), n.path("email").asText(),
                    n.path("username").asText(), n.path("full_name").asText(""), n.path("role").asText(),
                    n.path("status").asText(), n.path("domain_name").asText(), projects);
        }
    }

    /** A keypair. {@link #toString()} hides the secret key. */
    public record Keypair(String accessKey, String secretKey, String userEmail, boolean isActive, boolean isAdmin,
                          boolean isDefault, String resourcePolicy, int rateLimit) {
        static Keypair from(JsonNode n) {
            return new Keypair(n.path("access_key").asText(), n.path("secret_key").asText(null),
                    n.path("user_id").asText(), n.path("is_active").asBoolean(), n.path("is_admin").asBoolean(),
                    n.path("is_default").asBoolean(), n.path("resource_policy").asText(), n.path("rate_limit").asInt());
        }

        @Override
        public String toString() {
            return "Keypair[" + accessKey + " of " + userEmail + ", active=" + isActive + ", admin=" + isAdmin
                    + ", default=" + isDefault + ", policy=" + resourcePolicy + ", rate limit=" + rateLimit + "]";
        }
    }

    public record KeypairPolicy(String name, String defaultForUnspecified, Map<String, String> totalResourceSlots,
                                int maxConcurrentSessions, int maxContainersPerSession, long idleTimeout,
                                int maxSessionLifetime, Map<String, List<String>> allowedVfolderHosts) {
        static KeypairPolicy from(JsonNode n) {
            return new KeypairPolicy(n.path("name").asText(), n.path("default_for_unspecified").asText(),
                    stringMap(n.path("total_resource_slots")), n.path("max_concurrent_sessions").asInt(),
                    n.path("max_containers_per_session").asInt(), n.path("idle_timeout").asLong(),
                    n.path("max_session_lifetime").asInt(), hostPermissions(n.path("allowed_vfolder_hosts")));
        }
    }

    /** A user or project resource policy: what one user or project may own. */
    public record LimitPolicy(String kind, String name, int maxVfolderCount) {
        static LimitPolicy from(String kind, JsonNode n) {
            return new LimitPolicy(kind, n.path("name").asText(), n.path("max_vfolder_count").asInt());
        }
    }

    /** JSONString fields arrive as strings holding JSON. */
    static JsonNode jsonString(JsonNode field) {
        if (field == null || field.isNull() || field.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!field.isTextual()) {
            return field;
        }
        try {
            return JSON.readTree(field.asText());
        } catch (IOException e) {
            throw new IllegalStateException("the manager sent a JSONString that is not JSON: " + field.asText(), e);
        }
    }

    /** A value as a JSONString variable. */
    static String toJsonString(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, String> stringMap(JsonNode field) {
        Map<String, String> map = new LinkedHashMap<>();
        jsonString(field).fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static Map<String, List<String>> hostPermissions(JsonNode field) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        jsonString(field).fields().forEachRemaining(e -> map.put(e.getKey(), strings(e.getValue())));
        return map;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(v -> list.add(v.asText()));
        return list;
    }
}
