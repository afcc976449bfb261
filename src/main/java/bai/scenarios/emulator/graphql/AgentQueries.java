package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.EmulatorVersion;
import bai.scenarios.emulator.graphql.MiniLang.Field;
import bai.scenarios.emulator.graphql.MiniLang.Kind;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.Agent;
import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.ScalingGroup;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The agents and scaling groups, the admin's view of capacity: {@code agent}, {@code agents},
 * {@code agent_list} (superadmin only), {@code agent_summary(_list)} (superadmin only too, as
 * halfstack hides agents from everyone else), {@code scaling_group(s)} (superadmin only) and the scaling
 * group's computed fields. Capacity is the agents' own: what each has and what the sessions
 * scheduled on it hold, from SCHEDULED until their kernels are released.
 *
 * <p>Every emulated agent is ALIVE, schedulable and in the {@code default} scaling group, which
 * every domain, project and keypair may use (the emulator associates every scaling group with
 * everyone). An agent has no statistics pipeline, so {@code live_stat} is null and the current
 * CPU and memory usage read 0, as on a manager that has no statistics for an agent.
 */
final class AgentQueries {
    static final List<String> AGENT_STATUSES = List.of("ALIVE", "LOST", "RESTARTING", "TERMINATED");
    private static final BigInteger MIB = BigInteger.valueOf(1024 * 1024);

    private final Directory directory;
    private final Sessions sessions;
    private final SessionViews sessionViews;

    AgentQueries(Directory directory, Sessions sessions, SessionViews sessionViews) {
        this.directory = directory;
        this.sessions = sessions;
        this.sessionViews = sessionViews;
    }

    /** One agent and the sessions of the moment, read together under the state lock. */
    record AgentState(String id, BigDecimal cpu, BigInteger mem, BigDecimal usedCpu, BigInteger usedMem,
                      String firstContact, int containers) {
        Map<String, String> available() {
            return Slots.of(cpu, mem);
        }

        Map<String, String> occupied() {
            return Slots.of(usedCpu, usedMem);
        }
    }

    private record Snapshot(List<AgentState> agents, List<SessionSnapshot> sessions) {
    }

    private Snapshot snapshot() {
        return sessions.locked(() -> {
            List<SessionSnapshot> all = sessions.snapshots();
            List<AgentState> agents = new ArrayList<>();
            for (Agent agent : sessions.agents()) {
                int containers = all.stream().filter(s -> s.occupying() && agent.id().equals(s.placedOn()))
                        .mapToInt(SessionSnapshot::clusterSize).sum();
                agents.add(new AgentState(agent.id(), agent.cpu(), agent.mem(), agent.usedCpu(), agent.usedMem(),
                        agent.firstContact(), containers));
            }
            return new Snapshot(agents, all);
        });
    }

    Map<String, DataFetcher> fetchers() {
        return Map.ofEntries(
                Map.entry("agent", (AdminGraphQL.CallerFetcher) this::agent),
                Map.entry("agents", (AdminGraphQL.CallerFetcher) this::agents),
                Map.entry("agent_list", (AdminGraphQL.CallerFetcher) this::agentList),
                Map.entry("agent_summary", (AdminGraphQL.CallerFetcher) this::agentSummary),
                Map.entry("agent_summary_list", (AdminGraphQL.CallerFetcher) this::agentSummaryList),
                Map.entry("scaling_group", (AdminGraphQL.CallerFetcher) this::scalingGroup),
                Map.entry("scaling_groups", (AdminGraphQL.CallerFetcher) this::scalingGroups));
    }

    // --- agents ---------------------------------------------------------------------------------

    private static final Map<String, Field<AgentState>> AGENT_FILTER = MiniLang.fields(List.of(
            Field.of("id", Kind.STRING, AgentState::id),
            Field.ofEnum("status", "AgentStatus", AGENT_STATUSES, a -> "ALIVE"),
            Field.of("status_changed", Kind.DATETIME, AgentState::firstContact),
            Field.of("region", Kind.STRING, a -> null),
            Field.of("scaling_group", Kind.STRING, a -> SessionViews.SCALING_GROUP),
            Field.of("schedulable", Kind.BOOLEAN, a -> true),
            Field.of("addr", Kind.STRING, a -> null),
            Field.of("first_contact", Kind.DATETIME, AgentState::firstContact),
            Field.of("lost_at", Kind.DATETIME, a -> null),
            Field.of("version", Kind.STRING, a -> EmulatorVersion.reported())));

