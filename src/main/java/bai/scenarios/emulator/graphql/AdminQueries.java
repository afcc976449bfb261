package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.vfolders.VFolderAdmin;
import bai.scenarios.emulator.state.Records;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The admin queries with the manager's scoping. Roles are the <em>user</em> role: superadmins see
 * everything; admins are confined to their domain (another domain → forbidden); users see
 * themselves, their own keypairs and the projects they belong to; other roles (monitor) are
 * refused as an unknown client role, as the legacy resolvers do.
 */
final class AdminQueries {
    private static final int USERS_LIMIT = 100;
    private final Directory directory;
    private final Views views;
    private final VFolderAdmin vfolders;

    /** {@code vfolders} (null: none) answers {@code vfolder_list} and {@code vfolder_node}. */
    AdminQueries(Directory directory, Views views, VFolderAdmin vfolders) {
        this.directory = directory;
        this.views = views;
        this.vfolders = vfolders;
    }

    Map<String, DataFetcher> fetchers() {
        return Map.ofEntries(
                Map.entry("domain", (AdminGraphQL.CallerFetcher) this::domain),
                Map.entry("domains", (AdminGraphQL.CallerFetcher) this::domains),
                Map.entry("group", (AdminGraphQL.CallerFetcher) this::group),
                Map.entry("groups", (AdminGraphQL.CallerFetcher) this::groups),
                Map.entry("groups_by_name", (AdminGraphQL.CallerFetcher) this::groupsByName),
                Map.entry("user", (AdminGraphQL.CallerFetcher) this::user),
                Map.entry("users", (AdminGraphQL.CallerFetcher) this::users),
                Map.entry("keypair", (AdminGraphQL.CallerFetcher) this::keypair),
                Map.entry("keypairs", (AdminGraphQL.CallerFetcher) this::keypairs),
                Map.entry("keypair_resource_policy", (AdminGraphQL.CallerFetcher) this::keypairPolicy),
                Map.entry("keypair_resource_policies", (AdminGraphQL.CallerFetcher) this::keypairPolicies),
                Map.entry("user_resource_policy", (AdminGraphQL.CallerFetcher) this::userPolicy),
                Map.entry("user_resource_policies", (AdminGraphQL.CallerFetcher) this::userPolicies),
                Map.entry("project_resource_policy", (AdminGraphQL.CallerFetcher) this::projectPolicy),
                Map.entry("project_resource_policies", (AdminGraphQL.CallerFetcher) this::projectPolicies),
                Map.entry("vfolder_list", (AdminGraphQL.CallerFetcher) this::vfolderList),
                Map.entry("vfolder_node", (AdminGraphQL.CallerFetcher) this::vfolderNode));
    }

    private Object domain(Caller caller, DataFetchingEnvironment env) {
        String name = Objects.requireNonNullElse(env.getArgument("name"), caller.domainName());
        if (!caller.isSuperadmin() && !name.equals(caller.domainName())) {
            throw new GqlError("No such domain.", null, "backendai_read_not-found");
        }
        return directory.domain(name).map(views::domain).orElse(null);
    }

    private Object domains(Caller caller, DataFetchingEnvironment env) {
        Scopes.requireSuperadmin(caller);
        Boolean active = env.getArgument("is_active");
        return directory.domains(d -> active == null || d.isActive() == active).stream().map(views::domain).toList();
    }

    private Object group(Caller caller, DataFetchingEnvironment env) {
        UUID id = env.getArgument("id");
        String domain = Scopes.confinedDomain(caller, env.getArgument("domain_name"), true);
        List<String> types = env.getArgument("type");
        Group group = directory.group(id).filter(g -> domain == null || g.domainName().equals(domain))
                .filter(g -> ofTypes(g, types)).orElse(null);
        if (group != null && role(caller).equals("user") && !isMember(caller.userId(), group.id())) {
            return null;
        }
        return group == null ? null : views.group(group);
    }

    private Object groups(Caller caller, DataFetchingEnvironment env) {
        Boolean active = env.getArgument("is_active");
        if (role(caller).equals("user")) {
            // A user gets the projects they belong to; domain and type filters are not applied.
            return directory.groupsOf(caller.userId()).stream().filter(g -> active == null || g.isActive() == active)
                    .map(views::group).toList();
        }
        String domain = Scopes.confinedDomain(caller, env.getArgument("domain_name"), true);
        List<String> types = env.getArgument("type");
        return directory.groups(g -> (domain == null || g.domainName().equals(domain))
                        && (active == null || g.isActive() == active) && ofTypes(g, types))
                .stream().map(views::group).toList();
    }

