package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import bai.scenarios.emulator.state.Records;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code PATCH /v2/resource-policies/user/{name}} (superadmins): the v2 update of a user resource
 * policy, the only way to set {@code max_concurrent_logins} (the legacy GraphQL inputs lack it).
 * A field left out keeps its value; {@code max_concurrent_logins: null} clears the cap. The answer
 * is {@code UpdateUserResourcePolicyPayload}.
 */
public final class ResourcePolicyApi {
    private final Directory directory;

    private ResourcePolicyApi(Directory directory) {
        this.directory = directory;
    }

    public static void register(Router router, Directory directory) {
        ResourcePolicyApi api = new ResourcePolicyApi(directory);
        router.add("PATCH", "/v2/resource-policies/user/{name}", AccessLevel.SUPERADMIN, api::updateUserPolicy);
    }

    private ApiResponse updateUserPolicy(ApiCall call) {
        String name = call.pathParams().get("name");
        JsonNode body = call.jsonBody();
        Map<String, Object> changes = new HashMap<>();
        if (body.has("max_concurrent_logins")) {
            JsonNode cap = body.get("max_concurrent_logins");
            if (!cap.isNull() && (!cap.canConvertToInt() || !cap.isIntegralNumber() || cap.asInt() < 1)) {
                throw Problems.invalidApiParameters("1 validation error for UpdateUserResourcePolicyInput\n"
                        + "max_concurrent_logins\n  Input should be greater than or equal to 1");
            }
            changes.put("max_concurrent_logins", cap.isNull() ? null : cap.asInt());
        }
        for (String field : new String[] {"max_vfolder_count", "max_session_count_per_model_session",
                "max_customized_image_count"}) {
            if (body.hasNonNull(field)) {
                changes.put(field, body.get(field).asInt());
            }
        }
        UserResourcePolicy updated = directory.atomically(() -> {
            UserResourcePolicy policy = directory.userPolicy(name)
                    .orElseThrow(() -> Problems.userResourcePolicyNotFound("User resource policy " + name
                            + " not found"));
            UserResourcePolicy changed = Records.with(policy, changes);
            directory.putUserPolicy(changed);
            return changed;
        });
        return ApiResponse.ok(Map.of("user_resource_policy", node(updated)));
    }

    /** {@code UserResourcePolicyNode}: the name is its id. */
    private static Map<String, Object> node(UserResourcePolicy policy) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", policy.name());
        node.put("name", policy.name());
        node.put("created_at", policy.createdAt());
        node.put("max_vfolder_count", policy.maxVfolderCount());
        node.put("max_concurrent_logins", policy.maxConcurrentLogins());
        long scope = policy.maxQuotaScopeSize() == null ? 0 : policy.maxQuotaScopeSize();
        node.put("max_quota_scope_size", Map.of("expr", Long.toString(scope), "display", humanised(scope)));
        node.put("max_session_count_per_model_session", policy.maxSessionCountPerModelSession());
        node.put("max_customized_image_count", policy.maxCustomizedImageCount());
        return node;
    }

    /** {@code format(BinarySize(n), "s")}: the largest binary unit that divides it, e.g. {@code 1g}, {@code 512m}. */
    static String humanised(long bytes) {
        String[] units = {"", "k", "m", "g", "t", "p", "e"};
        int unit = 0;
        long value = bytes;
        while (value != 0 && value % 1024 == 0 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
