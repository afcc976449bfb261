package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.sessions.ComputeSession.Kernel;
import bai.scenarios.emulator.sessions.Images.Image;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.PythonJson;
import bai.scenarios.emulator.state.Records;
import bai.scenarios.emulator.vfolders.SessionMounts;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manager's session handlers: request validation and create-time rules answered
 * synchronously (unknown image 404, below the image minimum 400, too many containers 400
 * quota-exceeded, name clash), everything else left to the {@link Sessions} scheduler.
 */
public final class SessionService {
    private static final Set<String> TYPES = Set.of("interactive", "batch", "inference", "system");
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgtpe]?)(i?b?)\\s*");

    private final Sessions sessions;
    private final Directory directory;
    private final JsonNode templates;
    private final SessionMounts mounts;

    public SessionService(Sessions sessions, Directory directory, JsonNode templates) {
        this(sessions, directory, templates, null);
    }

    /** {@code mounts} decides the virtual folders a session mounts (null: mount requests are refused). */
    public SessionService(Sessions sessions, Directory directory, JsonNode templates, SessionMounts mounts) {
        this.sessions = sessions;
        this.directory = directory;
        this.templates = templates;
        this.mounts = mounts;
    }

    // --- templates -----------------------------------------------------------------------

    /** The caller's own task templates, as {@code GET /template/session} lists them. */
    public List<Map<String, Object>> templatesOf(Caller caller) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (JsonNode template : templates) {
            if (!template.path("user_uuid").asText().equals(caller.userId().toString())
                    || !template.path("is_active").asBoolean(true)) {
                continue;
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", template.path("name").asText());
            item.put("id", template.path("id").asText().replace("-", ""));
            item.put("created_at", null);
            item.put("is_owner", true);
            item.put("user", template.path("user_uuid").asText());
            item.put("group", template.path("group_id").asText());
            item.put("user_email", caller.email());
            item.put("group_name", directory.group(UUID.fromString(template.path("group_id").asText()))
                    .map(Group::name).orElse(null));
            item.put("domain_name", caller.domainName());
            item.put("type", template.path("type").asText());
            item.put("template", Records.JSON.convertValue(template.path("template"), Map.class));
            items.add(item);
        }
        return items;
    }

    /** Creates a session from a template: its image, type and resources, under the request's overrides. */
    public ApiResponse createFromTemplate(Caller caller, JsonNode body) {
        String templateId = body.path("template_id").asText("").replace("-", "");
        JsonNode template = null;
        for (JsonNode candidate : templates) {
            if (candidate.path("id").asText().replace("-", "").equals(templateId)
                    && candidate.path("user_uuid").asText().equals(caller.userId().toString())) {
                template = candidate;
            }
        }
        if (template == null) {
            throw Problems.entityNotFound("Task template not found: " + body.path("template_id").asText());
        }
        JsonNode spec = template.path("template").path("spec");
        com.fasterxml.jackson.databind.node.ObjectNode merged = Records.JSON.createObjectNode();
        merged.put("image", spec.path("kernel").path("image").asText());
        merged.put("session_type", spec.path("session_type").asText("interactive"));
        merged.put("group", directory.group(UUID.fromString(template.path("group_id").asText())).map(Group::name)
                .orElse("default"));
        merged.put("domain", template.path("domain_name").asText("default"));
        merged.set("config", Records.JSON.createObjectNode().set("resources", spec.path("resources")));
        body.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("template_id") && !field.getValue().isNull()) {
                merged.set(field.getKey(), field.getValue());
            }
        });
        if (!merged.hasNonNull("session_name")) {
            throw Problems.invalidApiParams("session_name is required");
        }
        return create(caller, merged);
    }

    // --- create --------------------------------------------------------------------------

    public ApiResponse create(Caller caller, JsonNode body) {
        String name = text(body, "session_name", "name", "clientSessionToken");
        String imageRef = text(body, "image", "lang");
        if (name == null || imageRef == null) {
            throw Problems.invalidApiParameters("1 validation error for CreateFromParamsRequest\n"
                    + (name == null ? "session_name" : "image") + "\n  Field required");
        }
        String type = orDefault(text(body, "session_type", "type", "sessionType"), "interactive");
        if (!TYPES.contains(type)) {
            throw Problems.invalidApiParameters("1 validation error for CreateFromParamsRequest\nsession_type\n"
                    + "  Input should be 'interactive', 'batch', 'inference' or 'system'");
        }
        String domainName = orDefault(text(body, "domain", "domainName", "domain_name"), caller.domainName());
        String groupName = orDefault(text(body, "group", "groupName", "group_name"), "default");
        int clusterSize = body.path("cluster_size").asInt(body.path("clusterSize").asInt(1));
        String clusterMode = orDefault(text(body, "cluster_mode", "clusterMode"), "single-node");
        boolean enqueueOnly = body.path("enqueue_only").asBoolean(body.path("enqueueOnly").asBoolean(false));
        int maxWait = body.path("max_wait_seconds").asInt(body.path("maxWaitSeconds").asInt(0));
        boolean reuse = body.path("reuse").asBoolean(body.path("reuseIfExists").asBoolean(true));
        String startupCommand = text(body, "startup_command", "startupCommand");
        String bootstrapScript = text(body, "bootstrap_script", "bootstrapScript");
        JsonNode timeoutNode = body.hasNonNull("batch_timeout") ? body.get("batch_timeout") : body.get("batchTimeout");
        Long batchTimeout = timeoutNode == null || timeoutNode.isNull() ? null : Long.valueOf(timeoutNode.asLong());
        JsonNode config = body.path("config");

        String owner = caller.accessKey();
        Map<String, String> environ = new LinkedHashMap<>();
        config.path("environ").fields().forEachRemaining(e -> environ.put(e.getKey(), e.getValue().asText()));

        // Every check against the registry and the directory, and the enqueue, happen under the one
        // state lock: a project purged concurrently either refuses the purge or refuses this create.
        Created created = sessions.locked(() -> {
            // The manager resolves folder names in its request handler, before anything else.
            SessionMounts.Request mountRequest = mountRequest(config, caller);
            var live = sessions.liveByName(owner, name);
            if (live.isPresent()) {
                ComputeSession existing = live.get();
                if (reuse && (existing.image.reference().equals(imageRef) || existing.image.aliases().contains(imageRef))) {
                    return new Created(existing, false);
                }
                throw Problems.sessionAlreadyExists(existing.id.toString());
            }
            Image image = Images.find(imageRef)
                    .orElseThrow(() -> Problems.imageNotFound("Unknown image: " + imageRef));
            Group group = directory.groups(g -> g.domainName().equals(domainName) && g.name().equals(groupName)
                            && g.isActive()).stream().findFirst()
                    .orElseThrow(() -> Problems.entityNotFound("Project not found: " + groupName));
            if (type.equals("batch") && (startupCommand == null || startupCommand.isBlank())) {
                throw Problems.invalidApiParams("Batch sessions must have a non-empty startup command.");
            }
            if (batchTimeout != null && !type.equals("batch")) {
                throw Problems.invalidApiParams("Batch timeout can only be set for batch sessions.");
            }
            Slots slots = slots(image, config.path("resources"));
            KeypairResourcePolicy policy = policyOf(owner);
            if (policy != null && policy.maxContainersPerSession() > 0
                    && clusterSize > policy.maxContainersPerSession()) {
                throw Problems.quotaExceeded("Session requests " + clusterSize + " kernels, exceeding the keypair limit of "
                        + policy.maxContainersPerSession() + " containers per session.");
            }
            List<UUID> dependencies = new ArrayList<>();
            for (JsonNode dependency : body.path("dependencies")) {
                dependencies.add(resolve(owner, dependency.asText(), true).id);
            }
            List<SessionMounts.Mount> sessionMounts = mounts == null ? List.of() : mounts.prepare(mountRequest,
                    caller.userId(), caller.email(), caller.domainName(),
                    directory.keypair(owner).map(Keypair::resourcePolicy).orElse(null), group.id());
            ComputeSession session = new ComputeSession(name, owner, caller.userId(), domainName, group.id(), type,
                    image, clusterSize, clusterMode, slots.cpu(), slots.mem(), startupCommand, bootstrapScript,
                    batchTimeout, dependencies, environ);
            session.mounts = List.copyOf(sessionMounts);
            sessions.enqueue(session, () -> {
                KeypairResourcePolicy current = policyOf(owner);
                return current == null ? 0 : current.maxConcurrentSessions();
            });
            return new Created(session, true);
        });
        if (!created.fresh()) {
            return ApiResponse.json(201, createdAnswer(created.session(), false));
        }
        ComputeSession session = created.session();
        if (enqueueOnly) {
            return ApiResponse.json(201, createdAnswer(session, true));
        }
        // The manager's create blocks until the session runs (or max_wait_seconds pass); the
        // emulator answers later without holding a request worker meanwhile.
        return ApiResponse.later(sessions.whenRunning(session, Duration.ofSeconds(Math.max(maxWait, 0)))
                .thenApply(status -> {
                    if (status.equals("CANCELLED")) {
                        throw Problems.sessionNotFound("Session terminated during scheduling");
                    }
                    Map<String, Object> answer = createdAnswer(session, true);
                    answer.put("status", status);
                    return ApiResponse.json(201, answer);
                }));
    }

    private record Created(ComputeSession session, boolean fresh) {
    }

    /** The session's mount request ({@code config.mounts}, {@code mount_map}, {@code mount_ids}, ...), normalised. */
    private SessionMounts.Request mountRequest(JsonNode config, Caller caller) {
        if (mounts == null) {
            boolean asked = config.hasNonNull("mounts") || config.hasNonNull("mount_map") || config.hasNonNull("mount_ids")
                    || config.hasNonNull("mount_id_map");
            if (asked) {
                throw Problems.invalidApiParams("This emulator has no virtual folders to mount.");
            }
            return new SessionMounts.Request(List.of(), Map.of(), Map.of(), Map.of());
        }
        return mounts.normalize(config, caller.userId());
    }

    private record Slots(BigDecimal cpu, BigInteger mem) {
    }

    /** The requested slots: the image's minimum unless asked for more; below the minimum is refused. */
    private static Slots slots(Image image, JsonNode resources) {
        BigDecimal cpu = image.minCpu().equals(BigInteger.ZERO) ? BigDecimal.ONE : new BigDecimal(image.minCpu());
        BigInteger mem = image.minMemBytes();
        var fields = resources.fieldNames();
        while (fields.hasNext()) {
            String slot = fields.next();
            String value = resources.get(slot).asText();
            switch (slot) {
                case "cpu" -> cpu = cpu(value);
                case "mem" -> mem = bytes(value);
                default -> throw Problems.invalidApiParams("Unknown resource slot: " + slot);
            }
        }
        if (mem.compareTo(image.minMemBytes()) < 0) {
            throw Problems.invalidApiParams("Your resource request has resource type(s) below the required minimum"
                    + " value: mem (" + mem + " < " + image.minMemBytes() + ")");
        }
        if (cpu.compareTo(new BigDecimal(image.minCpu())) < 0) {
            throw Problems.invalidApiParams("Your resource request has resource type(s) below the required minimum"
                    + " value: cpu");
        }
        return new Slots(cpu, mem);
    }

    private static BigDecimal cpu(String value) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw Problems.invalidApiParams("Invalid cpu value: " + value);
        }
    }

    private Map<String, Object> createdAnswer(ComputeSession session, boolean created) {
        return sessions.locked(() -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sessionId", session.id.toString());
            answer.put("sessionName", session.name);
            answer.put("status", session.status);
            answer.put("servicePorts", List.of());
            answer.put("created", created);
            return answer;
        });
    }

    private KeypairResourcePolicy policyOf(String accessKey) {
        return directory.keypair(accessKey).map(Keypair::resourcePolicy).flatMap(directory::keypairPolicy).orElse(null);
    }

    // --- lookups -------------------------------------------------------------------------

    /** The owner whose sessions the caller addresses: themself, or another keypair for admins. */
    private String ownerOf(Caller caller, String ownerAccessKey) {
        if (ownerAccessKey == null || ownerAccessKey.equals(caller.accessKey())) {
            return caller.accessKey();
        }
        if (!caller.keypairIsAdmin()) {
            throw Problems.genericForbidden("Only admins can access other users' sessions");
        }
        return ownerAccessKey;
    }

    /** The manager's "dead" sessions: its lookups skip them unless a handler allows stale ones. */
    private static final Set<String> DEAD = Set.of("CANCELLED", "TERMINATED");

    /**
     * As the manager's {@code get_session_validated}: by UUID, else by name among the owner's
     * live sessions; a session that is CANCELLED or TERMINATED is not found (404) unless the
     * handler allows stale sessions (container logs, destroy, dependency lookups).
     */
    private ComputeSession resolve(String owner, String idOrName, boolean allowStale) {
        UUID id = null;
        try {
            id = UUID.fromString(idOrName);
        } catch (IllegalArgumentException notAUuid) {
            // looked up by name below
        }
        UUID wanted = id;
        java.util.Optional<ComputeSession> found = wanted != null
                ? sessions.byId(wanted).filter(s -> s.ownerAccessKey.equals(owner))
                : sessions.liveByName(owner, idOrName);
        return found.filter(s -> allowStale || !DEAD.contains(sessions.locked(() -> s.status)))
                .orElseThrow(() -> Problems.sessionNotFound("Session (id=" + idOrName + ") does not exist."));
    }

    private ComputeSession resolve(String owner, String idOrName) {
        return resolve(owner, idOrName, false);
    }

    public ApiResponse info(Caller caller, String idOrName, String ownerAccessKey) {
        ComputeSession session = resolve(ownerOf(caller, ownerAccessKey), idOrName);
        return ApiResponse.ok(sessions.locked(() -> infoOf(session)));
    }

    private Map<String, Object> infoOf(ComputeSession s) {
        Map<String, Object> info = new LinkedHashMap<>();
        String slots = PythonJson.dumps(Records.JSON.valueToTree(Map.of("cpu", s.totalCpu().toPlainString(),
                "mem", s.totalMem().toString())));
        boolean occupying = s.agent != null && !s.isTerminal();
        info.put("age", Duration.between(OffsetDateTime.parse(s.createdAt).toInstant(), Instant.now()).toMillis());
        info.put("domainName", s.domainName);
        info.put("groupId", s.groupId.toString());
        info.put("userId", s.userId.toString());
        info.put("lang", s.image.reference());
        info.put("image", s.image.reference());
        info.put("architecture", s.image.architecture());
        info.put("registry", s.image.registry());
        info.put("tag", null);
        info.put("containerId", null);
        info.put("occupiedSlots", occupying ? slots : "{}");
        info.put("occupyingSlots", occupying ? slots : "{}");
        info.put("requestedSlots", slots);
        info.put("occupiedShares", "{}");
        info.put("environ", PythonJson.dumps(Records.JSON.valueToTree(s.environ)));
        info.put("resourceOpts", "{}");
        info.put("status", s.status);
        info.put("statusInfo", s.statusInfo == null ? "None" : s.statusInfo);
        info.put("statusData", null);
        info.put("creationTime", s.createdAt);
        info.put("terminationTime", s.terminatedAt);
        info.put("numQueriesExecuted", s.numQueries);
        info.put("lastStat", null);
        info.put("idleChecks", Map.of());
        return info;
    }

    public ApiResponse statusHistory(Caller caller, String idOrName, String ownerAccessKey) {
        ComputeSession session = resolve(ownerOf(caller, ownerAccessKey), idOrName);
        return ApiResponse.ok(sessions.locked(() -> new LinkedHashMap<>(session.history)));
    }

    public ApiResponse dependencyGraph(Caller caller, String idOrName, String ownerAccessKey) {
        ComputeSession session = resolve(ownerOf(caller, ownerAccessKey), idOrName, true);
        return ApiResponse.ok(sessions.dependencyGraph(session));
    }

    public ApiResponse destroy(Caller caller, String idOrName, String ownerAccessKey, boolean forced, boolean recursive) {
        String owner = ownerOf(caller, ownerAccessKey);
        // An id reaches a terminated session too (nothing left to do then); a name only a live one.
        ComputeSession session = resolve(owner, idOrName, true);
        if (recursive) {
            sessions.all().stream().filter(s -> s.dependencies.contains(session.id))
                    .forEach(dependant -> sessions.destroy(dependant, forced));
        }
        String outcome = sessions.destroy(session, forced);
        return ApiResponse.ok(Map.of("stats", outcome == null ? Map.of() : Map.of("status", outcome)));
    }

    /** As the manager: a live session already called {@code newName} first, then the session itself, then its state. */
    public ApiResponse rename(Caller caller, String idOrName, String newName) {
        String owner = caller.accessKey();
        return sessions.locked(() -> {
            if (sessions.liveByName(owner, newName).filter(s -> !DEAD.contains(s.status)).isPresent()) {
                throw Problems.sessionExists("Session with name '" + newName + "' already exists");
            }
            ComputeSession session = resolve(owner, idOrName);
            if (!session.status.equals("RUNNING")) {
                throw Problems.invalidApiParameters("Can't change name of not running session");
            }
            session.name = newName;
            return ApiResponse.empty(204);
        });
    }

    public ApiResponse logs(Caller caller, String idOrName, String ownerAccessKey, String kernelId) {
        ComputeSession session = resolve(ownerOf(caller, ownerAccessKey), idOrName, true);
        String text = sessions.locked(() -> session.kernels.stream()
                .filter(k -> kernelId == null ? k.role.equals("main") : k.id.toString().equals(kernelId))
                .findFirst().map(k -> k.log.toString())
                .orElseThrow(() -> Problems.invalidApiParams("No such kernel in the session: " + kernelId)));
        return ApiResponse.ok(Map.of("result", Map.of("logs", text)));
    }

    /** {@code GET …/files?path=}: the directory listing, as a JSON string, as the agent answers. */
    public ApiResponse listFiles(Caller caller, String idOrName, String path) {
        java.nio.file.Path dir = inWorkdir(resolve(caller.accessKey(), idOrName), path);
        List<Map<String, Object>> entries = new ArrayList<>();
        try (var listing = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path file : listing.sorted().toList()) {
                var attrs = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("mode", (attrs.isDirectory() ? "d" : "-") + "rw-r--r--");
                entry.put("size", attrs.size());
                entry.put("ctime", attrs.creationTime().toMillis() / 1000.0);
                entry.put("mtime", attrs.lastModifiedTime().toMillis() / 1000.0);
                entry.put("atime", attrs.lastAccessTime().toMillis() / 1000.0);
                entry.put("filename", file.getFileName().toString());
                entries.add(entry);
            }
        } catch (java.io.IOException e) {
            return ApiResponse.ok(Map.of("files", "[]", "errors", "cannot list " + path + ": " + e.getMessage(),
                    "abspath", path));
        }
        return ApiResponse.ok(Map.of("files", PythonJson.dumps(Records.JSON.valueToTree(entries)), "errors", "",
                "abspath", path));
    }

    /** {@code POST …/upload}: small files (parts named {@code src}) into /home/work; 20 files, 1 MiB each at most. */
    public ApiResponse upload(Caller caller, String idOrName, List<bai.scenarios.emulator.http.Multipart.Part> parts) {
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        List<bai.scenarios.emulator.http.Multipart.Part> files = parts.stream()
                .filter(p -> p.name().equals("src") && p.filename() != null).toList();
        if (files.size() > 20) {
            throw Problems.invalidApiParams("Too many files");
        }
        for (var file : files) {
            if (file.content().length >= 1024 * 1024) {
                throw Problems.invalidApiParams("Too large file");
            }
        }
        for (var file : files) {
            java.nio.file.Path target = inWorkdir(session, file.filename());
            try {
                java.nio.file.Files.createDirectories(target.getParent());
                java.nio.file.Files.write(target, file.content());
            } catch (java.io.IOException e) {
                throw Problems.internalServerError();
            }
        }
        return ApiResponse.empty(204);
    }

    /** {@code POST …/download_single?file=}: one file's bytes. */
    public ApiResponse downloadSingle(Caller caller, String idOrName, String file) {
        if (file == null || file.isBlank()) {
            throw Problems.invalidApiParameters("1 validation error for DownloadSingleRequest\nfile\n  Field required");
        }
        java.nio.file.Path target = inWorkdir(resolve(caller.accessKey(), idOrName), file);
        try {
            return new ApiResponse(200, "application/octet-stream", java.nio.file.Files.readAllBytes(target),
                    new LinkedHashMap<>(Map.of("Content-Disposition", "attachment; filename=\""
                            + target.getFileName() + "\"")));
        } catch (java.io.IOException e) {
            throw Problems.invalidApiParams("Cannot read " + file + " in the session");
        }
    }

    /** A path inside the main kernel's working directory; escapes are refused. */
    private java.nio.file.Path inWorkdir(ComputeSession session, String path) {
        java.nio.file.Path workdir = sessions.locked(() -> {
            if (!session.status.equals("RUNNING")) {
                throw Problems.sessionInvalidState("The session is " + session.status + ", not RUNNING.");
            }
            return session.main().workdir;
        });
        String relative = path.startsWith("/home/work") ? path.substring("/home/work".length()) : path;
        java.nio.file.Path resolved = workdir.resolve(relative.replaceFirst("^/+", "")).normalize();
        if (!resolved.startsWith(workdir)) {
            throw Problems.invalidApiParams("The path must stay inside /home/work: " + path);
        }
        return resolved;
    }

    public ApiResponse interrupt(Caller caller, String idOrName, String ownerAccessKey) {
        ComputeSession session = resolve(ownerOf(caller, ownerAccessKey), idOrName);
        PythonKernel python = sessions.locked(() -> session.main().python);
        if (python != null) {
            python.interrupt();
        }
        return ApiResponse.empty(204);
    }

    // --- execute -------------------------------------------------------------------------

    public ApiResponse execute(Caller caller, String idOrName, String ownerAccessKey, JsonNode body) {
        ComputeSession session = resolve(ownerOf(caller, ownerAccessKey), idOrName);
        String mode = body.path("mode").asText(null);
        // Only the snake_case key is read; the official client's "runId" is ignored, as by the manager.
        String runId = body.path("run_id").isTextual() ? body.path("run_id").asText() : null;
        if (mode == null || !Set.of("query", "batch", "continue", "input", "complete").contains(mode)) {
            throw Problems.invalidSessionData("Invalid execution mode: " + mode);
        }
        if ((mode.equals("continue") || mode.equals("input")) && runId == null) {
            throw Problems.invalidSessionData("continuation requires run_id");
        }
        PythonKernel python = sessions.locked(() -> {
            if (!session.status.equals("RUNNING") || session.main().python == null) {
                throw Problems.sessionInvalidState("The session is " + session.status + ", not RUNNING.");
            }
            session.numQueries++;
            return session.main().python;
        });
        Duration wait = sessions.timing().continueAfter();
        sessions.requireUnlocked("running code");
        java.util.concurrent.CompletableFuture<PythonKernel.RunResult> result;
        try {
            result = switch (mode) {
                case "query" -> python.query(runId, body.path("code").asText(""), wait);
                case "batch" -> python.query(runId, body.path("options").path("exec").asText(""), wait);
                case "continue" -> python.resume(runId, wait);
                case "input" -> python.input(body.path("code").asText(""), wait);
                default -> java.util.concurrent.CompletableFuture.completedFuture(
                        new PythonKernel.RunResult("finished", runId, 0, List.of(), null));
            };
        } catch (PythonKernel.KernelGone gone) {
            throw Problems.sessionInvalidState("The session's kernel has ended: " + gone.getMessage());
        }
        // Answered when the run has news or the flush timeout passes; no worker waits meanwhile.
        return ApiResponse.later(result.handle((run, failure) -> {
            if (failure != null) {
                throw Problems.sessionInvalidState("The session's kernel has ended: "
                        + KernelHost.unwrap(failure).getMessage());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", run.status());
            answer.put("runId", run.runId());
            answer.put("exitCode", run.exitCode());
            answer.put("options", run.prompt() == null ? null : Map.of("prompt", run.prompt()));
            answer.put("files", List.of());
            answer.put("console", run.console());
            return ApiResponse.ok(Map.of("result", answer));
        }));
    }

    // --- helpers -------------------------------------------------------------------------

    private static String text(JsonNode body, String... keys) {
        for (String key : keys) {
            if (body.path(key).isTextual()) {
                return body.get(key).asText();
            }
        }
        return null;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    static BigInteger bytes(String size) {
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) {
            throw Problems.invalidApiParams("Invalid memory size: " + size);
        }
        int power = "kmgtpe".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power)).toBigInteger();
    }
}
