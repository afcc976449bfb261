package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.sessions.Images;
import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.ScalingGroup;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Records;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the GraphQL types show of the stored records: the stored fields under the manager's
 * names plus the computed ones (memberships, default keypairs, live concurrency, scaling groups).
 * Passwords never appear. Fields the manager computes from something the emulator does not have
 * are left out of the map (GraphQL answers null), as noted in {@code admin.graphql}'s coverage.
 */
final class Views {
    /** Session statuses that hold an agent's resources (the manager's resource_occupied_statuses). */
    static final Set<String> NOT_OCCUPYING = Set.of("PENDING", "TERMINATED", "CANCELLED", "ERROR");

    private final Directory directory;
    private final Sessions sessions;

    Views(Directory directory, Sessions sessions) {
        this.directory = directory;
        this.sessions = sessions;
    }

    Map<String, Object> domain(Domain domain) {
        Map<String, Object> view = Records.toMap(domain);
        view.put("scaling_groups", directory.scalingGroups().stream().map(ScalingGroup::name).toList());
        return view;
    }

    Map<String, Object> group(Group group) {
        Map<String, Object> view = Records.toMap(group);
        // The manager stores "general"/"model-store" and shows the enum name.
        view.put("type", group.type().toUpperCase(Locale.ROOT).replace('-', '_'));
        view.put("scaling_groups", directory.scalingGroups().stream().map(ScalingGroup::name).toList());
        return view;
    }