    private static final Map<String, Field<AgentState>> AGENT_ORDER = MiniLang.fields(List.of(
            Field.of("id", Kind.STRING, AgentState::id),
            Field.of("status", Kind.STRING, a -> "ALIVE"),
            Field.of("status_changed", Kind.DATETIME, AgentState::firstContact),
            Field.of("region", Kind.STRING, a -> null),
            Field.of("scaling_group", Kind.STRING, a -> SessionViews.SCALING_GROUP),
            Field.of("schedulable", Kind.BOOLEAN, a -> true),
            Field.of("first_contact", Kind.DATETIME, AgentState::firstContact),
            Field.of("lost_at", Kind.DATETIME, a -> null),
            Field.of("version", Kind.STRING, a -> EmulatorVersion.reported()),
            Field.of("available_slots", Kind.STRING, a -> a.available().toString()),
            Field.of("occupied_slots", Kind.STRING, a -> a.occupied().toString())));

    private static final Map<String, Field<AgentState>> SUMMARY_FILTER = MiniLang.fields(List.of(
            Field.of("id", Kind.STRING, AgentState::id),
            Field.ofEnum("status", "AgentStatus", AGENT_STATUSES, a -> "ALIVE"),
            Field.of("scaling_group", Kind.STRING, a -> SessionViews.SCALING_GROUP),
            Field.of("schedulable", Kind.BOOLEAN, a -> true)));

    private static final Map<String, Field<AgentState>> SUMMARY_ORDER = MiniLang.fields(List.of(
            Field.of("id", Kind.STRING, AgentState::id),
            Field.of("status", Kind.STRING, a -> "ALIVE"),
            Field.of("scaling_group", Kind.STRING, a -> SessionViews.SCALING_GROUP),
            Field.of("schedulable", Kind.BOOLEAN, a -> true),
            Field.of("available_slots", Kind.STRING, a -> a.available().toString()),
            Field.of("occupied_slots", Kind.STRING, a -> a.occupied().toString())));

    /** The manager's default agent order: status, scaling group, id. */
    private static final Comparator<AgentState> DEFAULT_ORDER = Comparator.comparing(AgentState::id);

    private Object agent(Caller caller, DataFetchingEnvironment env) {
        Scopes.requireSuperadmin(caller);
        String id = env.getArgument("agent_id");
        Snapshot now = snapshot();
        return now.agents().stream().filter(a -> a.id().equals(id)).findFirst().map(a -> agentView(a, now))
                .orElse(null);
    }

    private Object agents(Caller caller, DataFetchingEnvironment env) {
        Scopes.requireSuperadmin(caller);
        Set<String> statuses = Scopes.statusNames(env.getArgument("status"), AGENT_STATUSES, false);
        String group = env.getArgument("scaling_group");
        Snapshot now = snapshot();
        return now.agents().stream().filter(inGroup(group)).filter(a -> statuses == null || statuses.contains("ALIVE"))
                .map(a -> agentView(a, now)).toList();
    }

    private Object agentList(Caller caller, DataFetchingEnvironment env) {
        Scopes.requireSuperadmin(caller);
        Set<String> statuses = Scopes.statusNames(env.getArgument("status"), AGENT_STATUSES, true);
        Snapshot now = snapshot();
        List<AgentState> found = select(now.agents(), env, statuses, AGENT_FILTER, AGENT_ORDER);
        int total = found.size();
        return Scopes.paginated(Scopes.page(found, env.getArgument("limit"), env.getArgument("offset")).stream()
                .map(a -> agentView(a, now)).toList(), total);
    }

    /**
     * The emulated manager runs with halfstack's {@code hide-agents = true}: summaries are the
     * superadmin's only; anyone else is told there is no such agent.
     */
    static final boolean HIDE_AGENTS = true;

    /** The manager's scoped_query for summaries, then its hide-agents gate; every scaling group is theirs. */
    private void scopeSummary(Caller caller, DataFetchingEnvironment env) {
        Scopes.scoped(caller, null, null, caller.accessKey(), true);
        if (HIDE_AGENTS && !caller.isSuperadmin()) {
            throw new GqlError("No such agent.", null, "backendai_read_not-found");
        }
    }

    private Object agentSummary(Caller caller, DataFetchingEnvironment env) {
        scopeSummary(caller, env);
        String id = env.getArgument("agent_id");
        return snapshot().agents().stream().filter(a -> a.id().equals(id)).findFirst().map(AgentQueries::summaryView)
                .orElse(null);
    }

