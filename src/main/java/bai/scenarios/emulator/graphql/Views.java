package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.ScalingGroup;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Records;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the GraphQL types show of the stored records: the stored fields under the manager's
 * names plus the computed ones (relay ids, memberships, scaling groups). Passwords never appear.
 */
final class Views {
    private final Directory directory;

    Views(Directory directory) {
        this.directory = directory;
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
        view.put("id", relayId("UserNode", user.uuid().toString()));
        view.put("is_active", user.isActive());
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
        Map<String, Object> view = Records.toMap(keypair);
        UserAccount owner = directory.user(keypair.userId()).orElse(null);
        view.put("id", relayId("KeyPair", keypair.accessKey()));
        view.put("user", keypair.userId());
        view.put("user_id", owner == null ? null : owner.email());
        view.put("full_name", owner == null ? null : owner.fullName());
        view.put("projects", owner == null ? List.of() : directory.groupsOf(owner.uuid()).stream().map(Group::name).toList());
        view.put("concurrency_used", 0);
        return view;
    }

    Map<String, Object> keypairPolicy(KeypairResourcePolicy policy) {
        return Records.toMap(policy);
    }

    Map<String, Object> scalingGroup(ScalingGroup group) {
        return Records.toMap(group);
    }

    private static String relayId(String type, String id) {
        return Base64.getEncoder().encodeToString((type + ":" + id).getBytes(StandardCharsets.UTF_8));
    }
}
