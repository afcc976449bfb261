package bai.scenarios.client;

import bai.scenarios.timing.Phase;
import bai.scenarios.timing.PhaseTimer;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compute sessions: create (always {@code enqueue_only}, then wait explicitly), inspect, wait for
 * a status, run code (the continue/input loop lives here), rename, destroy.
 */
public final class SessionsApi {
    public static final Set<String> TERMINAL = Set.of("TERMINATED", "CANCELLED", "ERROR");
    private static final Duration POLL = Duration.ofMillis(25);

    private final ManagerClient client;

    SessionsApi(ManagerClient client) {
        this.client = client;
    }

    /**
     * A virtual folder to mount: by id ({@code config.mount_ids}, the current way) or by name
     * ({@code config.mounts}, the legacy way), at {@code destination} (null: the manager's default,
     * {@code /home/work/<folder name>}).
     */
    public record Mount(UUID id, String name, String destination) {
        public static Mount byId(UUID id) {
            return new Mount(id, null, null);
        }

        public static Mount byName(String name) {
            return new Mount(null, name, null);
        }

        public Mount at(String path) {
            return new Mount(id, name, path);
        }
    }

    /** What to start. Null fields are left to the manager's defaults. */
    public record SessionRequest(String name, String image, String type, String domain, String project,
                                 Map<String, Object> resources, Integer clusterSize, String startupCommand,
                                 String bootstrapScript, Long batchTimeoutSeconds, List<UUID> dependencies,
                                 List<Mount> mounts) {
        public SessionRequest {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }

        public static SessionRequest interactive(String name, String image, String domain, String project) {
            return new SessionRequest(name, image, "interactive", domain, project, null, null, null, null, null, List.of(),
                    List.of());
        }

        public SessionRequest batch(String command) {
            return new SessionRequest(name, image, "batch", domain, project, resources, clusterSize, command,
                    bootstrapScript, batchTimeoutSeconds, dependencies, mounts);
        }

        public SessionRequest withResources(Map<String, Object> wanted) {
            return new SessionRequest(name, image, type, domain, project, wanted, clusterSize, startupCommand,
                    bootstrapScript, batchTimeoutSeconds, dependencies, mounts);
        }

        public SessionRequest withClusterSize(int size) {
            return new SessionRequest(name, image, type, domain, project, resources, size, startupCommand,
                    bootstrapScript, batchTimeoutSeconds, dependencies, mounts);
        }

        public SessionRequest withBatchTimeout(long seconds) {
            return new SessionRequest(name, image, type, domain, project, resources, clusterSize, startupCommand,
                    bootstrapScript, seconds, dependencies, mounts);
        }

        public SessionRequest withBootstrapScript(String script) {
            return new SessionRequest(name, image, type, domain, project, resources, clusterSize, startupCommand,
                    script, batchTimeoutSeconds, dependencies, mounts);
        }

        public SessionRequest dependingOn(List<UUID> sessions) {
            return new SessionRequest(name, image, type, domain, project, resources, clusterSize, startupCommand,
                    bootstrapScript, batchTimeoutSeconds, List.copyOf(sessions), mounts);
        }

        /** The session mounts these folders. */
        public SessionRequest mounting(List<Mount> folders) {
            return new SessionRequest(name, image, type, domain, project, resources, clusterSize, startupCommand,
                    bootstrapScript, batchTimeoutSeconds, dependencies, folders);
        }

        /** The creation {@code config}: resources and mounts (ids in {@code mount_ids}, names in {@code mounts}). */
        Map<String, Object> config() {
            Map<String, Object> config = new LinkedHashMap<>();
            if (resources != null) {
                config.put("resources", resources);
            }
            List<String> ids = mounts.stream().filter(m -> m.id() != null).map(m -> m.id().toString()).toList();
            Map<String, String> idMap = new LinkedHashMap<>();
            mounts.stream().filter(m -> m.id() != null && m.destination() != null)
                    .forEach(m -> idMap.put(m.id().toString(), m.destination()));
            List<String> names = mounts.stream().filter(m -> m.id() == null).map(Mount::name).toList();
            Map<String, String> nameMap = new LinkedHashMap<>();
            mounts.stream().filter(m -> m.id() == null && m.destination() != null)
                    .forEach(m -> nameMap.put(m.name(), m.destination()));
            if (!ids.isEmpty()) {
                config.put("mount_ids", ids);
            }
            if (!idMap.isEmpty()) {
                config.put("mount_id_map", idMap);
            }
            if (!names.isEmpty()) {
                config.put("mounts", names);
            }
            if (!nameMap.isEmpty()) {
                config.put("mount_map", nameMap);
            }
            return config;
        }

        Map<String, Object> toBody() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("session_name", name);
            body.put("image", image);
            body.put("session_type", type);
            if (domain != null) {
                body.put("domain", domain);
            }
            if (project != null) {
                body.put("group", project);
            }
            Map<String, Object> config = config();
            if (!config.isEmpty()) {
                body.put("config", config);
            }
            if (clusterSize != null) {
                body.put("cluster_size", clusterSize);
            }
            if (startupCommand != null) {
                body.put("startup_command", startupCommand);
            }
            if (bootstrapScript != null) {
                body.put("bootstrap_script", bootstrapScript);
            }
            if (batchTimeoutSeconds != null) {
                body.put("batch_timeout", batchTimeoutSeconds);
            }
            if (!dependencies.isEmpty()) {
                body.put("dependencies", dependencies.stream().map(UUID::toString).toList());
            }
            body.put("enqueue_only", true);
            return body;
        }
    }

    /** The session as the manager describes it. */
    public record SessionInfo(UUID id, String status, String statusInfo, String image, String requestedSlots) {
    }

    /** The outcome of one piece of code, after the client's continue loop. */
    public record Run(String status, Integer exitCode, String stdout, String stderr) {
        /** One line for failure messages: how the run ended and its whole error output. */
        public String describe() {
            return "the run " + status + " with exit code " + exitCode
                    + (stderr.isEmpty() ? " and no error output" : "; its error output:\n" + stderr);
        }
    }

    /** A creation the manager answered: the session and the status it reported. */
    public record Created(UUID id, String status, boolean created) {
    }

    /** Enqueues a session and returns its id at once; callers wait explicitly. */
    public UUID create(SessionRequest request) {
        JsonNode answer = client.post("/session", request.toBody()).orThrow().json();
        return UUID.fromString(answer.path("sessionId").asText());
    }

    /**
     * Creates without {@code enqueue_only}: the manager blocks until the session runs or
     * {@code maxWaitSeconds} pass (then it answers {@code TIMEOUT}). Used to test that behaviour.
     */
    public Created createAndWait(SessionRequest request, int maxWaitSeconds) {
        Map<String, Object> body = request.toBody();
        body.put("enqueue_only", false);
        body.put("max_wait_seconds", maxWaitSeconds);
        JsonNode answer;
        try (PhaseTimer.Span ignored = client.timer().enter(Phase.KERNEL_START)) {
            answer = client.post("/session", body).orThrow().json();
        }
        return new Created(UUID.fromString(answer.path("sessionId").asText()), answer.path("status").asText(),
                answer.path("created").asBoolean());
    }

    /** Creates (enqueue only) and reports whether the manager made a new session or reused one. */
    public Created createOrReuse(SessionRequest request) {
        JsonNode answer = client.post("/session", request.toBody()).orThrow().json();
        return new Created(UUID.fromString(answer.path("sessionId").asText()), answer.path("status").asText(),
                answer.path("created").asBoolean());
    }

    /** The kernel ids of a session's containers, by cluster role and index ("main0", "sub1"). */
    public Map<String, UUID> kernels(UUID id) {
        Map<String, UUID> kernels = new LinkedHashMap<>();
        new AdminGraphQLClient(client).run("ComputeSession", Map.of("id", id.toString())).path("compute_session")
                .path("containers").forEach(c -> kernels.put(c.path("cluster_role").asText() + c.path("cluster_idx").asInt(),
                        UUID.fromString(c.path("kernel_id").asText())));
        return kernels;
    }

    /** How a batch session ended: the manager's result and its main container's exit code. */
    public record BatchOutcome(String result, Integer exitCode) {
    }

    /**
     * The session's result (SUCCESS, FAILURE, UNDEFINED) and its main container's exit code, as
     * the manager records them when the session terminates (status_data.kernel.exit_code).
     */
    public BatchOutcome batchOutcome(UUID id) {
        JsonNode session = new AdminGraphQLClient(client).run("ComputeSession", Map.of("id", id.toString()))
                .path("compute_session");
        Integer exitCode = null;
        for (JsonNode container : session.path("containers")) {
            if (container.path("cluster_role").asText().equals("main") && container.path("status_data").isTextual()) {
                JsonNode data = parse(container.path("status_data").asText());
                JsonNode code = data.path("kernel").path("exit_code");
                exitCode = code.isNumber() ? code.asInt() : null;
            }
        }
        return new BatchOutcome(session.path("result").asText(null), exitCode);
    }

    private static JsonNode parse(String json) {
        try {
            return ApiResult.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the manager's status_data is not JSON: " + json, e);
        }
    }

    /** A session in the session list: its id, name and status. */
    public record ListedSession(UUID id, String name, String status) {
    }

    /**
     * The caller's view of the session list ({@code compute_session_list}) in these statuses
     * (comma-separated names, e.g. {@code RUNNING}); users see their own sessions only.
     */
    public List<ListedSession> list(String statuses) {
        List<ListedSession> sessions = new ArrayList<>();
        int page = 100;
        for (int offset = 0; ; offset += page) {
            JsonNode list = new AdminGraphQLClient(client).run("ComputeSessionList",
                    Map.of("limit", page, "offset", offset, "status", statuses)).path("compute_session_list");
            list.path("items").forEach(s -> sessions.add(new ListedSession(UUID.fromString(s.path("session_id").asText()),
                    s.path("name").asText(), s.path("status").asText())));
            if (offset + page >= list.path("total_count").asInt()) {
                return sessions;
            }
        }
    }

    /** The log of one container of the session. */
    public String logs(UUID id, UUID kernelId) {
        return client.send("GET", "/session/" + id + "/logs", Map.of("kernel_id", kernelId.toString()), null).orThrow()
                .json().path("result").path("logs").asText();
    }

    /** The containers (kernels) of a session: their cluster roles, main first. */
    public List<String> containerRoles(UUID id) {
        List<String> roles = new ArrayList<>();
        new AdminGraphQLClient(client).run("ComputeSession", Map.of("id", id.toString())).path("compute_session")
                .path("containers").forEach(c -> roles.add(c.path("cluster_role").asText()));
        return roles;
    }

    /** The session's dependency tree: the ids of the sessions it directly depends on. */
    public List<UUID> dependencies(UUID id) {
        List<UUID> ids = new ArrayList<>();
        client.get("/session/" + id + "/dependency-graph").orThrow().json().path("depends_on")
                .forEach(d -> ids.add(UUID.fromString(d.path("session_id").asText())));
        return ids;
    }

    /** Names of the files in a directory of the session's main container ({@code .} = /home/work). */
    public List<String> files(UUID id, String path) {
        JsonNode listing = client.send("GET", "/session/" + id + "/files", Map.of("path", path), null).orThrow().json();
        List<String> names = new ArrayList<>();
        try {
            // The manager hands the listing over as a string holding JSON.
            ApiResult.JSON.readTree(listing.path("files").asText("[]")).forEach(f -> names.add(f.path("filename").asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the file listing is not JSON: " + listing, e);
        }
        return names;
    }

    /** The caller's session templates: name → id. */
    public Map<String, String> templates() {
        Map<String, String> byName = new LinkedHashMap<>();
        client.get("/template/session").orThrow().json()
                .forEach(t -> byName.put(t.path("name").asText(), t.path("id").asText()));
        return byName;
    }

    /**
     * Enqueues a session from a template; {@code batchCommand} (may be null) turns it into a
     * batch session running that command.
     */
    public UUID createFromTemplate(String templateId, String name, String batchCommand) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template_id", templateId);
        body.put("session_name", name);
        if (batchCommand != null) {
            body.put("session_type", "batch");
            body.put("startup_command", batchCommand);
        }
        body.put("enqueue_only", true);
        JsonNode answer = client.post("/session/_/create-from-template", body).orThrow().json();
        return UUID.fromString(answer.path("sessionId").asText());
    }

    /** Uploads small files into the session's /home/work. */
    public void upload(UUID id, Map<String, byte[]> files) {
        client.upload("/session/" + id + "/upload", "src", files).orThrow();
    }

    /** The bytes of one file of the session's main container. */
    public byte[] download(UUID id, String file) {
        return client.send("POST", "/session/" + id + "/download_single", Map.of("file", file), null).orThrow().body();
    }

    public void interrupt(UUID id) {
        client.send("POST", "/session/" + id + "/interrupt", Map.of(), null).orThrow();
    }

    /**
     * The session's information. The manager's REST lookup does not find a session once it is
     * CANCELLED or TERMINATED (404); then its status comes from the admin GraphQL
     * {@code compute_session} query, which still shows it (no requested slots there).
     */
    public SessionInfo info(UUID id) {
        ApiResult result = client.get("/session/" + id);
        if (result.status() == 404) {
            JsonNode session = statusOf(id);
            return new SessionInfo(id, session.path("status").asText(), session.path("status_info").asText(),
                    session.path("image").asText(), null);
        }
        JsonNode body = result.orThrow().json();
        return new SessionInfo(id, body.path("status").asText(), body.path("statusInfo").asText(),
                body.path("image").asText(), body.path("requestedSlots").asText());
    }

    /** The session as the admin GraphQL {@code compute_session} query shows it, in any state. */
    private JsonNode statusOf(UUID id) {
        JsonNode session = new AdminGraphQLClient(client).run("SessionStatus", Map.of("id", id.toString()))
                .path("compute_session");
        if (session.isMissingNode() || session.isNull()) {
            // Neither REST nor GraphQL knows it: report the REST refusal.
            client.get("/session/" + id).orThrow();
        }
        return session;
    }

    /** The id of the owner's live session of that name, or null (the release of a blocking create). */
    public UUID infoByNameOrNull(String name) {
        ApiResult result = client.get("/session/" + name);
        if (result.status() == 404) {
            return null;
        }
        // The info document has no id; the dependency graph of the same session names it.
        JsonNode graph = client.get("/session/" + name + "/dependency-graph").orThrow().json();
        return UUID.fromString(graph.path("session_id").asText());
    }

    /** Looks a session up by name (the manager resolves names among live sessions only). */
    public SessionInfo infoByName(String name) {
        JsonNode body = client.get("/session/" + name).orThrow().json();
        return new SessionInfo(null, body.path("status").asText(), body.path("statusInfo").asText(),
                body.path("image").asText(), body.path("requestedSlots").asText());
    }

    /**
     * Waits until the session reaches one of {@code statuses}; a terminal status that was not
     * wanted ends the wait early. Driven by the manager's event stream when it offers one (each
     * event for the session triggers a check), with bounded polling as the fallback and safety net.
     * The timeout message names the last status seen.
     */
    public SessionInfo awaitStatus(UUID id, Set<String> statuses, Duration timeout) {
        // Waiting for RUNNING is a kernel start; anything else is waiting for state.
        try (PhaseTimer.Span ignored = client.timer().enter(statuses.contains("RUNNING") ? Phase.KERNEL_START
                : Phase.WAITING)) {
            return awaitStatusUntimed(id, statuses, timeout);
        }
    }

    private SessionInfo awaitStatusUntimed(UUID id, Set<String> statuses, Duration timeout) {
        AtomicReference<SessionInfo> last = new AtomicReference<>();
        Optional<SessionEventStream> stream = SessionEventStream.open(client.endpoint(), client.credentials());
        // With a stream, each check waits for news itself (at most 500 ms); without, Awaitility polls.
        Duration between = stream.isPresent() ? Duration.ofMillis(1) : POLL;
        try {
            Awaitility.await("session " + id + " to become " + statuses).atMost(timeout).pollInterval(between)
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        SessionInfo info = info(id);
                        last.set(info);
                        if (statuses.contains(info.status()) || TERMINAL.contains(info.status())) {
                            return true;
                        }
                        waitForNews(stream, id, Duration.ofMillis(500));
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            SessionInfo seen = last.get();
            throw new AssertionError("session " + id + " did not become " + statuses + " within " + timeout.toSeconds()
                    + " s; last seen " + (seen == null ? "nothing" : seen.status() + " (" + seen.statusInfo() + ")"));
        } finally {
            stream.ifPresent(SessionEventStream::close);
        }
        return last.get();
    }

    /** Blocks until an event about the session arrives, or {@code poll} passes. */
    private static void waitForNews(Optional<SessionEventStream> stream, UUID id, Duration poll)
            throws InterruptedException {
        if (stream.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + poll.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Optional<SessionEventStream.Event> event = stream.get().next(Duration.ofNanos(left));
            if (event.isPresent() && event.get().sessionId().equals(id.toString())) {
                return;
            }
        }
    }

    /** Destroys the session; {@code forced} ends it at once. Returns the manager's stats. */
    public String destroy(UUID id, boolean forced) {
        return destroy(id, forced, false);
    }

    /** Destroys the session and, when {@code recursive}, the sessions that depend on it. */
    public String destroy(UUID id, boolean forced, boolean recursive) {
        JsonNode body = client.send("DELETE", "/session/" + id, Map.of("forced", forced, "recursive", recursive), null)
                .orThrow().json();
        return body.path("stats").path("status").asText(null);
    }

    public void rename(UUID id, String newName) {
        client.post("/session/" + id + "/rename", Map.of("session_name", newName)).orThrow();
    }

    /**
     * The statuses the session went through, with when, in the order they came; from GraphQL once
     * the session has ended (see {@link #info}). The manager keeps them in a jsonb object and answers
     * its keys in jsonb's order (shorter first), so they are put in order here by their times.
     */
    public Map<String, String> statusHistory(UUID id) {
        ApiResult result = client.get("/session/" + id + "/status-history");
        JsonNode statuses = result.status() == 404 ? parse(statusOf(id).path("status_history").asText("{}"))
                : result.orThrow().json();
        List<Map.Entry<String, OffsetDateTime>> timed = new ArrayList<>();
        statuses.fields().forEachRemaining(e -> timed.add(Map.entry(e.getKey(), when(e.getKey(), e.getValue()))));
        timed.sort(Map.Entry.comparingByValue());
        Map<String, String> history = new LinkedHashMap<>();
        timed.forEach(e -> history.put(e.getKey(), statuses.path(e.getKey()).asText()));
        return history;
    }

    private static OffsetDateTime when(String status, JsonNode time) {
        try {
            return OffsetDateTime.parse(time.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("the manager's status history gives " + status + " the time " + time
                    + ", which is not an ISO 8601 time", e);
        }
    }

    public String logs(UUID id) {
        return client.get("/session/" + id + "/logs").orThrow().json().path("result").path("logs").asText();
    }

    /**
     * The main container's log of a session of another keypair, read on its owner's behalf
     * ({@code owner_access_key}, which the manager honours for logs and destroy only).
     */
    public String logsOnBehalfOf(String ownerAccessKey, UUID id) {
        return client.send("GET", "/session/" + id + "/logs", Map.of("owner_access_key", ownerAccessKey), null).orThrow()
                .json().path("result").path("logs").asText();
    }

    /** Force-destroys a session of another keypair on its owner's behalf ({@code owner_access_key}). */
    public String destroyOnBehalfOf(String ownerAccessKey, UUID id) {
        JsonNode body = client.send("DELETE", "/session/" + id, Map.of("forced", true,
                "owner_access_key", ownerAccessKey), null).orThrow().json();
        return body.path("stats").path("status").asText(null);
    }

    /** Runs code in query mode, following {@code continued} with the same run id until it ends. */
    public Run run(UUID id, String code, Duration timeout) {
        return run(id, code, List.of(), timeout);
    }

    /**
     * Runs code, following {@code continued} with the same run id and answering each
     * {@code waiting-input} with the next of {@code answers}, until the run ends.
     */
    public Run run(UUID id, String code, List<String> answers, Duration timeout) {
        try (PhaseTimer.Span ignored = client.timer().enter(Phase.EXECUTION)) {
            return follow(id, execute(id, Map.of("mode", "query", "code", code, "options", Map.of())), answers, timeout);
        }
    }

    /**
     * Opens the WebSocket execute stream ({@code backend.ai run}'s way) to a session named by name
     * or id; a refused upgrade is a {@link ManagerRejection}. Close it when done.
     */
    public ExecuteStream openStream(String sessionNameOrId) {
        return ExecuteStream.open(client.endpoint(), client.credentials(), sessionNameOrId, Duration.ofSeconds(10));
    }

    /**
     * Runs code in query mode over the WebSocket execute stream, answering each
     * {@code waiting-input} with the next of {@code answers}, until the manager closes the stream.
     */
    public ExecuteStream.Outcome streamRun(String sessionNameOrId, String code, List<String> answers, Duration timeout) {
        try (ExecuteStream stream = openStream(sessionNameOrId)) {
            return stream.run("query", code, Map.of(), answers, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while streaming code to session " + sessionNameOrId, e);
        }
    }

    /** Starts code and returns its run id as soon as the manager answers (the run may go on). */
    public String start(UUID id, String code) {
        try (PhaseTimer.Span ignored = client.timer().enter(Phase.EXECUTION)) {
            return execute(id, Map.of("mode", "query", "code", code, "options", Map.of())).path("runId").asText();
        }
    }

    /** Follows a started run to its end. */
    public Run follow(UUID id, String runId, Duration timeout) {
        try (PhaseTimer.Span ignored = client.timer().enter(Phase.EXECUTION)) {
            return follow(id, execute(id, Map.of("mode", "continue", "run_id", runId, "code", "", "options", Map.of())),
                    List.of(), timeout);
        }
    }

    private Run follow(UUID id, JsonNode first, List<String> answers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        java.util.Iterator<String> replies = answers.iterator();
        JsonNode result = first;
        while (result.path("status").asText().equals("continued") || result.path("status").asText().equals("waiting-input")) {
            collect(result, out, err);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the code in session " + id + " was still running after "
                        + timeout.toSeconds() + " s; output so far: " + out);
            }
            String runId = result.path("runId").asText();
            if (result.path("status").asText().equals("waiting-input")) {
                if (!replies.hasNext()) {
                    throw new AssertionError("the code in session " + id + " asked for input nobody gave it");
                }
                result = execute(id, Map.of("mode", "input", "run_id", runId, "code", replies.next(), "options", Map.of()));
            } else {
                result = execute(id, Map.of("mode", "continue", "run_id", runId, "code", "", "options", Map.of()));
            }
        }
        collect(result, out, err);
        JsonNode exit = result.path("exitCode");
        return new Run(result.path("status").asText(), exit.isNumber() ? exit.asInt() : null, out.toString(),
                err.toString());
    }

    private JsonNode execute(UUID id, Map<String, Object> body) {
        return client.post("/session/" + id, body).orThrow().json().path("result");
    }

    private static void collect(JsonNode result, StringBuilder out, StringBuilder err) {
        List<JsonNode> items = new ArrayList<>();
        result.path("console").forEach(items::add);
        for (JsonNode item : items) {
            String type = item.path(0).asText();
            if (type.equals("stdout")) {
                out.append(item.path(1).asText());
            } else if (type.equals("stderr")) {
                err.append(item.path(1).asText());
            }
        }
    }
}
