package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.graphql.MiniLang.Field;
import bai.scenarios.emulator.graphql.MiniLang.Kind;
import bai.scenarios.emulator.graphql.Scopes.Scope;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The paginated {@code user_list} and {@code keypair_list}, with the manager's scoping:
 * {@code user_list} as {@code users} (superadmins everyone, domain admins their domain, users
 * refused); {@code keypair_list} by {@code scoped_query} on e-mail (users see their own
 * keypairs). Newest first unless ordered otherwise.
 */
final class DirectoryLists {
    static final List<String> USER_STATUSES = List.of("active", "inactive", "deleted", "before-verification");
    private static final List<String> ROLES = List.of("superadmin", "admin", "user", "monitor");

    private final Directory directory;
    private final Sessions sessions;
    private final Views views;

    DirectoryLists(Directory directory, Sessions sessions, Views views) {
        this.directory = directory;
        this.sessions = sessions;
        this.views = views;
    }

    Map<String, DataFetcher> fetchers() {
        return Map.of(
                "user_list", (AdminGraphQL.CallerFetcher) this::userList,
                "keypair_list", (AdminGraphQL.CallerFetcher) this::keypairList);
    }

    // --- users ----------------------------------------------------------------------------------

    /** A user with the default access key the manager joins in. */
    private record UserRow(UserAccount user, String mainAccessKey) {
    }

    private static final Map<String, Field<UserRow>> USER_FIELDS = MiniLang.fields(List.of(
            Field.of("uuid", Kind.UUID, r -> r.user().uuid()),
            Field.of("username", Kind.STRING, r -> r.user().username()),
            Field.of("email", Kind.STRING, r -> r.user().email()),
            Field.of("need_password_change", Kind.BOOLEAN, r -> r.user().needPasswordChange()),
            Field.of("full_name", Kind.STRING, r -> r.user().fullName()),
            Field.of("description", Kind.STRING, r -> r.user().description()),
            Field.of("is_active", Kind.BOOLEAN, r -> r.user().isActive()),
            Field.ofEnum("status", "UserStatus", USER_STATUSES, r -> r.user().status()),
            Field.of("status_info", Kind.STRING, r -> r.user().statusInfo()),
            Field.of("created_at", Kind.DATETIME, r -> r.user().createdAt()),
            Field.of("modified_at", Kind.DATETIME, r -> r.user().modifiedAt()),
            Field.of("domain_name", Kind.STRING, r -> r.user().domainName()),
            Field.ofEnum("role", "UserRole", ROLES, r -> r.user().role()),
            Field.of("resource_policy", Kind.STRING, r -> r.user().resourcePolicy()),
            Field.of("allowed_client_ip", Kind.STRING_ARRAY, r -> r.user().allowedClientIp()),
            Field.of("totp_activated", Kind.BOOLEAN, r -> r.user().totpActivated()),
            Field.of("totp_activated_at", Kind.DATETIME, r -> r.user().totpActivatedAt()),
            Field.of("sudo_session_enabled", Kind.BOOLEAN, r -> r.user().sudoSessionEnabled()),
            Field.of("main_access_key", Kind.STRING, UserRow::mainAccessKey)));

    private static final Map<String, Field<UserRow>> USER_ORDER = MiniLang.fields(USER_FIELDS.values().stream()
            .filter(f -> !Set.of("description", "allowed_client_ip").contains(f.name())).toList());

    private Object userList(Caller caller, DataFetchingEnvironment env) {
        if (caller.role().equals("user")) {
            throw GqlError.insufficientPrivilege();
        }
        String domain = Scopes.confinedDomain(caller, env.getArgument("domain_name"), false);
        UUID groupId = env.getArgument("group_id");
        Boolean active = env.getArgument("is_active");
        String status = env.getArgument("status");
        if (status != null && !USER_STATUSES.contains(status)) {
            throw new GqlError("'" + status + "' is not a valid UserStatus", null, "backendai_generic_internal-error");
        }
        Set<UUID> members = groupId == null ? null
                : directory.membersOf(groupId).stream().map(UserAccount::uuid).collect(Collectors.toSet());
        String filter = env.getArgument("filter");
        String order = env.getArgument("order");
        Predicate<UserRow> matches = filter == null ? r -> true : MiniLang.filter(filter, USER_FIELDS);
        Comparator<UserRow> ordering = order == null ? newestFirst(r -> r.user().createdAt())
                : MiniLang.order(order, USER_ORDER);
        Map<UUID, String> mainKeys = directory.keypairs(Keypair::isDefault).stream()
                .collect(Collectors.toMap(Keypair::userId, Keypair::accessKey, (a, b) -> a));
        List<UserRow> found = directory.users(u -> (domain == null || u.domainName().equals(domain))
                        && (members == null || members.contains(u.uuid()))
                        && (status != null ? u.status().equals(status) : active == null || u.isActive() == active))
                .stream().map(u -> new UserRow(u, mainKeys.get(u.uuid()))).filter(matches).sorted(ordering).toList();
        List<Map<String, Object>> items = Scopes.page(found, env.getArgument("limit"), env.getArgument("offset"))
                .stream().map(r -> typed(views.user(r.user()), "User")).toList();
        return Scopes.paginated(items, found.size());
    }