    private Object agentSummaryList(Caller caller, DataFetchingEnvironment env) {
        scopeSummary(caller, env);
        Set<String> statuses = Scopes.statusNames(env.getArgument("status"), AGENT_STATUSES, false);
        List<AgentState> found = select(snapshot().agents(), env, statuses, SUMMARY_FILTER, SUMMARY_ORDER);
        int total = found.size();
        return Scopes.paginated(Scopes.page(found, env.getArgument("limit"), env.getArgument("offset")).stream()
                .map(AgentQueries::summaryView).toList(), total);
    }

    private static List<AgentState> select(List<AgentState> agents, DataFetchingEnvironment env, Set<String> statuses,
                                           Map<String, Field<AgentState>> filterFields,
                                           Map<String, Field<AgentState>> orderFields) {
        String filter = env.getArgument("filter");
        String order = env.getArgument("order");
        Predicate<AgentState> matches = filter == null ? a -> true : MiniLang.filter(filter, filterFields);
        Comparator<AgentState> ordering = order == null ? DEFAULT_ORDER : MiniLang.order(order, orderFields);
        String group = env.getArgument("scaling_group");
        return agents.stream().filter(inGroup(group))
                .filter(a -> statuses == null || statuses.contains("ALIVE"))
                .filter(matches).sorted(ordering).toList();
    }

    private static Predicate<AgentState> inGroup(String group) {
        return a -> group == null || group.equals(SessionViews.SCALING_GROUP);
    }

    /** The {@code Agent} type: capacity, what the sessions hold, and the legacy slot fields. */
    private Map<String, Object> agentView(AgentState a, Snapshot now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(AdminGraphQL.TYPE_KEY, "Agent");
        view.put("id", a.id());
        view.put("status", "ALIVE");
        view.put("status_changed", a.firstContact());
        view.put("region", null);
        view.put("scaling_group", SessionViews.SCALING_GROUP);
        view.put("schedulable", true);
        view.put("available_slots", a.available());
        view.put("occupied_slots", a.occupied());
        view.put("addr", null);
        view.put("architecture", hostArchitecture());
        view.put("first_contact", a.firstContact());
        view.put("lost_at", null);
        view.put("live_stat", null);
        view.put("version", EmulatorVersion.reported());
        // The intrinsic cpu and memory plugins report healthy devices without metadata.
        Map<String, Object> healthy = new LinkedHashMap<>();
        healthy.put("status", "healthy");
        healthy.put("status_info", null);
        healthy.put("metadata", Map.of());
        Map<String, Object> hardware = new LinkedHashMap<>();
        hardware.put("cpu", healthy);
        hardware.put("mem", healthy);
        view.put("hardware_metadata", hardware);
        view.put("auto_terminate_abusing_kernel", false);
        view.put("local_config", Map.of("agent", Map.of("auto_terminate_abusing_kernel", false)));
        view.put("container_count", a.containers());
        view.put("mem_slots", a.mem().divide(MIB).longValue());
        view.put("cpu_slots", a.cpu().doubleValue());
        view.put("gpu_slots", 0.0);
        view.put("tpu_slots", 0.0);
        view.put("used_mem_slots", a.usedMem().divide(MIB).longValue());
        view.put("used_cpu_slots", a.usedCpu().doubleValue());
        view.put("used_gpu_slots", 0.0);
        view.put("used_tpu_slots", 0.0);
        view.put("cpu_cur_pct", 0.0);
        view.put("mem_cur_bytes", 0.0);
        view.put(CONTAINERS_KEY, now.sessions());
        return view;
    }

    /** Where an agent view keeps the sessions it was read with, for its {@code compute_containers}. */
    static final String CONTAINERS_KEY = "$sessions";

    /** {@code Agent.compute_containers(status)}: the containers placed on the agent, by kernel status name. */
    @SuppressWarnings("unchecked")
    Object computeContainers(DataFetchingEnvironment env) {
        Map<String, Object> agent = env.getSource();
        String status = env.getArgument("status");
        if (status != null) {
            Scopes.statusNames(status, SessionQueries.KERNEL_STATUSES, false);
        }
        return sessionViews.containersOn((String) agent.get("id"), (List<SessionSnapshot>) agent.get(CONTAINERS_KEY),
                status);
    }

