package bai.scenarios.client;

import java.util.HashMap;
import java.util.Map;

/**
 * The superadmin's v2 resource policy API ({@code /v2/resource-policies/…}), for what the legacy
 * GraphQL mutations cannot set: a user resource policy's {@code max_concurrent_logins}.
 */
public final class ResourcePoliciesApi {
    private final ManagerClient client;

    ResourcePoliciesApi(ManagerClient client) {
        this.client = client;
    }

    /** {@code PATCH /v2/resource-policies/user/{name}}: at most this many login sessions per user (null: no cap). */
    public void limitLogins(String userPolicy, Integer maxConcurrentLogins) {
        Map<String, Object> body = new HashMap<>();
        body.put("max_concurrent_logins", maxConcurrentLogins);
        client.send("PATCH", "/v2/resource-policies/user/" + userPolicy, Map.of(), body).orThrow();
    }
}
