package bai.scenarios.emulator.state;

import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.ProjectResourcePolicy;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import bai.scenarios.emulator.state.Entities.ScalingGroup;
import bai.scenarios.emulator.state.Entities.UserAccount;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The halfstack example accounts the emulator boots with, read from the project's own
 * {@code bootstrap.json} (a copy of Backend.AI's example fixtures) so it runs anywhere.
 */
public record BootstrapData(JsonNode document, List<Domain> domains, List<Group> groups, List<UserAccount> users,
                            List<Keypair> keypairs, List<KeypairResourcePolicy> keypairResourcePolicies,
                            List<ScalingGroup> scalingGroups, List<Membership> memberships,
                            List<UserResourcePolicy> userResourcePolicies,
                            List<ProjectResourcePolicy> projectResourcePolicies) {
    public static final String RESOURCE = "/bai/scenarios/emulator/bootstrap.json";

    /** A user's membership of a project. */
    public record Membership(UUID groupId, UUID userId) {
    }

    public static BootstrapData load() {
        try (InputStream in = BootstrapData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bootstrap data " + RESOURCE + " is missing from the classpath");
            }
            return parse(Records.JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bootstrap data " + RESOURCE, e);
        }
    }

    static BootstrapData parse(JsonNode doc) {
        String bootTime = Records.now();
        return new BootstrapData(doc,
                list(doc.path("domains"), Domain.class, bootTime),
                list(doc.path("groups"), Group.class, bootTime),
                list(doc.path("users"), UserAccount.class, bootTime),
                list(doc.path("keypairs"), Keypair.class, bootTime),
                list(doc.path("keypair_resource_policies"), KeypairResourcePolicy.class, bootTime),
                list(doc.path("scaling_groups"), ScalingGroup.class, bootTime),
                list(doc.path("association_groups_users"), Membership.class, bootTime),
                withIds(list(doc.path("user_resource_policies"), UserResourcePolicy.class, bootTime)),
                withIds(list(doc.path("project_resource_policies"), ProjectResourcePolicy.class, bootTime)));
    }

    /** Bootstrap policies carry no id; give each a stable one derived from its name. */
    private static <T> List<T> withIds(List<T> policies) {
        return policies.stream().map(p -> Records.with(p, java.util.Map.of("id", UUID.nameUUIDFromBytes(
                String.valueOf(Records.toMap(p).get("name")).getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
                .toList();
    }

    private static <T> List<T> list(JsonNode array, Class<T> type, String bootTime) {
        List<T> items = new ArrayList<>();
        for (JsonNode item : array) {
            ObjectNode row = item.deepCopy();
            if (!row.has("created_at")) {
                row.put("created_at", bootTime);
            }
            if (!row.has("modified_at")) {
                row.put("modified_at", bootTime);
            }
            items.add(Records.fromJson(row, type));
        }
        return List.copyOf(items);
    }
}