    private Object groupsByName(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        String domain = Scopes.confinedDomain(caller, env.getArgument("domain_name"), true);
        return directory.groups(g -> g.name().equals(name) && (domain == null || g.domainName().equals(domain))
                        && (!role(caller).equals("user") || isMember(caller.userId(), g.id())))
                .stream().map(views::group).toList();
    }

    private Object user(Caller caller, DataFetchingEnvironment env) {
        String domain = scopedDomain(caller, env.getArgument("domain_name"));
        String email = env.getArgument("email");
        if (email == null) {
            email = caller.email();
        } else if (role(caller).equals("user") && !email.equals(caller.email())) {
            throw GqlError.forbidden(null);
        }
        String wanted = email;
        return directory.userByEmail(wanted).filter(u -> domain == null || u.domainName().equals(domain))
                .map(views::user).orElse(null);
    }

    private Object users(Caller caller, DataFetchingEnvironment env) {
        if (role(caller).equals("user")) {
            throw GqlError.insufficientPrivilege();
        }
        String domain = Scopes.confinedDomain(caller, env.getArgument("domain_name"), false);
        UUID groupId = env.getArgument("group_id");
        Boolean active = env.getArgument("is_active");
        String status = env.getArgument("status");
        Set<UUID> members = groupId == null ? null
                : directory.membersOf(groupId).stream().map(UserAccount::uuid).collect(Collectors.toSet());
        return directory.users(u -> (domain == null || u.domainName().equals(domain))
                        && (members == null || members.contains(u.uuid()))
                        && (active == null || u.isActive() == active)
                        && (status == null || u.status().equals(status.toLowerCase(Locale.ROOT))))
                .stream().limit(USERS_LIMIT).map(views::user).toList();
    }

    private Object keypair(Caller caller, DataFetchingEnvironment env) {
        String domain = scopedDomain(caller, env.getArgument("domain_name"));
        String accessKey = env.getArgument("access_key");
        if (accessKey == null) {
            accessKey = caller.accessKey();
        } else if (role(caller).equals("user") && !accessKey.equals(caller.accessKey())) {
            throw GqlError.forbidden(null);
        }
        return directory.keypair(accessKey).filter(k -> inDomain(k, domain)).map(views::keypair).orElse(null);
    }

    private Object keypairs(Caller caller, DataFetchingEnvironment env) {
        String domain = scopedDomain(caller, env.getArgument("domain_name"));
        String email = env.getArgument("email");
        Boolean active = env.getArgument("is_active");
        if (role(caller).equals("user")) {
            if (email != null && !email.equals(caller.email())) {
                throw GqlError.forbidden(null);
            }
            email = caller.email();
        }
        String wanted = email;
        return directory.keypairs(k -> (active == null || k.isActive() == active) && inDomain(k, domain)
                        && (wanted == null || directory.user(k.userId()).map(u -> u.email().equals(wanted)).orElse(false)))
                .stream().map(views::keypair).toList();
    }

