package bai.scenarios.client.admin;

import bai.scenarios.client.AdminGraphQLClient;
import bai.scenarios.client.AdminGraphQLClient.Mutation;
import bai.scenarios.client.GraphQLRejection;
import bai.scenarios.client.admin.AdminRecords.Domain;
import bai.scenarios.client.admin.AdminRecords.Keypair;
import bai.scenarios.client.admin.AdminRecords.KeypairPolicy;
import bai.scenarios.client.admin.AdminRecords.LimitPolicy;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.AdminRecords.User;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Administration over {@code /admin/gql}: domains, projects, users, keypairs and keypair
 * resource policies. Lookups of a missing object return empty; refusals throw
 * {@link bai.scenarios.client.GraphQLRejection}.
 */
public final class AdminApi {
    private final AdminGraphQLClient gql;

    public AdminApi(AdminGraphQLClient gql) {
        this.gql = gql;
    }

    // --- domains

    public Domain createDomain(String name, DomainSpec spec) {
        return Domain.from(gql.mutate("CreateDomain", "create_domain", Map.of("name", name, "props", spec.toInput()))
                .path("domain"));
    }

    /** A domain with a first project in it, in one request; a refusal of either is thrown (the domain's first). */
    public DomainWithProject createDomainWithProject(String name, DomainSpec spec, String projectName,
                                                     Map<String, Object> projectProps) {
        Map<String, Object> input = new HashMap<>(projectProps);
        input.put("domain_name", name);
        List<AdminGraphQLClient.Outcome> outcomes = gql.mutateAll(List.of(
                new Mutation("CreateDomain", "create_domain", Map.of("name", name, "props", spec.toInput())),
                new Mutation("CreateGroup", "create_group", Map.of("name", projectName, "props", input))));
        Domain domain = Domain.from(outcomes.get(0).orThrow().path("domain"));
        return new DomainWithProject(domain, Project.from(outcomes.get(1).orThrow().path("group")));
    }

    /** A new domain and the project created in it with the same request. */
    public record DomainWithProject(Domain domain, Project project) {
    }

    public Domain modifyDomain(String name, Map<String, Object> changes) {
        return Domain.from(gql.mutate("ModifyDomain", "modify_domain", Map.of("name", name, "props", changes))
                .path("domain"));
    }

    public void deleteDomain(String name) {
        gql.mutate("DeleteDomain", "delete_domain", Map.of("name", name));
    }

    public void purgeDomain(String name) {
        gql.mutate(Releases.purgeDomain(name));
    }

    public Optional<Domain> domain(String name) {
        return optional(gql.run("Domain", Map.of("name", name)).path("domain"), Domain::from);
    }

    public List<Domain> domains() {
        return list(gql.run("Domains", Map.of()).path("domains"), Domain::from);
    }

    // --- projects

    public Project createProject(String name, String domainName, Map<String, Object> props) {
        Map<String, Object> input = new HashMap<>(props);
        input.put("domain_name", domainName);
        return Project.from(gql.mutate("CreateGroup", "create_group", Map.of("name", name, "props", input))
                .path("group"));
    }

    public Project modifyProject(UUID id, Map<String, Object> changes) {
        return Project.from(gql.mutate("ModifyGroup", "modify_group", Map.of("gid", id.toString(), "props", changes))
                .path("group"));
    }

    public void addMembers(UUID projectId, List<UUID> users) {
        gql.mutate("ModifyGroup", "modify_group", Map.of("gid", projectId.toString(), "props",
                Map.of("user_update_mode", "add", "user_uuids", users.stream().map(UUID::toString).toList())));
    }

    public void removeMembers(UUID projectId, List<UUID> users) {
        gql.mutate("ModifyGroup", "modify_group", Map.of("gid", projectId.toString(), "props",
                Map.of("user_update_mode", "remove", "user_uuids", users.stream().map(UUID::toString).toList())));
    }

    public void deleteProject(UUID id) {
        gql.mutate("DeleteGroup", "delete_group", Map.of("gid", id.toString()));
    }

    public void purgeProject(UUID id) {
        gql.mutate(Releases.purgeProject(id));
    }

    public Optional<Project> project(UUID id) {
        return optional(gql.run("Group", Map.of("id", id.toString())).path("group"), Project::from);
    }

    public List<Project> projects(String domainName) {
        return list(gql.run("Groups", Map.of("domainName", domainName)).path("groups"), Project::from);
    }

    // --- users

    /** Creates a user; the manager also creates their default keypair. */
    public CreatedUser createUser(String email, UserSpec spec) {
        JsonNode result = gql.mutate("CreateUser", "create_user", Map.of("email", email, "props", spec.toInput()));
        return new CreatedUser(User.from(result.path("user")), Keypair.from(result.path("keypair")));
    }

    public User modifyUser(String email, Map<String, Object> changes) {
        return User.from(gql.mutate(Releases.modifyUser(email, changes)).path("user"));
    }