    Map<String, Object> user(UserAccount user) {
        Map<String, Object> view = Records.toMap(user);
        view.remove("password");
        // The legacy User type's id is the plain user UUID (not a Relay global id).
        view.put("id", user.uuid().toString());
        view.put("is_active", user.isActive());
        view.put("main_access_key", directory.keypairs(k -> k.userId().equals(user.uuid()) && k.isDefault())
                .stream().map(Keypair::accessKey).findFirst().orElse(null));
        List<Map<String, Object>> groups = directory.groupsOf(user.uuid()).stream()
                .map(g -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", g.id());
                    entry.put("name", g.name());
                    return entry;
                }).toList();
        view.put("groups", groups);
        return view;
    }

    Map<String, Object> keypair(Keypair keypair) {
        List<String> statuses = sessions == null ? List.of() : sessions.statusesOwnedBy(keypair.accessKey());
        return keypair(keypair, statuses.stream().filter(status -> !NOT_OCCUPYING.contains(status)).count());
    }

    /** {@code live} is the registry's sessions, read once for a whole list. */
    Map<String, Object> keypair(Keypair keypair, List<SessionSnapshot> live) {
        return keypair(keypair, live.stream().filter(s -> s.ownerAccessKey().equals(keypair.accessKey())
                && !NOT_OCCUPYING.contains(s.status())).count());
    }

    private Map<String, Object> keypair(Keypair keypair, long concurrencyUsed) {
        Map<String, Object> view = Records.toMap(keypair);
        UserAccount owner = directory.user(keypair.userId()).orElse(null);
        // The legacy KeyPair type's id is the access key itself.
        view.put("id", keypair.accessKey());
        view.put("user", keypair.userId());
        view.put("user_id", owner == null ? null : owner.email());
        view.put("full_name", owner == null ? null : owner.fullName());
        view.put("projects", owner == null ? List.of() : directory.groupsOf(owner.uuid()).stream().map(Group::name).toList());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("email", owner == null ? null : owner.email());
        info.put("full_name", owner == null ? null : owner.fullName());
        view.put("user_info", owner == null ? null : info);
        view.put("concurrency_used", concurrencyUsed);
        // Deprecated: the manager answers 0 (the limit moved to the policy's max_concurrent_sessions).
        view.put("concurrency_limit", 0);
        return view;
    }

    /** The deprecated vfolder fields are left null, as the manager leaves them. */
    Map<String, Object> keypairPolicy(KeypairResourcePolicy policy) {
        return Records.toMap(policy);
    }

    Map<String, Object> scalingGroup(ScalingGroup group) {
        Map<String, Object> view = Records.toMap(group);
        view.put("scheduler_opts", schedulerOpts(group.schedulerOpts()));
        return view;
    }

    /**
     * The manager's {@code ResourceGroupOpts}, dumped with its defaults: what it stores is a
     * model, so fields the row does not set come back with their default values.
     */
    static JsonNode schedulerOpts(JsonNode stored) {
        ObjectNode opts = Records.JSON.createObjectNode();
        opts.set("allowed_session_types", Records.JSON.valueToTree(List.of("interactive", "batch", "inference")));
        opts.put("pending_timeout", 0.0);
        opts.set("config", Records.JSON.createObjectNode());
        opts.put("agent_selection_strategy", "dispersed");
        opts.set("agent_selector_config", Records.JSON.createObjectNode());
        opts.put("enforce_spreading_endpoint_replica", false);
        opts.put("allow_fractional_resource_fragmentation", true);
        opts.set("route_cleanup_target_statuses", Records.JSON.valueToTree(List.of("unhealthy")));
        ObjectNode preemption = Records.JSON.createObjectNode();
        preemption.put("enabled", false);
        preemption.put("preemptible_priority", 5);
        preemption.put("order", "oldest");
        preemption.put("mode", "terminate");
        preemption.put("preemption_min_runtime", 0.0);
        preemption.put("victim_scope", "user");
        opts.set("preemption", preemption);
        if (stored != null && stored.isObject()) {
            stored.fields().forEachRemaining(e -> opts.set(e.getKey(), e.getValue()));
        }
        return opts;
    }

    // --- images ---------------------------------------------------------------------------------

    private static final Pattern PLATFORM_TAG = Pattern.compile("^([a-zA-Z_]+)(\\d+(?:\\.\\d+)*[a-z0-9]*)?$");

    /**
     * An image of the catalogue as the manager's {@code Image} type shows it. It is installed on
     * every agent (each runs the host's interpreter); it has no layers, so its size is 0, and its
     * digest is that of its reference.
     */
    Map<String, Object> image(Images.Image image, List<String> agentIds) {
        Map<String, Object> view = new LinkedHashMap<>();
        String path = image.namespace() + "/" + image.name();
        String[] tagParts = image.tag().split("-");
        List<Map<String, Object>> tags = new ArrayList<>();
        for (int i = 1; i < tagParts.length; i++) {
            Matcher platform = PLATFORM_TAG.matcher(tagParts[i]);
            if (platform.matches()) {
                tags.add(kv(platform.group(1), platform.group(2) == null ? "" : platform.group(2)));
            }
        }
        String digest = "sha256:" + sha256(image.reference());
        view.put("id", UUID.nameUUIDFromBytes(image.reference().getBytes(StandardCharsets.UTF_8)));
        view.put("name", path);
        view.put("namespace", path);
        view.put("base_image_name", image.name());
        view.put("project", image.namespace());
        view.put("humanized_name", path);
        view.put("tag", image.tag());
        view.put("tags", tags);
        view.put("version", tagParts[0]);
        view.put("registry", image.registry());
        view.put("architecture", image.architecture());
        view.put("is_local", false);
        view.put("digest", digest);
        view.put("labels", image.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> kv(e.getKey(), e.getValue())).toList());
        view.put("aliases", image.aliases());
        view.put("size_bytes", 0L);
        view.put("status", "ALIVE");
        view.put("resource_limits", List.of(limit("cpu", image.minCpu()), limit("mem", image.minMemBytes())));
        view.put("supported_accelerators", List.of("*"));
        view.put("installed", !agentIds.isEmpty());
        view.put("installed_agents", agentIds.isEmpty() ? null : agentIds);
        view.put("hash", digest);
        return view;
    }

    private static Map<String, Object> limit(String slot, BigInteger min) {
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("key", slot);
        limit.put("min", min.toString());
        limit.put("max", "Infinity");
        return limit;
    }

    private static Map<String, Object> kv(String key, String value) {
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("key", key);
        pair.put("value", value);
        return pair;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
