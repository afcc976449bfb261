package bai.scenarios.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accounts an emulator test makes for itself through the superadmin's GraphQL: domains, projects,
 * keypair resource policies and users, each user with a signed {@link EmulatorCaller} of her own.
 * Names are unique per call, so tests sharing one emulator never collide.
 */
final class EmulatorAccounts {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final URI endpoint;
    private final EmulatorCaller admin;

    EmulatorAccounts(URI endpoint, EmulatorCaller admin) {
        this.endpoint = endpoint;
        this.admin = admin;
    }

    /** A user the test made: her caller, access key and uuid. */
    record Account(EmulatorCaller caller, String accessKey, String uuid, String email) {
    }

    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    String domain() {
        String name = unique("domain");
        ok(admin.graphql("mutation($n: String!, $p: DomainInput!) { create_domain(name: $n, props: $p) { ok msg } }",
                Map.of("n", name, "p", Map.of("is_active", true))), "create_domain");
        return name;
    }

    /** A project of the domain; {@code props} adds fields such as {@code total_resource_slots}. */
    Project project(String domain, Map<String, Object> props) {
        String name = unique("project");
        Map<String, Object> input = new LinkedHashMap<>(props);
        input.put("domain_name", domain);
        JsonNode group = admin.graphql("mutation($n: String!, $p: GroupInput!) { create_group(name: $n, props: $p) "
                + "{ ok msg group { id } } }", Map.of("n", name, "p", input));
        ok(group, "create_group");
        return new Project(group.path("create_group").path("group").path("id").asText(), name, domain);
    }

    record Project(String id, String name, String domain) {
    }

    /** A keypair resource policy; {@code props} overrides the defaults (unlimited, 600 s idle timeout). */
    String keypairPolicy(Map<String, Object> props) {
        String name = unique("policy");
        Map<String, Object> input = new LinkedHashMap<>(Map.of("default_for_unspecified", "UNLIMITED",
                "total_resource_slots", "{}", "max_session_lifetime", 0, "max_concurrent_sessions", 0,
                "max_containers_per_session", 1, "idle_timeout", 600, "allowed_vfolder_hosts", "{}"));
        input.putAll(props);
        ok(admin.graphql("mutation($n: String!, $p: CreateKeyPairResourcePolicyInput!) { "
                + "create_keypair_resource_policy(name: $n, props: $p) { ok msg } }", Map.of("n", name, "p", input)),
                "create_keypair_resource_policy");
        return name;
    }

    void modifyKeypairPolicy(String name, Map<String, Object> props) {
        ok(admin.graphql("mutation($n: String!, $p: ModifyKeyPairResourcePolicyInput!) { "
                + "modify_keypair_resource_policy(name: $n, props: $p) { ok msg } }", Map.of("n", name, "p", props)),
                "modify_keypair_resource_policy");
    }

    /** Moves a keypair to a policy. */
    void usePolicy(String accessKey, String policy) {
        ok(admin.graphql("mutation($k: String!, $p: ModifyKeyPairInput!) { modify_keypair(access_key: $k, props: $p) "
                + "{ ok msg } }", Map.of("k", accessKey, "p", Map.of("resource_policy", policy))), "modify_keypair");
    }

    Account user(String domain, String role, List<String> projectIds) {
        String email = unique(role) + "@example.com";
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("username", email);
        props.put("password", "scope-password-1");
        props.put("need_password_change", false);
        props.put("full_name", role);
        props.put("domain_name", domain);
        props.put("role", role);
        props.put("status", "active");
        props.put("group_ids", projectIds);
        props.put("resource_policy", "default");
        JsonNode created = admin.graphql("mutation($e: String!, $p: UserInput!) { create_user(email: $e, props: $p) "
                + "{ ok msg user { uuid } keypair { access_key secret_key } } }", Map.of("e", email, "p", props));
        ok(created, "create_user");
        JsonNode keypair = created.path("create_user").path("keypair");
        String accessKey = keypair.path("access_key").asText();
        return new Account(new EmulatorCaller(endpoint, accessKey, keypair.path("secret_key").asText(),
                Duration.ofSeconds(60)), accessKey, created.path("create_user").path("user").path("uuid").asText(), email);
    }

    private static void ok(JsonNode data, String mutation) {
        if (!data.path(mutation).path("ok").asBoolean(false)) {
            throw new AssertionError(mutation + " refused: " + data);
        }
    }
}