    public void deleteUser(String email) {
        gql.mutate("DeleteUser", "delete_user", Map.of("email", email));
    }

    public void purgeUser(String email) {
        gql.mutate(Releases.purgeUser(email));
    }

    public Optional<User> user(String email) {
        return optional(gql.run("User", Map.of("email", email)).path("user"), User::from);
    }

    public List<User> users(String domainName, String status) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("domainName", domainName);
        variables.put("status", status);
        return list(gql.run("Users", variables).path("users"), User::from);
    }

    public List<User> membersOf(UUID projectId) {
        return list(gql.run("Users", Map.of("groupId", projectId.toString())).path("users"), User::from);
    }

    // --- keypairs

    public Keypair createKeypair(String ownerEmail, Map<String, Object> props) {
        return Keypair.from(gql.mutate("CreateKeyPair", "create_keypair", Map.of("userId", ownerEmail, "props", props))
                .path("keypair"));
    }

    public void modifyKeypair(String accessKey, Map<String, Object> changes) {
        gql.mutate(Releases.modifyKeypair(accessKey, changes));
    }

    public void deleteKeypair(String accessKey) {
        gql.mutate(Releases.deleteKeypair(accessKey));
    }

    public Optional<Keypair> keypair(String accessKey) {
        return optional(gql.run("KeyPair", Map.of("accessKey", accessKey)).path("keypair"), Keypair::from);
    }

    public List<Keypair> keypairsOf(String email) {
        return list(gql.run("KeyPairs", Map.of("email", email)).path("keypairs"), Keypair::from);
    }

    public List<Keypair> keypairsIn(String domainName) {
        return list(gql.run("KeyPairs", Map.of("domainName", domainName)).path("keypairs"), Keypair::from);
    }

    // --- keypair resource policies

    /** The manager's create answers only ok and msg (resource_policy stays null), so the policy is read back. */
    public KeypairPolicy createKeypairPolicy(String name, KeypairPolicySpec spec) {
        gql.mutate("CreateKeyPairResourcePolicy", "create_keypair_resource_policy",
                Map.of("name", name, "props", spec.toInput()));
        return keypairPolicy(name).orElseThrow(
                () -> new AssertionError("keypair resource policy " + name + " was created but cannot be read back"));
    }

    public void modifyKeypairPolicy(String name, Map<String, Object> changes) {
        gql.mutate("ModifyKeyPairResourcePolicy", "modify_keypair_resource_policy",
                Map.of("name", name, "props", changes));
    }

    public void deleteKeypairPolicy(String name) {
        gql.mutate(Releases.deleteKeypairPolicy(name));
    }

    public Optional<KeypairPolicy> keypairPolicy(String name) {
        return optional(gql.run("KeyPairResourcePolicy", Map.of("name", name)).path("keypair_resource_policy"),
                KeypairPolicy::from);
    }

    public List<KeypairPolicy> keypairPolicies() {
        return list(gql.run("KeyPairResourcePolicies", Map.of()).path("keypair_resource_policies"), KeypairPolicy::from);
    }

    // --- user and project resource policies ("user" or "project")

    /** As with keypair policies, the created policy is read back: the create answers only ok and msg. */
    public LimitPolicy createLimitPolicy(String kind, String name, int maxVfolderCount) {
        String operation = "Create" + capitalised(kind) + "ResourcePolicy";
        gql.mutate(operation, "create_" + kind + "_resource_policy",
                Map.of("name", name, "props", Map.of("max_vfolder_count", maxVfolderCount)));
        return limitPolicies(kind).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(kind + " resource policy " + name + " was created but cannot be read back"));
    }

    public void modifyLimitPolicy(String kind, String name, int maxVfolderCount) {
        gql.mutate("Modify" + capitalised(kind) + "ResourcePolicy", "modify_" + kind + "_resource_policy",
                Map.of("name", name, "props", Map.of("max_vfolder_count", maxVfolderCount)));
    }

    public void deleteLimitPolicy(String kind, String name) {
        gql.mutate(Releases.deleteLimitPolicy(kind, name));
    }

    /**
     * The mutations that release fixtures, as values: what {@link #releaseAll} sends several of
     * in one request, and what the single calls above send one at a time.
     */
    public static final class Releases {
        private Releases() {
        }

        public static Mutation purgeDomain(String name) {
            return new Mutation("PurgeDomain", "purge_domain", Map.of("name", name));
        }

        public static Mutation purgeProject(UUID id) {
            return new Mutation("PurgeGroup", "purge_group", Map.of("gid", id.toString()));
        }

        public static Mutation purgeUser(String email) {
            return new Mutation("PurgeUser", "purge_user", Map.of("email", email, "props",
                    Map.of("purge_shared_vfolders", true)));
        }

        public static Mutation modifyUser(String email, Map<String, Object> changes) {
            return new Mutation("ModifyUser", "modify_user", Map.of("email", email, "props", changes));
        }

        public static Mutation modifyKeypair(String accessKey, Map<String, Object> changes) {
            return new Mutation("ModifyKeyPair", "modify_keypair", Map.of("accessKey", accessKey, "props", changes));
        }

        public static Mutation deleteKeypair(String accessKey) {
            return new Mutation("DeleteKeyPair", "delete_keypair", Map.of("accessKey", accessKey));
        }

        public static Mutation deleteKeypairPolicy(String name) {
            return new Mutation("DeleteKeyPairResourcePolicy", "delete_keypair_resource_policy", Map.of("name", name));
        }

        public static Mutation deleteLimitPolicy(String kind, String name) {
            return new Mutation("Delete" + capitalised(kind) + "ResourcePolicy", "delete_" + kind + "_resource_policy",
                    Map.of("name", name));
        }
    }

    /**
     * Sends several release mutations in one request, in order (see
     * {@link AdminGraphQLClient#mutateAll}); per mutation, its refusal or null where it succeeded.
     */
    public List<GraphQLRejection> releaseAll(List<Mutation> mutations) {
        return gql.mutateAll(mutations).stream().map(AdminGraphQLClient.Outcome::refusal).toList();
    }

    public List<LimitPolicy> limitPolicies(String kind) {
        return list(gql.run(capitalised(kind) + "ResourcePolicies", Map.of()).path(kind + "_resource_policies"),
                n -> LimitPolicy.from(kind, n));
    }

    private static String capitalised(String kind) {
        if (!kind.equals("user") && !kind.equals("project")) {
            throw new IllegalArgumentException("resource policies are 'user' or 'project', not " + kind);
        }
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    /** An installed image: its reference and the minimum resources it declares. */
    public record ImageInfo(String reference, List<String> aliases, Map<String, String> minimums) {
    }

    public List<ImageInfo> images() {
        return list(gql.run("Images", Map.of()).path("images"), n -> {
            Map<String, String> minimums = new java.util.LinkedHashMap<>();
            n.path("resource_limits").forEach(r -> minimums.put(r.path("key").asText(), r.path("min").asText()));
            List<String> aliases = new ArrayList<>();
            n.path("aliases").forEach(a -> aliases.add(a.asText()));
            String namespace = n.path("namespace").asText();
            return new ImageInfo(n.path("registry").asText() + "/" + namespace + ":" + n.path("tag").asText(), aliases,
                    minimums);
        });
    }

    /**
     * An agent's capacity: what it has ({@code available_slots}) and what the sessions placed on
     * it hold ({@code occupied_slots}), slot name to amount (memory in bytes).
     */
    public record AgentCapacity(String id, Map<String, java.math.BigDecimal> available,
                                Map<String, java.math.BigDecimal> occupied) {
        /** What is free on the agent: available minus occupied, per slot it has. */
        public Map<String, java.math.BigDecimal> free() {
            Map<String, java.math.BigDecimal> free = new java.util.LinkedHashMap<>();
            available.forEach((slot, amount) -> free.put(slot,
                    amount.subtract(occupied.getOrDefault(slot, java.math.BigDecimal.ZERO))));
            return free;
        }
    }

    /** The ALIVE agents with their capacity ({@code agent_list}, superadmins only), paged through. */
    public List<AgentCapacity> aliveAgents() {
        List<AgentCapacity> agents = new ArrayList<>();
        int page = 100;
        for (int offset = 0; ; offset += page) {
            JsonNode list = gql.run("AgentList", Map.of("limit", page, "offset", offset, "status", "ALIVE"))
                    .path("agent_list");
            list.path("items").forEach(a -> agents.add(new AgentCapacity(a.path("id").asText(),
                    slots(a.path("available_slots")), slots(a.path("occupied_slots")))));
            if (offset + page >= list.path("total_count").asInt()) {
                return agents;
            }
        }
    }

    /** A JSONString slot map ({@code "{\"cpu\": \"4\", \"mem\": \"8589934592\"}"}) as numbers. */
    private static Map<String, java.math.BigDecimal> slots(JsonNode jsonString) {
        Map<String, java.math.BigDecimal> slots = new java.util.LinkedHashMap<>();
        if (!jsonString.isTextual()) {
            return slots;
        }
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonString.asText()).fields()
                    .forEachRemaining(e -> slots.put(e.getKey(), new java.math.BigDecimal(e.getValue().asText())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an agent's slots are not JSON: " + jsonString, e);
        }
        return slots;
    }

    /** A new user and the default keypair the manager made for them. */
    public record CreatedUser(User user, Keypair keypair) {
    }

    private static <T> Optional<T> optional(JsonNode node, Function<JsonNode, T> parse) {
        return node == null || node.isNull() || node.isMissingNode() ? Optional.empty() : Optional.of(parse.apply(node));
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> parse) {
        List<T> items = new ArrayList<>();
        array.forEach(item -> items.add(parse.apply(item)));
        return items;
    }
}
