package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.ProjectResourcePolicy;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.KeypairFactory;
import bai.scenarios.emulator.state.Records;
import bai.scenarios.emulator.state.ResourceSlots;
import bai.scenarios.emulator.vfolders.VFolderAdmin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.UUID;

/**
 * The legacy admin mutations: {@code {ok, msg, <object>}} results, the manager's role gate
 * ({@code ok: false, "no permission to execute <field>"}), and its business rules.
 */
final class AdminMutations {
    private static final Set<String> SUPERADMIN = Set.of("superadmin");
    private static final Set<String> ADMINS = Set.of("superadmin", "admin");
    private static final Set<String> ROLES = Set.of("superadmin", "admin", "user", "monitor");
    private static final Set<String> STATUSES = Set.of("active", "inactive", "deleted", "before-verification");

    private final Directory directory;
    private final Views views;

    private final Predicate<UUID> projectHasLiveSessions;
    private final VFolderAdmin vfolders;

    AdminMutations(Directory directory, Views views, Predicate<UUID> projectHasLiveSessions, VFolderAdmin vfolders) {
        this.directory = directory;
        this.projectHasLiveSessions = projectHasLiveSessions;
        this.vfolders = vfolders;
        this.views = views;
    }

    Map<String, DataFetcher> fetchers() {
        Map<String, DataFetcher> fetchers = new HashMap<>();
        fetchers.put("create_domain", gate(SUPERADMIN, this::createDomain));
        fetchers.put("modify_domain", gate(SUPERADMIN, this::modifyDomain));
        fetchers.put("delete_domain", gate(SUPERADMIN, this::deleteDomain));
        fetchers.put("purge_domain", gate(SUPERADMIN, this::purgeDomain));
        fetchers.put("create_group", gate(ADMINS, this::createGroup));
        fetchers.put("modify_group", gate(ADMINS, this::modifyGroup));
        fetchers.put("delete_group", gate(ADMINS, this::deleteGroup));
        fetchers.put("purge_group", gate(ADMINS, this::purgeGroup));
        fetchers.put("create_user", gate(SUPERADMIN, this::createUser));
        fetchers.put("modify_user", gate(SUPERADMIN, this::modifyUser));
        fetchers.put("delete_user", gate(SUPERADMIN, this::deleteUser));
        fetchers.put("purge_user", gate(SUPERADMIN, this::purgeUser));
        fetchers.put("create_keypair", gate(SUPERADMIN, this::createKeypair));
        fetchers.put("modify_keypair", gate(SUPERADMIN, this::modifyKeypair));
        fetchers.put("delete_keypair", gate(SUPERADMIN, this::deleteKeypair));
        fetchers.put("create_keypair_resource_policy", gate(SUPERADMIN, this::createPolicy));
        fetchers.put("modify_keypair_resource_policy", gate(SUPERADMIN, this::modifyPolicy));
        fetchers.put("delete_keypair_resource_policy", gate(SUPERADMIN, this::deletePolicy));
        fetchers.put("create_user_resource_policy", gate(SUPERADMIN, this::createUserPolicy));
        fetchers.put("modify_user_resource_policy", gate(SUPERADMIN, this::modifyUserPolicy));
        fetchers.put("delete_user_resource_policy", gate(SUPERADMIN, this::deleteUserPolicy));
        fetchers.put("create_project_resource_policy", gate(SUPERADMIN, this::createProjectPolicy));
        fetchers.put("modify_project_resource_policy", gate(SUPERADMIN, this::modifyProjectPolicy));
        fetchers.put("delete_project_resource_policy", gate(SUPERADMIN, this::deleteProjectPolicy));
        return fetchers;
    }

