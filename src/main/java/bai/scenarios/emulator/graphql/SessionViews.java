package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.SessionSnapshot.Container;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.UserAccount;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * The {@code ComputeSession} and {@code ComputeContainer} types, computed from session snapshots
 * and the directory as the manager's legacy resolvers compute them from its session and kernel
 * rows.
 *
 * <p>What the emulator does not have and answers as the manager answers without it: no
 * commit is ever under way ({@code commit_status} "ready"), no abuse reports, no metrics
 * ({@code live_stat} null), no service ports, no mounted folders, no inference metrics. The
 * emulator's create takes no {@code tag} or {@code priority}, so every session starts with the
 * manager's defaults (no tag, priority 10; the scheduler lowers it when it gives up on a session
 * for a while); its containers have no container id or agent
 * address. All of a session's containers run on the agent it was scheduled on.
 */
final class SessionViews {
    /** The scaling group every emulated agent belongs to. */
    static final String SCALING_GROUP = "default";

    private final Directory directory;

    SessionViews(Directory directory) {
        this.directory = directory;
    }

    /** The session as {@code ComputeSession} shows it; {@code byId} resolves dependencies. */
    Map<String, Object> session(SessionSnapshot s, Function<UUID, SessionSnapshot> byId) {
        Map<String, Object> view = new LinkedHashMap<>();
        UserAccount owner = directory.user(s.userId()).orElse(null);
        view.put("id", s.id().toString());
        view.put("session_id", s.id());
        view.put("main_kernel_id", s.containers().get(0).kernelId());
        view.put("tag", null);
        view.put("name", s.name());
        view.put("type", s.type().toUpperCase(Locale.ROOT));
        view.put("main_kernel_role", s.type().toUpperCase(Locale.ROOT));
        view.put("priority", s.priority());
        view.put("image", s.image().reference());
        view.put("architecture", s.image().architecture());
        view.put("registry", s.image().registry());
        view.put("cluster_template", null);
        // Stored as the ClusterMode value, whichever spelling the create used.
        view.put("cluster_mode", s.clusterMode().toLowerCase(Locale.ROOT).replace('_', '-'));
        view.put("cluster_size", s.clusterSize());
        view.put("domain_name", s.domainName());
        view.put("group_name", directory.group(s.groupId()).map(Group::name).orElse(null));
        view.put("group_id", s.groupId());
        view.put("user_email", owner == null ? null : owner.email());
        view.put("full_name", owner == null ? null : owner.fullName());
        view.put("user_id", s.userId());
        view.put("access_key", s.ownerAccessKey());
        view.put("created_user_email", null);
        view.put("created_user_id", null);
        view.put("status", s.status());
        view.put("status_changed", s.history().get(s.status()));
        view.put("status_info", s.statusInfo());
        view.put("status_data", statusData(s, s.containers().get(0)));
        view.put("status_history", new LinkedHashMap<>(s.history()));
        view.put("created_at", s.createdAt());
        view.put("terminated_at", s.terminatedAt());
        view.put("starts_at", s.history().get("RUNNING"));
        view.put("scheduled_at", s.history().get("SCHEDULED"));
        view.put("startup_command", s.startupCommand());
        // The manager records a batch session's verdict when it ends (SessionResult), UNDEFINED otherwise.
        view.put("result", s.batchExitCode() == null ? "UNDEFINED" : s.batchExitCode() == 0 ? "SUCCESS" : "FAILURE");
        view.put("commit_status", "ready");
        view.put("abusing_reports", Collections.nCopies(s.containers().size(), null));
        view.put("idle_checks", idleChecks(s));
        List<String> agents = s.placedOn() == null ? null : List.of(s.placedOn());
        view.put("agent_ids", agents);
        view.put("agents", agents);
        Map<String, Object> resourceOpts = new LinkedHashMap<>();
        s.containers().forEach(c -> resourceOpts.put(hostname(c), Map.of()));
        view.put("resource_opts", resourceOpts);
        view.put("scaling_group", SCALING_GROUP);
        view.put("service_ports", List.of());
        // The manager gives each mounted folder once (a Python set): names in mounts, ids in vfolder_mounts.
        List<SessionSnapshot.Mounted> mounted = s.mounts().stream()
                .sorted(java.util.Comparator.comparing(m -> m.folderId().toString())).toList();
        view.put("mounts", mounted.stream().map(SessionSnapshot.Mounted::name).distinct().toList());
        view.put("vfolder_mounts", mounted.stream().map(m -> m.folderId().toString()).distinct().toList());
        Map<String, String> total = Slots.of(s.totalCpu(), s.totalMem());
        view.put("occupying_slots", s.occupying() ? total : Map.of());
        view.put("occupied_slots", s.occupying() ? total : Map.of());
        view.put("requested_slots", total);
        view.put("num_queries", (long) s.numQueries());
        view.put("containers", s.containers().stream().map(c -> container(s, c)).toList());
        view.put("dependencies", s.dependencies().stream().map(byId).filter(Objects::nonNull)
                .map(d -> session(d, byId)).toList());
        view.put("inference_metrics", null);
        return view;
    }

