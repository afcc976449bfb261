package bai.scenarios.client.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a new user should be. {@link #toString()} hides the password. */
public record UserSpec(String username, String password, String domainName, String role, String status,
                       List<UUID> projectIds, String fullName) {

    Map<String, Object> toInput() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("username", username);
        input.put("password", password);
        input.put("need_password_change", false);
        input.put("full_name", fullName);
        input.put("domain_name", domainName);
        input.put("role", role);
        input.put("status", status);
        input.put("group_ids", projectIds.stream().map(UUID::toString).toList());
        input.put("resource_policy", "default");
        return input;
    }

    @Override
    public String toString() {
        return "UserSpec[" + username + " in " + domainName + ", " + role + ", " + status + "]";
    }
}
