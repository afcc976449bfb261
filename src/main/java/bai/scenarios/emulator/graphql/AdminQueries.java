package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The admin queries, scoped by the caller's role as the manager scopes them: a superadmin sees
 * everything, a domain admin their domain, a user themself.
 */
final class AdminQueries {
    private final Directory directory;
    private final Views views;

    AdminQueries(Directory directory) {
        this.directory = directory;
        this.views = new Views(directory);
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
                Map.entry("scaling_groups", (AdminGraphQL.CallerFetcher) this::scalingGroups));
    }

    private Object domain(Caller caller, DataFetchingEnvironment env) {
        String name = Objects.requireNonNullElse(env.getArgument("name"), caller.domainName());
        if (!caller.isSuperadmin() && !name.equals(caller.domainName())) {
            throw GqlError.forbidden("superadmin privilege required to read another domain");
        }
        return directory.domain(name).map(views::domain).orElse(null);
    }

    private Object domains(Caller caller, DataFetchingEnvironment env) {
        requireSuperadmin(caller);
        Boolean active = env.getArgument("is_active");
        return directory.domains(d -> active == null || d.isActive() == active).stream().map(views::domain).toList();
    }

    private Object group(Caller caller, DataFetchingEnvironment env) {
        UUID id = env.getArgument("id");
        return directory.group(id).filter(g -> visible(caller, g)).filter(g -> ofTypes(g, env.getArgument("type")))
                .map(views::group).orElse(null);
    }

    private Object groups(Caller caller, DataFetchingEnvironment env) {
        String domain = env.getArgument("domain_name");
        Boolean active = env.getArgument("is_active");
        List<String> types = env.getArgument("type");
        return directory.groups(g -> visible(caller, g) && (domain == null || g.domainName().equals(domain))
                        && (active == null || g.isActive() == active) && ofTypes(g, types))
                .stream().map(views::group).toList();
    }

    private Object groupsByName(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        String domain = env.getArgument("domain_name");
        return directory.groups(g -> visible(caller, g) && g.name().equals(name)
                && (domain == null || g.domainName().equals(domain))).stream().map(views::group).toList();
    }

    private Object user(Caller caller, DataFetchingEnvironment env) {
        String email = Objects.requireNonNullElse(env.getArgument("email"), caller.email());
        String domain = env.getArgument("domain_name");
        return directory.userByEmail(email).filter(u -> visible(caller, u))
                .filter(u -> domain == null || u.domainName().equals(domain)).map(views::user).orElse(null);
    }

    private Object users(Caller caller, DataFetchingEnvironment env) {
        requireAdmin(caller);
        String domain = env.getArgument("domain_name");
        UUID groupId = env.getArgument("group_id");
        Boolean active = env.getArgument("is_active");
        String status = env.getArgument("status");
        List<UUID> members = groupId == null ? null : directory.membersOf(groupId).stream().map(UserAccount::uuid).toList();
        return directory.users(u -> visible(caller, u) && (domain == null || u.domainName().equals(domain))
                        && (members == null || members.contains(u.uuid()))
                        && (active == null || u.isActive() == active)
                        && (status == null || u.status().equals(status.toLowerCase(Locale.ROOT))))
                .stream().map(views::user).toList();
    }

    private Object keypair(Caller caller, DataFetchingEnvironment env) {
        String accessKey = Objects.requireNonNullElse(env.getArgument("access_key"), caller.accessKey());
        return directory.keypair(accessKey).filter(k -> visible(caller, k)).map(views::keypair).orElse(null);
    }

    private Object keypairs(Caller caller, DataFetchingEnvironment env) {
        String domain = env.getArgument("domain_name");
        String email = env.getArgument("email");
        Boolean active = env.getArgument("is_active");
        if (!caller.isSuperadmin() && !isAdmin(caller) && email != null && !email.equals(caller.email())) {
            throw GqlError.forbidden("not allowed to read other users' keypairs");
        }
        return directory.keypairs(k -> visible(caller, k) && (active == null || k.isActive() == active)
                        && directory.user(k.userId()).map(owner -> (email == null || owner.email().equals(email))
                        && (domain == null || owner.domainName().equals(domain))).orElse(false))
                .stream().map(views::keypair).toList();
    }

    private Object keypairPolicy(Caller caller, DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        if (name == null) {
            name = directory.keypair(caller.accessKey()).map(Keypair::resourcePolicy).orElse(null);
        } else if (!caller.isSuperadmin() && !isAdmin(caller)) {
            String own = directory.keypair(caller.accessKey()).map(Keypair::resourcePolicy).orElse(null);
            if (!name.equals(own)) {
                throw GqlError.forbidden("not allowed to read other keypair resource policies");
            }
        }
        return name == null ? null : directory.keypairPolicy(name).map(views::keypairPolicy).orElse(null);
    }

    private Object keypairPolicies(Caller caller, DataFetchingEnvironment env) {
        requireAdmin(caller);
        return directory.keypairPolicies().stream().map(views::keypairPolicy).toList();
    }

    private Object scalingGroups(Caller caller, DataFetchingEnvironment env) {
        requireAdmin(caller);
        String name = env.getArgument("name");
        Boolean active = env.getArgument("is_active");
        return directory.scalingGroups().stream().filter(s -> (name == null || s.name().equals(name))
                && (active == null || s.isActive() == active)).map(views::scalingGroup).toList();
    }

    private boolean visible(Caller caller, Group group) {
        if (caller.isSuperadmin()) {
            return true;
        }
        if (isAdmin(caller)) {
            return group.domainName().equals(caller.domainName());
        }
        return directory.groupsOf(caller.userId()).stream().anyMatch(g -> g.id().equals(group.id()));
    }

    private boolean visible(Caller caller, UserAccount user) {
        if (caller.isSuperadmin()) {
            return true;
        }
        if (isAdmin(caller)) {
            return user.domainName().equals(caller.domainName());
        }
        return user.uuid().equals(caller.userId());
    }

    private boolean visible(Caller caller, Keypair keypair) {
        return directory.user(keypair.userId()).map(owner -> visible(caller, owner)).orElse(false);
    }

    private static boolean ofTypes(Group group, List<String> types) {
        if (types == null) {
            return true;
        }
        String type = group.type().toUpperCase(Locale.ROOT).replace('-', '_');
        return types.stream().anyMatch(t -> t.equalsIgnoreCase(type));
    }

    static boolean isAdmin(Caller caller) {
        return "admin".equals(caller.role()) || caller.isSuperadmin();
    }

    static void requireSuperadmin(Caller caller) {
        if (!caller.isSuperadmin()) {
            throw GqlError.forbidden("superadmin privilege required");
        }
    }

    static void requireAdmin(Caller caller) {
        if (!isAdmin(caller)) {
            throw GqlError.forbidden("admin privilege required");
        }
    }
}