    /** One container as {@code ComputeContainer} shows it: its id is the plain kernel UUID. */
    Map<String, Object> container(SessionSnapshot s, Container c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.kernelId().toString());
        view.put("idx", c.index());
        view.put("role", c.role());
        view.put("hostname", hostname(c));
        view.put("kernel_id", c.kernelId());
        view.put("cluster_idx", c.index());
        view.put("local_rank", c.index());
        view.put("cluster_role", c.role());
        view.put("cluster_hostname", hostname(c));
        view.put("session_id", s.id());
        view.put("image", s.image().reference());
        view.put("architecture", s.image().architecture());
        view.put("registry", s.image().registry());
        view.put("status", s.status());
        view.put("status_changed", s.history().get(s.status()));
        view.put("status_info", s.statusInfo());
        view.put("status_data", statusData(s, c));
        view.put("created_at", s.createdAt());
        view.put("terminated_at", s.terminatedAt());
        view.put("starts_at", s.history().get("RUNNING"));
        view.put("scheduled_at", s.history().get("SCHEDULED"));
        view.put("abusing_report", null);
        view.put("agent", s.placedOn());
        view.put("agent_addr", null);
        view.put("container_id", null);
        view.put("resource_opts", Map.of());
        // A kernel's occupied slots are recorded when it starts running, and kept.
        view.put("occupied_slots", s.history().containsKey("RUNNING") ? Slots.of(s.cpu(), s.mem()) : Map.of());
        view.put("live_stat", null);
        view.put("last_stat", null);
        view.put("preopen_ports", List.of());
        return view;
    }

    static String hostname(Container c) {
        return c.role() + c.index();
    }

    /**
     * A container's status_data as the manager keeps it: null while it lives; once ended, the
     * kernel's exit code (the batch command's, for a batch session's main container) and the
     * session's termination state.
     */
    private static Map<String, Object> statusData(SessionSnapshot s, Container c) {
        if (!s.isTerminal()) {
            return null;
        }
        Map<String, Object> kernelData = new LinkedHashMap<>();
        kernelData.put("exit_code", c.index() == 0 && s.type().equals("batch") ? s.batchExitCode() : null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kernel", kernelData);
        data.put("session", Map.of("status", "terminated"));
        return data;
    }

    /**
     * The idle checkers' report. The manager always runs the session-lifetime checker: while the
     * session runs under a policy with a {@code max_session_lifetime}, the seconds it has left
     * (-1 once past); otherwise no report.
     */
    private Map<String, Object> idleChecks(SessionSnapshot s) {
        Double remaining = null;
        String runningSince = s.history().get("RUNNING");
        int lifetime = directory.keypair(s.ownerAccessKey()).map(Keypair::resourcePolicy)
                .flatMap(directory::keypairPolicy).map(KeypairResourcePolicy::maxSessionLifetime).orElse(0);
        if (lifetime > 0 && s.status().equals("RUNNING") && runningSince != null) {
            Instant started = MiniLang.instant(runningSince);
            double left = lifetime - Duration.between(started, Instant.now()).toMillis() / 1000.0;
            remaining = left > 0 ? left : -1.0;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("remaining", remaining);
        report.put("remaining_time_type", "expire_after");
        report.put("extra", null);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("session_lifetime", report);
        return checks;
    }

    /** Containers of {@code sessions} placed on {@code agentId}, optionally of one kernel status. */
    List<Map<String, Object>> containersOn(String agentId, List<SessionSnapshot> sessions, String status) {
        List<Map<String, Object>> containers = new ArrayList<>();
        for (SessionSnapshot s : sessions) {
            if (agentId.equals(s.placedOn()) && (status == null || status.equals(s.status()))) {
                s.containers().forEach(c -> containers.add(container(s, c)));
            }
        }
        return containers;
    }
}