    // --- keypairs -------------------------------------------------------------------------------

    /** A keypair with its owner and the owner's projects, as the manager joins them. */
    private record KeypairRow(Keypair keypair, UserAccount owner, List<String> projects) {
    }

    private static final Map<String, Field<KeypairRow>> KEYPAIR_FIELDS = MiniLang.fields(List.of(
            Field.of("access_key", Kind.STRING, r -> r.keypair().accessKey()),
            Field.of("user_id", Kind.UUID, r -> r.owner().uuid()),
            Field.of("email", Kind.STRING, r -> r.owner().email()),
            Field.of("full_name", Kind.STRING, r -> r.owner().fullName()),
            Field.of("is_active", Kind.BOOLEAN, r -> r.keypair().isActive()),
            Field.of("is_admin", Kind.BOOLEAN, r -> r.keypair().isAdmin()),
            Field.of("resource_policy", Kind.STRING, r -> r.keypair().resourcePolicy()),
            Field.of("created_at", Kind.DATETIME, r -> r.keypair().createdAt()),
            Field.of("last_used", Kind.DATETIME, r -> r.keypair().lastUsed()),
            Field.of("rate_limit", Kind.NUMBER, r -> r.keypair().rateLimit()),
            Field.of("num_queries", Kind.NUMBER, r -> r.keypair().numQueries()),
            Field.of("ssh_public_key", Kind.STRING, r -> null),
            Field.of("projects", Kind.STRING_ARRAY, KeypairRow::projects)));

    private static final Map<String, Field<KeypairRow>> KEYPAIR_ORDER = MiniLang.fields(
            KEYPAIR_FIELDS.values().stream().filter(f -> !Set.of("user_id", "ssh_public_key").contains(f.name()))
                    .map(f -> f.kind() == Kind.STRING_ARRAY
                            ? Field.<KeypairRow>of(f.name(), Kind.STRING, r -> String.join(",", r.projects()))
                            : f)
                    .toList());

    private Object keypairList(Caller caller, DataFetchingEnvironment env) {
        Scope scope = Scopes.scoped(caller, env.getArgument("domain_name"), env.getArgument("email"), caller.email(),
                false);
        Boolean active = env.getArgument("is_active");
        String filter = env.getArgument("filter");
        String order = env.getArgument("order");
        Predicate<KeypairRow> matches = filter == null ? r -> true : MiniLang.filter(filter, KEYPAIR_FIELDS);
        Comparator<KeypairRow> ordering = order == null ? newestFirst(r -> r.keypair().createdAt())
                : MiniLang.order(order, KEYPAIR_ORDER);
        List<KeypairRow> found = directory.keypairs(k -> active == null || k.isActive() == active).stream()
                .map(k -> directory.user(k.userId()).map(owner -> new KeypairRow(k, owner,
                        directory.groupsOf(owner.uuid()).stream().map(Group::name).toList())).orElse(null))
                .filter(r -> r != null && (scope.domainName() == null || r.owner().domainName().equals(scope.domainName()))
                        && (scope.user() == null || r.owner().email().equals(scope.user())))
                .filter(matches).sorted(ordering).toList();
        List<SessionSnapshot> live = sessions.snapshots();
        List<Map<String, Object>> items = Scopes.page(found, env.getArgument("limit"), env.getArgument("offset"))
                .stream().map(r -> typed(views.keypair(r.keypair(), live), "KeyPair")).toList();
        return Scopes.paginated(items, found.size());
    }

    private static <T> Comparator<T> newestFirst(java.util.function.Function<T, String> createdAt) {
        return Comparator.comparing((T row) -> MiniLang.instant(createdAt.apply(row)),
                Comparator.nullsLast(Comparator.<java.time.Instant>naturalOrder())).reversed();
    }

    private static Map<String, Object> typed(Map<String, Object> view, String type) {
        view.put(AdminGraphQL.TYPE_KEY, type);
        return view;
    }
}