    private static Map<String, Object> summaryView(AgentState a) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(AdminGraphQL.TYPE_KEY, "AgentSummary");
        view.put("id", a.id());
        view.put("status", "ALIVE");
        view.put("scaling_group", SessionViews.SCALING_GROUP);
        view.put("schedulable", true);
        view.put("available_slots", a.available());
        view.put("occupied_slots", a.occupied());
        view.put("architecture", hostArchitecture());
        return view;
    }

    /** The agents' architecture is the host's, in Backend.AI's names. */
    static String hostArchitecture() {
        String arch = System.getProperty("os.arch", "x86_64").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86-64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    // --- scaling groups -------------------------------------------------------------------------

    private Object scalingGroup(Caller caller, DataFetchingEnvironment env) {
        Scopes.requireSuperadmin(caller);
        if (!env.containsArgument("name")) {
            throw Scopes.typeError("Query.resolve_scaling_group() missing 1 required positional argument: 'name'");
        }
        String name = env.getArgument("name");
        return directory.scalingGroups().stream().filter(s -> s.name().equals(name)).findFirst()
                .map(this::scalingGroupView).orElse(null);
    }

    private Object scalingGroups(Caller caller, DataFetchingEnvironment env) {
        Scopes.requireSuperadmin(caller);
        if (env.containsArgument("name")) {
            // The manager declares `name` but its resolver does not take it.
            throw Scopes.typeError("Query.resolve_scaling_groups() got an unexpected keyword argument 'name'");
        }
        Boolean active = env.getArgument("is_active");
        return directory.scalingGroups().stream().filter(s -> active == null || s.isActive() == active)
                .map(this::scalingGroupView).toList();
    }

    private Map<String, Object> scalingGroupView(ScalingGroup group) {
        return new Views(directory, sessions).scalingGroup(group);
    }

    /** The scaling group's computed fields. */
    Map<String, DataFetcher> scalingGroupFields() {
        return Map.of(
                "agent_count_by_status", this::agentCountByStatus,
                "agent_total_resource_slots_by_status", this::agentTotalsByStatus,
                "resource_allocation_limit_for_sessions", this::allocationLimit,
                "own_session_occupied_resource_slots", this::ownOccupied);
    }

    private List<AgentState> agentsOf(DataFetchingEnvironment env, List<AgentState> agents) {
        String name = (String) ((Map<?, ?>) env.getSource()).get("name");
        return agents.stream().filter(a -> SessionViews.SCALING_GROUP.equals(name)).toList();
    }

    private Object agentCountByStatus(DataFetchingEnvironment env) {
        Set<String> statuses = Scopes.statusNames(env.getArgument("status"), AGENT_STATUSES, true);
        return agentsOf(env, snapshot().agents()).stream().filter(a -> statuses == null || statuses.contains("ALIVE"))
                .count();
    }

    private Object agentTotalsByStatus(DataFetchingEnvironment env) {
        Set<String> statuses = Scopes.statusNames(env.getArgument("status"), AGENT_STATUSES, false);
        Map<String, String> occupied = new LinkedHashMap<>();
        Map<String, String> available = new LinkedHashMap<>();
        for (AgentState agent : agentsOf(env, snapshot().agents())) {
            if (statuses.contains("ALIVE")) {
                occupied = Slots.plus(occupied, agent.occupied());
                available = Slots.plus(available, agent.available());
            }
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("occupied_slots", occupied);
        totals.put("available_slots", available);
        return totals;
    }

    /** The largest amount of each slot one schedulable agent has (zero amounts dropped). */
    private Object allocationLimit(DataFetchingEnvironment env) {
        Map<String, BigDecimal> largest = new LinkedHashMap<>();
        for (AgentState agent : agentsOf(env, snapshot().agents())) {
            agent.available().forEach((slot, amount) -> largest.merge(slot, new BigDecimal(amount), BigDecimal::max));
        }
        Map<String, String> limit = new LinkedHashMap<>();
        largest.forEach((slot, amount) -> {
            String text = Slots.amount(amount);
            if (!text.equals("0")) {
                limit.put(slot, text);
            }
        });
        return limit;
    }

    /** What the caller's own sessions hold on this group's agents now. */
    private Object ownOccupied(DataFetchingEnvironment env) {
        Caller caller = AdminGraphQL.caller(env);
        Map<String, String> total = new LinkedHashMap<>();
        Snapshot now = snapshot();
        Set<String> agentIds = Set.copyOf(agentsOf(env, now.agents()).stream().map(AgentState::id).toList());
        for (SessionSnapshot s : now.sessions()) {
            if (s.occupying() && s.userId().equals(caller.userId()) && agentIds.contains(s.placedOn())) {
                total = Slots.plus(total, Slots.of(s.totalCpu(), s.totalMem()));
            }
        }
        return total;
    }
}