    /**
     * The manager's mutation privilege middleware: a role the mutation does not allow gets
     * {@code ok: false} naming the field as the request spelled it (graphql-core's
     * {@code info.path.key}: the alias, if there is one), not an error.
     */
    private DataFetcher<Object> gate(Set<String> roles, AdminGraphQL.CallerFetcher mutation) {
        return env -> {
            Caller caller = AdminGraphQL.caller(env);
            if (!roles.contains(caller.role())) {
                return result(false, "no permission to execute " + env.getExecutionStepInfo().getPath().getSegmentName());
            }
            return directory.atomically(() -> mutation.fetch(caller, env));
        };
    }

    /**
     * The project mutations' second gate ({@code privileged_mutation}): a domain admin outside
     * their domain, or naming a project that does not exist, is refused too, but its message
     * formats {@code info.path[0]}, the path's parent, which for a top-level field is None.
     */
    private static Map<String, Object> noPermission() {
        return result(false, "no permission to execute None");
    }

    private static Map<String, Object> result(boolean ok, String msg) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", ok);
        result.put("msg", msg);
        return result;
    }

    private static Map<String, Object> result(boolean ok, String msg, String key, Object item) {
        Map<String, Object> result = result(ok, msg);
        result.put(key, item);
        return result;
    }

    // --- domains -------------------------------------------------------------------------

    private Object createDomain(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        if (directory.domain(name).isPresent()) {
            throw GqlError.invalidParameters("Domain with name '" + name + "' already exists");
        }
        String now = Records.now();
        Domain domain = new Domain(name, (String) props.get("description"), (Boolean) props.get("is_active"), now, now,
                slots(props.get("total_resource_slots")), json(props.get("allowed_vfolder_hosts")),
                strings(props.get("allowed_docker_registries")), (String) props.get("integration_id"));
        directory.putDomain(domain);
        return result(true, "domain creation succeed", "domain", views.domain(domain));
    }

    private Object modifyDomain(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = new HashMap<>(env.getArgument("props"));
        Domain domain = directory.domain(name).orElseThrow(() -> ManagerErrors.domainNotFound(name));
        String newName = (String) props.getOrDefault("name", name);
        if (newName != null && !newName.equals(name) && directory.domain(newName).isPresent()) {
            throw GqlError.invalidParameters("Domain with name '" + newName + "' already exists");
        }
        props.values().removeIf(v -> v == null);
        normaliseSlots(props);
        props.put("modified_at", Records.now());
        Domain modified = Records.with(domain, props);
        directory.renameDomain(name, modified);
        return result(true, "domain modification succeed", "domain", views.domain(modified));
    }

    private Object deleteDomain(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Domain domain = directory.domain(name).orElseThrow(() -> ManagerErrors.domainNotFound(name));
        directory.putDomain(Records.with(domain, Map.of("is_active", false, "modified_at", Records.now())));
        return result(true, "domain " + name + " deleted successfully");
    }

    private Object purgeDomain(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        directory.domain(name).orElseThrow(() -> ManagerErrors.domainNotFound(name));
        if (!directory.users(u -> u.domainName().equals(name)).isEmpty()) {
            throw ManagerErrors.domainHasUsers(name);
        }
        if (!directory.groups(g -> g.domainName().equals(name)).isEmpty()) {
            throw ManagerErrors.domainHasGroups(name);
        }
        directory.removeDomain(name);
        return result(true, "domain " + name + " purged successfully");
    }

    // --- projects ------------------------------------------------------------------------

    /** A domain admin may manage projects of their own domain only. */
    private boolean mayManage(Caller caller, String domainName) {
        return caller.isSuperadmin() || caller.domainName().equals(domainName);
    }

    private Object createGroup(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        String domainName = (String) props.get("domain_name");
        if (!mayManage(caller, domainName)) {
            return noPermission();
        }
        if (name.isBlank() || name.length() > 64) {
            throw GqlError.invalidParameters(
                    "Group name cannot be empty or whitespace and must not exceed 64 characters.");
        }
        directory.domain(domainName).orElseThrow(() -> ManagerErrors.domainNotFound(domainName));
        if (!directory.groups(g -> g.domainName().equals(domainName) && g.name().equals(name)).isEmpty()) {
            throw GqlError.invalidParameters("Project with name '" + name + "' already exists in domain '"
                    + domainName + "'");
        }
        String now = Records.now();
        Group group = new Group(UUID.randomUUID(), name, (String) props.get("description"),
                (Boolean) props.get("is_active"), now, now, domainName, slots(props.get("total_resource_slots")),
                json(props.get("allowed_vfolder_hosts")), (String) props.get("integration_id"),
                (String) props.get("resource_policy"),
                String.valueOf(props.get("type")).toLowerCase(Locale.ROOT).replace('_', '-'),
                props.get("container_registry") == null ? null : json(props.get("container_registry")));
        directory.putGroup(group);
        return result(true, "success", "group", views.group(group));
    }

    private Object modifyGroup(Caller caller, DataFetchingEnvironment env) {
        UUID gid = env.getArgument("gid");
        Map<String, Object> props = new HashMap<>(env.getArgument("props"));
        Group group = directory.group(gid).orElse(null);
        if (!caller.isSuperadmin() && (group == null || !mayManage(caller, group.domainName()))) {
            return noPermission();
        }
        if (group == null) {
            throw ManagerErrors.groupNotFound(gid);
        }
        String mode = (String) props.remove("user_update_mode");
        List<String> members = strings(props.remove("user_uuids"));
        if (mode != null && !mode.equals("add") && !mode.equals("remove")) {
            throw GqlError.invalidParameters("invalid user_update_mode: " + mode);
        }
        if (mode != null) {
            for (String member : members) {
                UUID userId = UUID.fromString(member);
                if (mode.equals("add")) {
                    directory.addMember(gid, userId);
                } else {
                    directory.removeMember(gid, userId);
                }
            }
        }
        // The input's container_registry defaults to {}: a modify that leaves it out resets it, as on the manager.
        Object registry = props.remove("container_registry");
        props.values().removeIf(v -> v == null);
        normaliseSlots(props);
        props.put("container_registry", registry == null ? null : json(registry));
        props.put("modified_at", Records.now());
        Group modified = Records.with(group, props);
        directory.putGroup(modified);
        return result(true, "success", "group", views.group(modified));
    }

    private Object deleteGroup(Caller caller, DataFetchingEnvironment env) {
        UUID gid = env.getArgument("gid");
        Group group = directory.group(gid).orElse(null);
        if (!caller.isSuperadmin() && (group == null || !mayManage(caller, group.domainName()))) {
            return noPermission();
        }
        if (group == null) {
            throw ManagerErrors.groupNotFound(gid);
        }
        directory.putGroup(Records.with(group, Map.of("is_active", false, "modified_at", Records.now())));
        return result(true, "success");
    }

    private Object purgeGroup(Caller caller, DataFetchingEnvironment env) {
        UUID gid = env.getArgument("gid");
        Group group = directory.group(gid).orElse(null);
        if (!caller.isSuperadmin() && (group == null || !mayManage(caller, group.domainName()))) {
            return noPermission();
        }
        if (group == null) {
            throw ManagerErrors.groupNotFound(gid);
        }
        // The manager checks its folders' mounts first, then its sessions; its folders go with it.
        if (vfolders != null && vfolders.projectFoldersMounted(gid)) {
            throw new GqlError("Project has vfolders mounted to active kernels.",
                    "error on deleting project " + gid + " with vfolders mounted to active kernels",
                    "group_purge_conflict");
        }
        if (projectHasLiveSessions.test(gid)) {
            throw new GqlError("Project has active kernels.", "Project has some active kernels. Terminate them first.",
                    "group_purge_conflict");
        }
        directory.removeGroup(gid);
        if (vfolders != null) {
            vfolders.deleteProjectFolders(gid);
        }
        return result(true, "success");
    }

    // --- users ---------------------------------------------------------------------------

    private Object createUser(Caller caller, DataFetchingEnvironment env) {
        String email = env.getArgument("email");
        Map<String, Object> props = env.getArgument("props");
        String username = (String) props.get("username");
        String domainName = (String) props.get("domain_name");
        String role = String.valueOf(props.get("role")).toLowerCase(Locale.ROOT);
        String status = String.valueOf(props.get("status")).toLowerCase(Locale.ROOT);
        if (!ROLES.contains(role)) {
            throw ManagerErrors.userCreationBadRequest("Invalid role: " + props.get("role"));
        }
        if (!STATUSES.contains(status)) {
            throw ManagerErrors.userCreationBadRequest("Invalid status: " + props.get("status"));
        }
        if (directory.domain(domainName).isEmpty()) {
            throw ManagerErrors.userCreationBadRequest("Domain '" + domainName + "' does not exist.");
        }
        if (directory.userByEmail(email).isPresent()
                || !directory.users(u -> u.username().equals(username)).isEmpty()) {
            throw ManagerErrors.userConflict("User with email " + email + " or username " + username
                    + " already exists.");
        }
        String now = Records.now();
        UserAccount user = new UserAccount(UUID.randomUUID(), email, username, (String) props.get("password"),
                (Boolean) props.get("need_password_change"), (String) props.get("full_name"),
                (String) props.get("description"), status, "admin-requested", domainName, role,
                (String) props.get("resource_policy"), strings(props.get("allowed_client_ip")),
                Boolean.TRUE.equals(props.get("sudo_session_enabled")), now, now,
                Boolean.TRUE.equals(props.get("totp_activated")), null, (Integer) props.get("container_uid"),
                (Integer) props.get("container_main_gid"), ints(props.get("container_gids")));
        directory.putUser(user);
        for (String groupId : strings(props.get("group_ids"))) {
            directory.group(UUID.fromString(groupId)).filter(g -> g.domainName().equals(domainName))
                    .ifPresent(g -> directory.addMember(g.id(), user.uuid()));
        }
        // The manager's default keypair: admin flag for admins, the default policy, the column's 10000
        // rate limit, and active only if the user is.
        Keypair keypair = KeypairFactory.create(user.uuid(), isAdminRole(role), true, "default", 10_000);
        if (!user.isActive()) {
            keypair = Records.with(keypair, Map.of("is_active", false));
        }
        directory.putKeypair(keypair);
        Map<String, Object> answer = result(true, "success", "user", views.user(user));
        answer.put("keypair", views.keypair(keypair));
        return answer;
    }

    private Object modifyUser(Caller caller, DataFetchingEnvironment env) {
        String email = env.getArgument("email");
        Map<String, Object> props = new HashMap<>(env.getArgument("props"));
        UserAccount user = directory.userByEmail(email).orElseThrow(() -> ManagerErrors.userNotFound(email));
        List<String> groupIds = props.containsKey("group_ids") ? strings(props.remove("group_ids")) : null;
        // main_access_key is declared but the manager's update ignores it; is_active only steers status.
        props.keySet().removeAll(Set.of("main_access_key", "is_active"));
        // The container ids are tri-state: left out keeps them, an explicit null clears them.
        Map<String, Object> cleared = new HashMap<>();
        for (String triState : List.of("container_uid", "container_main_gid", "container_gids")) {
            if (props.containsKey(triState) && props.get(triState) == null) {
                cleared.put(triState, null);
            }
        }
        props.values().removeIf(v -> v == null);
        props.putAll(cleared);
        if (props.containsKey("status")) {
            props.put("status", String.valueOf(props.get("status")).toLowerCase(Locale.ROOT));
        }
        if (props.containsKey("role")) {
            props.put("role", String.valueOf(props.get("role")).toLowerCase(Locale.ROOT));
        }
        if (props.containsKey("status") && !props.get("status").equals(user.status())) {
            props.put("status_info", "admin-requested");
        }
        props.put("modified_at", Records.now());
        UserAccount modified = Records.with(user, props);
        directory.putUser(modified);
        if (!modified.role().equals(user.role())) {
            syncKeypairRoles(user.uuid(), modified.role());
        }
        if (groupIds != null) {
            directory.groupsOf(user.uuid()).forEach(g -> directory.removeMember(g.id(), user.uuid()));
            groupIds.forEach(id -> directory.addMember(UUID.fromString(id), user.uuid()));
        }
        // A status change alone leaves keypairs alone, as in the manager (login checks the status).
        return result(true, "success", "user", views.user(modified));
    }

    private Object deleteUser(Caller caller, DataFetchingEnvironment env) {
        String email = env.getArgument("email");
        UserAccount user = directory.userByEmail(email).orElseThrow(() -> ManagerErrors.userNotFound(email));
        directory.putUser(Records.with(user, Map.of("status", "deleted", "status_info", "admin-requested",
                "modified_at", Records.now())));
        deactivateKeypairs(user.uuid());
        return result(true, "success");
    }

    /**
     * The manager's user purge, folder side included: refused while one of the user's folders is
     * mounted by an occupying session; with {@code purge_shared_vfolders: true} the user's shared
     * folders move to the purging admin (the code does this, although the schema's description
     * says the opposite); every folder still theirs is deleted with its files.
     */
    private Object purgeUser(Caller caller, DataFetchingEnvironment env) {
        String email = env.getArgument("email");
        UserAccount user = directory.userByEmail(email).orElseThrow(() -> ManagerErrors.userNotFound(email));
        Map<String, Object> props = env.getArgument("props");
        boolean migrateShared = props != null && Boolean.TRUE.equals(props.get("purge_shared_vfolders"));
        if (vfolders != null) {
            if (vfolders.userFoldersMounted(user.uuid())) {
                throw new GqlError("Failed to purge user.", "Some of user's virtual folders are mounted to active "
                        + "kernels. Terminate those kernels first.", "user_purge_internal-error");
            }
            vfolders.purgeUserFolders(user.uuid(), caller.userId(), caller.email(), migrateShared);
        }
        directory.removeUser(user.uuid());
        return result(true, "success");
    }

    private static boolean isAdminRole(String role) {
        return role.equals("admin") || role.equals("superadmin");
    }

    /**
     * The manager's role sync: becoming an admin makes the first keypair (admins, then active
     * ones first) an active admin keypair; losing it clears that one's flag and deactivates any
     * other active admin keypair.
     */
    private void syncKeypairRoles(UUID userId, String newRole) {
        List<Keypair> keypairs = directory.keypairs(k -> k.userId().equals(userId)).stream()
                .sorted(java.util.Comparator.comparing((Keypair k) -> !k.isAdmin()).thenComparing(k -> !k.isActive()))
                .toList();
        if (keypairs.isEmpty()) {
            return;
        }
        if (isAdminRole(newRole)) {
            directory.putKeypair(Records.with(keypairs.get(0), Map.of("is_admin", true, "is_active", true)));
            return;
        }
        directory.putKeypair(Records.with(keypairs.get(0), Map.of("is_admin", false)));
        keypairs.stream().skip(1).filter(k -> k.isAdmin() && k.isActive())
                .forEach(k -> directory.putKeypair(Records.with(k, Map.of("is_active", false))));
    }

    private void deactivateKeypairs(UUID userId) {
        directory.keypairs(k -> k.userId().equals(userId))
                .forEach(k -> directory.putKeypair(Records.with(k, Map.of("is_active", false))));
    }

    // --- keypairs ------------------------------------------------------------------------

    private Object createKeypair(Caller caller, DataFetchingEnvironment env) {
        String email = env.getArgument("user_id");
        Map<String, Object> props = env.getArgument("props");
        UserAccount owner = directory.userByEmail(email).orElseThrow(() -> ManagerErrors.userNotFound(email));
        Keypair keypair = KeypairFactory.create(owner.uuid(), Boolean.TRUE.equals(props.get("is_admin")), false,
                (String) props.get("resource_policy"), ((Number) props.get("rate_limit")).intValue());
        keypair = Records.with(keypair, Map.of("is_active", Boolean.TRUE.equals(props.get("is_active"))));
        directory.putKeypair(keypair);
        return result(true, "success", "keypair", views.keypair(keypair));
    }

    private Object modifyKeypair(Caller caller, DataFetchingEnvironment env) {
        String accessKey = env.getArgument("access_key");
        Map<String, Object> props = new HashMap<>(env.getArgument("props"));
        props.remove("concurrency_limit");
        props.values().removeIf(v -> v == null);
        Keypair keypair = directory.keypair(accessKey).orElse(null);
        if (keypair == null) {
            return result(false, "no matching modifykeypair");
        }
        directory.putKeypair(Records.with(keypair, props));
        return result(true, "success");
    }

    private Object deleteKeypair(Caller caller, DataFetchingEnvironment env) {
        String accessKey = env.getArgument("access_key");
        Keypair keypair = directory.keypair(accessKey).orElse(null);
        if (keypair != null && keypair.isDefault()) {
            return result(false, "the keypair is used as the default access key by a user");
        }
        if (keypair == null) {
            return result(false, "no matching deletekeypair");
        }
        directory.removeKeypair(accessKey);
        return result(true, "success");
    }

    // --- keypair resource policies ------------------------------------------------------

    private Object createPolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        if (directory.keypairPolicy(name).isPresent()) {
            throw GqlError.invalidParameters("Keypair resource policy with name '" + name + "' already exists");
        }
        KeypairResourcePolicy policy = new KeypairResourcePolicy(name, Records.now(),
                String.valueOf(props.get("default_for_unspecified")).toUpperCase(Locale.ROOT),
                slots(props.get("total_resource_slots")), intOf(props.get("max_session_lifetime")),
                intOf(props.get("max_concurrent_sessions")), intOf(props.get("max_containers_per_session")),
                ((Number) props.get("idle_timeout")).longValue(), json(props.get("allowed_vfolder_hosts")),
                intOf(props.get("max_concurrent_sftp_sessions")), (Integer) props.get("max_pending_session_count"),
                props.get("max_pending_session_resource_slots") == null ? null
                        : json(props.get("max_pending_session_resource_slots")));
        directory.putKeypairPolicy(policy);
        // The manager's create answers ok and msg only: resource_policy stays null.
        return result(true, "");
    }

    private Object modifyPolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = new HashMap<>(env.getArgument("props"));
        KeypairResourcePolicy policy = directory.keypairPolicy(name)
                .orElseThrow(() -> ManagerErrors.entityNotFound("KeyPairResourcePolicyRow", name));
        props.values().removeIf(v -> v == null);
        normaliseSlots(props);
        if (props.containsKey("default_for_unspecified")) {
            props.put("default_for_unspecified", String.valueOf(props.get("default_for_unspecified")).toUpperCase(Locale.ROOT));
        }
        directory.putKeypairPolicy(Records.with(policy, props));
        return result(true, "");
    }

    private Object deletePolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        directory.keypairPolicy(name).orElseThrow(() -> ManagerErrors.entityNotFound("KeyPairResourcePolicyRow", name));
        if (!directory.keypairs(k -> k.resourcePolicy().equals(name)).isEmpty()) {
            throw GqlError.invalidParameters("Keypair resource policy '" + name + "' is still used by keypairs");
        }
        directory.removeKeypairPolicy(name);
        return result(true, "");
    }

    // --- user and project resource policies ----------------------------------------------

    /** How one kind of limit policy ("user", "project") is stored and what keeps it in use. */
    private record LimitPolicyStore<T>(String kind, Class<T> type, Function<String, Optional<T>> find,
                                       Consumer<T> put, Consumer<String> remove, Predicate<String> inUse) {
        /** The manager resolves the name with its generic lookup first. */
        GqlError notFound(String name) {
            String row = kind.substring(0, 1).toUpperCase(Locale.ROOT) + kind.substring(1) + "ResourcePolicyRow";
            return ManagerErrors.entityNotFound(row, name);
        }
    }

    private LimitPolicyStore<UserResourcePolicy> userPolicies() {
        return new LimitPolicyStore<>("user", UserResourcePolicy.class, directory::userPolicy, directory::putUserPolicy,
                directory::removeUserPolicy, name -> !directory.users(u -> name.equals(u.resourcePolicy())).isEmpty());
    }

    private LimitPolicyStore<ProjectResourcePolicy> projectPolicies() {
        return new LimitPolicyStore<>("project", ProjectResourcePolicy.class, directory::projectPolicy,
                directory::putProjectPolicy, directory::removeProjectPolicy,
                name -> !directory.groups(g -> name.equals(g.resourcePolicy())).isEmpty());
    }

    private Object createUserPolicy(Caller caller, DataFetchingEnvironment env) {
        return createLimitPolicy(userPolicies(), env);
    }

    private Object modifyUserPolicy(Caller caller, DataFetchingEnvironment env) {
        return modifyLimitPolicy(userPolicies(), env);
    }

    private Object deleteUserPolicy(Caller caller, DataFetchingEnvironment env) {
        return deleteLimitPolicy(userPolicies(), env);
    }

    private Object createProjectPolicy(Caller caller, DataFetchingEnvironment env) {
        return createLimitPolicy(projectPolicies(), env);
    }

    private Object modifyProjectPolicy(Caller caller, DataFetchingEnvironment env) {
        return modifyLimitPolicy(projectPolicies(), env);
    }

    private Object deleteProjectPolicy(Caller caller, DataFetchingEnvironment env) {
        return deleteLimitPolicy(projectPolicies(), env);
    }

    private <T> Object createLimitPolicy(LimitPolicyStore<T> store, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        if (store.find().apply(name).isPresent()) {
            throw GqlError.invalidParameters(store.kind() + " resource policy with name '" + name + "' already exists");
        }
        Map<String, Object> row = nonNull(env.getArgument("props"));
        row.put("id", UUID.randomUUID());
        row.put("name", name);
        row.put("created_at", Records.now());
        T policy = Records.JSON.convertValue(row, store.type());
        store.put().accept(policy);
        // The manager's create answers ok and msg only: resource_policy stays null.
        return result(true, "");
    }

    private <T> Object modifyLimitPolicy(LimitPolicyStore<T> store, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        T policy = store.find().apply(name).orElseThrow(() -> store.notFound(name));
        store.put().accept(Records.with(policy, nonNull(env.getArgument("props"))));
        return result(true, "");
    }

    private <T> Object deleteLimitPolicy(LimitPolicyStore<T> store, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        store.find().apply(name).orElseThrow(() -> store.notFound(name));
        if (store.inUse().test(name)) {
            // The manager's foreign key refuses this; the emulator reports it as invalid parameters.
            throw GqlError.invalidParameters(store.kind() + " resource policy '" + name + "' is still in use");
        }
        store.remove().accept(name);
        return result(true, "");
    }

    // --- value helpers -------------------------------------------------------------------

    private static Map<String, Object> nonNull(Map<String, Object> props) {
        Map<String, Object> copy = new HashMap<>(props);
        copy.values().removeIf(v -> v == null);
        return copy;
    }



    private static JsonNode json(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        return value instanceof JsonNode node ? node : Records.JSON.valueToTree(value);
    }

    private static JsonNode slots(Object value) {
        return ResourceSlots.normalize(json(value));
    }

    /** Normalises a slot map among modified fields, if it is there. */
    private static void normaliseSlots(Map<String, Object> props) {
        if (props.get("total_resource_slots") != null) {
            props.put("total_resource_slots", slots(props.get("total_resource_slots")));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value == null ? List.of() : ((List<Object>) value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ints(Object value) {
        return value == null ? null : ((List<Object>) value).stream().map(v -> ((Number) v).intValue()).toList();
    }

    private static int intOf(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }
}