    private Object keypairPolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        if (name == null) {
            return directory.keypair(caller.accessKey()).map(Keypair::resourcePolicy)
                    .flatMap(directory::keypairPolicy).map(views::keypairPolicy).orElse(null);
        }
        // A named read resolves the name first, as the manager's lookup action does.
        return directory.keypairPolicy(name).map(views::keypairPolicy)
                .orElseThrow(() -> ManagerErrors.entityNotFound("KeyPairResourcePolicyRow", name));
    }

    private Object keypairPolicies(Caller caller, DataFetchingEnvironment env) {
        String role = role(caller);
        if (role.equals("user")) {
            // Users see the policies of their own keypairs.
            Set<String> mine = directory.keypairs(k -> k.userId().equals(caller.userId())).stream()
                    .map(Keypair::resourcePolicy).collect(Collectors.toSet());
            return directory.keypairPolicies().stream().filter(p -> mine.contains(p.name()))
                    .map(views::keypairPolicy).toList();
        }
        if (!role.equals("superadmin") && !role.equals("admin")) {
            throw GqlError.unknownClientRole();
        }
        return directory.keypairPolicies().stream().map(views::keypairPolicy).toList();
    }

    private Object userPolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        if (name == null) {
            return directory.user(caller.userId()).map(UserAccount::resourcePolicy).flatMap(directory::userPolicy)
                    .map(Records::toMap).orElse(null);
        }
        // A named read resolves the name first, as the manager's lookup action does.
        return directory.userPolicy(name).map(Records::toMap)
                .orElseThrow(() -> ManagerErrors.entityNotFound("UserResourcePolicyRow", name));
    }

    private Object userPolicies(Caller caller, DataFetchingEnvironment env) {
        String role = role(caller);
        if (role.equals("user")) {
            String own = directory.user(caller.userId()).map(UserAccount::resourcePolicy).orElse(null);
            return directory.userPolicies().stream().filter(p -> p.name().equals(own)).map(Records::toMap).toList();
        }
        if (!role.equals("superadmin") && !role.equals("admin")) {
            throw GqlError.unknownClientRole();
        }
        return directory.userPolicies().stream().map(Records::toMap).toList();
    }

    private Object projectPolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        return directory.projectPolicy(name).map(Records::toMap).orElse(null);
    }

    private Object projectPolicies(Caller caller, DataFetchingEnvironment env) {
        String role = role(caller);
        if (!role.equals("superadmin") && !role.equals("admin")) {
            throw GqlError.unknownClientRole();
        }
        return directory.projectPolicies().stream().map(Records::toMap).toList();
    }

    /**
     * {@code vfolder_list} under the manager's {@code scoped_query(user_key="user_id")}: admins and
     * users are pinned to their domain (another one is GenericForbidden), users to their own folders.
     */
    private Object vfolderList(Caller caller, DataFetchingEnvironment env) {
        if (env.getArgument("access_key") != null) {
            // The resolver takes no access_key, although the schema declares it.
            throw GqlError.plain("resolve_vfolder_list() got an unexpected keyword argument 'access_key'");
        }
        String domain = env.getArgument("domain_name");
        UUID userId = null;
        String role = role(caller);
        if (!role.equals("superadmin")) {
            if (!role.equals("admin") && !role.equals("user")) {
                throw GqlError.unknownClientRole();
            }
            if (domain != null && !domain.equals(caller.domainName())) {
                throw GqlError.forbidden(null);
            }
            domain = caller.domainName();
            if (role.equals("user")) {
                userId = caller.userId();
            }
        }
        int limit = env.getArgument("limit");
        int offset = env.getArgument("offset");
        if (vfolders == null) {
            return Map.of("items", List.of(), "total_count", 0);
        }
        try {
            return vfolders.list(domain, env.getArgument("group_id"), userId, limit, offset, env.getArgument("filter"),
                    env.getArgument("order"));
        } catch (IllegalArgumentException badExpression) {
            throw GqlError.plain(badExpression.getMessage());
        }
    }

    /** {@code vfolder_node(id)}: the folder if the caller may read it, else null. */
    private Object vfolderNode(Caller caller, DataFetchingEnvironment env) {
        return vfolders == null ? null : vfolders.node(caller, env.getArgument("id"));
    }

    /** The manager's scoped_query: non-superadmins are pinned to their domain; another is GenericForbidden. */
    private static String scopedDomain(Caller caller, String requested) {
        String role = role(caller);
        if (role.equals("superadmin")) {
            return requested;
        }
        if (role.equals("admin") || role.equals("user")) {
            if (requested != null && !requested.equals(caller.domainName())) {
                throw GqlError.forbidden(null);
            }
            return caller.domainName();
        }
        throw GqlError.unknownClientRole();
    }

    private boolean inDomain(Keypair keypair, String domain) {
        return domain == null || directory.user(keypair.userId()).map(u -> u.domainName().equals(domain)).orElse(false);
    }

    private boolean isMember(UUID userId, UUID groupId) {
        return directory.groupsOf(userId).stream().anyMatch(g -> g.id().equals(groupId));
    }

    private static boolean ofTypes(Group group, List<String> types) {
        if (types == null) {
            return true;
        }
        String type = group.type().toUpperCase(Locale.ROOT).replace('-', '_');
        return types.stream().anyMatch(t -> t.equalsIgnoreCase(type));
    }

    private static String role(Caller caller) {
        return caller.role();
    }
}
