package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.graphql.MiniLang.Field;
import bai.scenarios.emulator.graphql.MiniLang.Kind;
import bai.scenarios.emulator.graphql.Scopes.Scope;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.Directory;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code compute_session}, {@code compute_container} and {@code compute_session_list} (the web
 * UI's session list): the manager's {@code scoped_query} by access key, so superadmins see every
 * session, domain admins those of their domain, users those of the keypair they call with;
 * {@code status} (comma-separated names), {@code filter}, {@code order}, {@code limit} and
 * {@code offset} as the manager reads them. Without an order the newest session (by creation
 * or termination, whichever is later) comes first.
 */
final class SessionQueries {
    /** The manager's SessionStatus members, by name. */
    static final List<String> SESSION_STATUSES = List.of("PENDING", "DEPRIORITIZING", "RESERVED", "SCHEDULED",
            "PREPARING", "PULLING", "PREPARED", "CREATING", "RUNNING", "RESTARTING", "RUNNING_DEGRADED", "PREEMPTED",
            "RESCHEDULING", "TERMINATING", "TERMINATED", "ERROR", "CANCELLED");
    /** The manager's KernelStatus members, by name. */
    static final List<String> KERNEL_STATUSES = List.of("PENDING", "SCHEDULED", "PREPARING", "BUILDING", "PULLING",
            "PREPARED", "CREATING", "RUNNING", "RESTARTING", "RESIZING", "SUSPENDED", "TERMINATING", "TERMINATED",
            "ERROR", "CANCELLED");

    private final Directory directory;
    private final Sessions sessions;
    private final SessionViews views;

    SessionQueries(Directory directory, Sessions sessions, SessionViews views) {
        this.directory = directory;
        this.sessions = sessions;
        this.views = views;
    }

    Map<String, DataFetcher> fetchers() {
        return Map.of(
                "compute_session", (AdminGraphQL.CallerFetcher) this::computeSession,
                "compute_container", (AdminGraphQL.CallerFetcher) this::computeContainer,
                "compute_session_list", (AdminGraphQL.CallerFetcher) this::computeSessionList);
    }

    /** Who may see a session: the domain and access key {@code scoped_query} leaves (null: any). */
    private static Predicate<SessionSnapshot> visibleTo(Scope scope) {
        return s -> (scope.domainName() == null || s.domainName().equals(scope.domainName()))
                && (scope.user() == null || s.ownerAccessKey().equals(scope.user()));
    }

    private static Scope scope(Caller caller, DataFetchingEnvironment env) {
        return Scopes.scoped(caller, env.getArgument("domain_name"), env.getArgument("access_key"), caller.accessKey(),
                false);
    }

    private Object computeSession(Caller caller, DataFetchingEnvironment env) {
        Scope scope = scope(caller, env);
        UUID id = env.getArgument("id");
        List<SessionSnapshot> all = sessions.snapshots();
        return all.stream().filter(s -> s.id().equals(id)).filter(visibleTo(scope)).findFirst()
                .map(s -> session(s, all)).orElse(null);
    }

    private Object computeContainer(Caller caller, DataFetchingEnvironment env) {
        Scope scope = scope(caller, env);
        UUID id = env.getArgument("id");
        for (SessionSnapshot s : sessions.snapshots()) {
            if (visibleTo(scope).test(s)) {
                for (SessionSnapshot.Container c : s.containers()) {
                    if (c.kernelId().equals(id)) {
                        return typed(views.container(s, c), "ComputeContainer");
                    }
                }
            }
        }
        return null;
    }

    private Object computeSessionList(Caller caller, DataFetchingEnvironment env) {
        Scope scope = scope(caller, env);
        Set<String> statuses = Scopes.statusNames(env.getArgument("status"), SESSION_STATUSES, true);
        String groupId = env.getArgument("group_id");
        String filter = env.getArgument("filter");
        String order = env.getArgument("order");
        List<SessionSnapshot> all = sessions.snapshots();
        Map<UUID, Row> rows = new LinkedHashMap<>();
        all.forEach(s -> rows.put(s.id(), new Row(s, directory)));
        Predicate<Row> matches = filter == null ? r -> true : MiniLang.filter(filter, FIELDS);
        Comparator<Row> ordering = order == null ? NEWEST_FIRST : MiniLang.order(order, ORDER);
        List<Row> found = rows.values().stream()
                .filter(r -> visibleTo(scope).test(r.session()))
                .filter(r -> groupId == null || r.session().groupId().toString().equalsIgnoreCase(groupId))
                .filter(r -> statuses == null || statuses.contains(r.session().status()))
                .filter(matches).sorted(ordering).toList();
        List<Map<String, Object>> items = Scopes.page(found, env.getArgument("limit"), env.getArgument("offset"))
                .stream().map(r -> session(r.session(), all)).toList();
        return Scopes.paginated(items, found.size());
    }

    private Map<String, Object> session(SessionSnapshot s, List<SessionSnapshot> all) {
        Map<UUID, SessionSnapshot> byId = all.stream().collect(Collectors.toMap(SessionSnapshot::id, x -> x,
                (a, b) -> a, LinkedHashMap::new));
        return typed(views.session(s, byId::get), "ComputeSession");
    }

    private static Map<String, Object> typed(Map<String, Object> view, String type) {
        view.put(AdminGraphQL.TYPE_KEY, type);
        return view;
    }

    /** A session with the owner and project names the manager joins in for filtering. */
    private record Row(SessionSnapshot session, String groupName, String userEmail, String fullName) {
        Row(SessionSnapshot s, Directory directory) {
            this(s, directory.group(s.groupId()).map(g -> g.name()).orElse(null),
                    directory.user(s.userId()).map(u -> u.email()).orElse(null),
                    directory.user(s.userId()).map(u -> u.fullName()).orElse(null));
        }
    }

    /** Newest first: by the later of creation and termination, as the manager's default ordering. */
    private static final Comparator<Row> NEWEST_FIRST = Comparator.comparing((Row r) -> {
        Instant created = MiniLang.instant(r.session().createdAt());
        Instant ended = r.session().terminatedAt() == null ? null : MiniLang.instant(r.session().terminatedAt());
        return ended != null && ended.isAfter(created) ? ended : created;
    }).reversed();

    private static final List<String> SESSION_TYPES = List.of("interactive", "batch", "inference", "system");
    private static final List<String> RESULTS = List.of("undefined", "success", "failure");
    private static final List<String> CLUSTER_MODES = List.of("single-node", "multi-node");

    private static Object agents(Row r) {
        return r.session().placedOn() == null ? null : List.of(r.session().placedOn());
    }

    private static final Map<String, Field<Row>> FIELDS = MiniLang.fields(List.of(
            Field.of("id", Kind.UUID, r -> r.session().id()),
            Field.ofEnum("type", "SessionTypes", SESSION_TYPES, r -> r.session().type()),
            Field.of("name", Kind.STRING, r -> r.session().name()),
            Field.of("priority", Kind.NUMBER, r -> r.session().priority()),
            Field.of("image", Kind.STRING_ARRAY, r -> List.of(r.session().image().reference())),
            Field.of("agent_ids", Kind.STRING_ARRAY, SessionQueries::agents),
            Field.of("agent_id", Kind.STRING_ARRAY, SessionQueries::agents),
            Field.of("agents", Kind.STRING_ARRAY, SessionQueries::agents),
            Field.of("domain_name", Kind.STRING, r -> r.session().domainName()),
            Field.of("group_name", Kind.STRING, Row::groupName),
            Field.of("user_email", Kind.STRING, Row::userEmail),
            Field.of("user_id", Kind.UUID, r -> r.session().userId()),
            Field.of("full_name", Kind.STRING, Row::fullName),
            Field.of("access_key", Kind.STRING, r -> r.session().ownerAccessKey()),
            Field.of("scaling_group", Kind.STRING, r -> SessionViews.SCALING_GROUP),
            Field.ofEnum("cluster_mode", "ClusterMode", CLUSTER_MODES, r -> r.session().clusterMode()),
            Field.of("cluster_size", Kind.NUMBER, r -> r.session().clusterSize()),
            Field.ofEnum("status", "SessionStatus", SESSION_STATUSES, r -> r.session().status()),
            Field.of("status_info", Kind.STRING, r -> r.session().statusInfo()),
            Field.ofEnum("result", "SessionResult", RESULTS, SessionQueries::result),
            Field.of("created_at", Kind.DATETIME, r -> r.session().createdAt()),
            Field.of("terminated_at", Kind.DATETIME, r -> r.session().terminatedAt()),
            Field.of("starts_at", Kind.DATETIME, r -> r.session().history().get("RUNNING")),
            Field.of("scheduled_at", Kind.DATETIME, r -> r.session().history().get("SCHEDULED")),
            Field.of("startup_command", Kind.STRING, r -> r.session().startupCommand())));

    private static final Map<String, Field<Row>> ORDER = MiniLang.fields(FIELDS.values().stream()
            .filter(f -> !f.name().equals("startup_command"))
            .map(f -> f.kind() == Kind.STRING_ARRAY
                    ? Field.<Row>of(f.name(), Kind.STRING, r -> Objects.toString(f.getter().apply(r), null))
                    : f)
            .toList());

    private static String result(Row r) {
        Integer code = r.session().batchExitCode();
        return code == null ? "undefined" : code == 0 ? "success" : "failure";
    }
}
