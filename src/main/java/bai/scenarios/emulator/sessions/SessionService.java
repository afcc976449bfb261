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
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Jsonb;
import bai.scenarios.emulator.state.PythonJson;
import bai.scenarios.emulator.state.PythonRepr;
import bai.scenarios.emulator.state.Records;
import bai.scenarios.emulator.threads.Futures;
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
    private final String templatesLoaded;

    public SessionService(Sessions sessions, Directory directory, JsonNode templates) {
        this(sessions, directory, templates, null);
    }

    /** {@code mounts} decides the virtual folders a session mounts (null: mount requests are refused). */
    public SessionService(Sessions sessions, Directory directory, JsonNode templates, SessionMounts mounts) {
        this.sessions = sessions;
        this.directory = directory;
        this.templates = templates;
        this.mounts = mounts;
        this.templatesLoaded = pydanticDatetime(Instant.now());
    }

    // --- templates -----------------------------------------------------------------------

    /**
     * Every user's active task templates, as {@code GET /template/session} lists them:
     * {@code is_owner} tells the caller's own, {@code domain_name} is the caller's domain (as the
     * manager fills it in), {@code type} is {@code task}, {@code created_at} is when the emulator
     * loaded them (pydantic's JSON datetime, {@code Z} for UTC).
     */
    public List<Map<String, Object>> templatesOf(Caller caller) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (JsonNode template : templates) {
            if (!template.path("is_active").asBoolean(true)
                    || !template.path("type").asText("task").equalsIgnoreCase("task")) {
                continue;
            }
            UUID owner = uuidOrNull(template.path("user_uuid").asText(null));
            UUID groupId = uuidOrNull(template.path("group_id").asText(null));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", template.path("name").asText());
            item.put("id", template.path("id").asText().replace("-", ""));
            item.put("created_at", templatesLoaded);
            item.put("is_owner", caller.userId().equals(owner));
            item.put("user", owner == null ? null : owner.toString());
            item.put("group", groupId == null ? null : groupId.toString());
            item.put("user_email", owner == null ? null
                    : directory.user(owner).map(u -> u.email()).orElse(null));
            item.put("group_name", groupId == null ? null : directory.group(groupId).map(Group::name).orElse(null));
            item.put("domain_name", caller.domainName());
            item.put("type", "task");
            item.put("template", Records.JSON.convertValue(template.path("template"), Map.class));
            items.add(item);
        }
        return items;
    }

    private static UUID uuidOrNull(String text) {
        try {
            return text == null || text.isEmpty() ? null : UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    /** pydantic's JSON form of a UTC datetime: ISO 8601 ending in {@code Z}. */
    private static String pydanticDatetime(Instant instant) {
        String iso = PythonRepr.isoformat(instant);
        return iso.substring(0, iso.length() - "+00:00".length()) + "Z";
    }

    /**
     * Creates a session from any user's active task template (the manager looks it up by id
     * alone): its image, type, resources, environment and project, under the request's overrides.
     * The caller (or the owner she acts for) must be allowed into the template's project.
     */
    public ApiResponse createFromTemplate(Caller caller, JsonNode body) {
        JsonNode templateIdNode = body.path("template_id");
        if ((templateIdNode.isMissingNode() || templateIdNode.isNull()) && !body.hasNonNull("image")) {
            throw Problems.invalidApiParams("Both image and template_id can't be None!");
        }
        String templateId = templateIdNode.asText("").replace("-", "");
        JsonNode template = null;
        for (JsonNode candidate : templates) {
            if (candidate.path("id").asText().replace("-", "").equals(templateId)
                    && candidate.path("is_active").asBoolean(true)) {
                template = candidate;
            }
        }
        if (template == null) {
            throw Problems.taskTemplateNotFound();
        }
        JsonNode spec = template.path("template").path("spec");
        com.fasterxml.jackson.databind.node.ObjectNode merged = Records.JSON.createObjectNode();
        merged.put("image", spec.path("kernel").path("image").asText());
        merged.put("session_type", spec.path("session_type").asText("interactive"));
        merged.put("group", directory.group(UUID.fromString(template.path("group_id").asText())).map(Group::name)
                .orElse("default"));
        merged.put("domain", template.path("domain_name").asText("default"));
        com.fasterxml.jackson.databind.node.ObjectNode config = Records.JSON.createObjectNode();
        if (spec.path("kernel").path("environ").size() > 0) {
            config.set("environ", spec.path("kernel").path("environ"));
        }
        if (spec.path("resources").size() > 0) {
            config.set("resources", spec.path("resources"));
        }
        body.path("config").fields().forEachRemaining(field -> config.set(field.getKey(), field.getValue()));
        merged.set("config", config);
        body.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("template_id") && !field.getKey().equals("config")
                    && !field.getValue().isNull()) {
                merged.set(field.getKey(), field.getValue());
            }
        });
        if (!merged.hasNonNull("session_name")) {
            throw Problems.invalidApiParams("Error while validating template");
        }
        return create(caller, merged);
    }

    /**
     * The manager's session DTOs take any string as a name, but PostgreSQL's text cannot hold a NUL
     * (asyncpg's CharacterNotInRepertoireError, a 500 from the manager): refused as a bad parameter.
     */
    private static void requireStorableName(String name, String model) {
        if (name.indexOf('\0') >= 0) {
            throw Problems.invalidApiParameters("1 validation error for " + model + "\nsession_name\n"
                    + "  Value error, a session name cannot contain a NUL character");
        }
    }

    // --- create --------------------------------------------------------------------------

    public ApiResponse create(Caller caller, JsonNode body) {
        String name = text(body, "session_name", "name", "clientSessionToken");
        String imageRef = text(body, "image", "lang");
        if (name == null || imageRef == null) {
            throw Problems.invalidApiParameters("1 validation error for CreateFromParamsRequest\n"
                    + (name == null ? "session_name" : "image") + "\n  Field required");
        }
        if (name.equals("from-template")) {
            throw Problems.invalidApiParams("Requested session ID " + name + " is reserved word");
        }
        requireStorableName(name, "CreateFromParamsRequest");
        String type = orDefault(text(body, "session_type", "type", "sessionType"), "interactive");
        if (!TYPES.contains(type)) {
            throw Problems.invalidApiParameters("1 validation error for CreateFromParamsRequest\nsession_type\n"
                    + "  Input should be 'interactive', 'batch', 'inference' or 'system'");
        }
        String domainName = orDefault(text(body, "domain", "domainName", "domain_name"), caller.domainName());
        String groupName = orDefault(text(body, "group", "groupName", "group_name"), "default");
        int clusterSize = body.path("cluster_size").asInt(body.path("clusterSize").asInt(1));
        String clusterMode = orDefault(text(body, "cluster_mode", "clusterMode"), "single-node");
        if (clusterSize < 1) {
            throw Problems.invalidApiParameters("1 validation error for CreateFromParamsRequest\ncluster_size\n"
                    + "  Input should be greater than or equal to 1");
        }
        if (!clusterMode.equals("single-node") && !clusterMode.equals("multi-node")) {
            throw Problems.invalidApiParameters("1 validation error for CreateFromParamsRequest\ncluster_mode\n"
                    + "  Input should be 'single-node' or 'multi-node'");
        }
        boolean enqueueOnly = body.path("enqueue_only").asBoolean(body.path("enqueueOnly").asBoolean(false));
        int maxWait = body.path("max_wait_seconds").asInt(body.path("maxWaitSeconds").asInt(0));
        boolean reuse = body.path("reuse").asBoolean(body.path("reuseIfExists").asBoolean(true));
        String startupCommand = text(body, "startup_command", "startupCommand");
        String bootstrapScript = text(body, "bootstrap_script", "bootstrapScript");
        JsonNode timeoutNode = body.hasNonNull("batch_timeout") ? body.get("batch_timeout") : body.get("batchTimeout");
        // The handler turns a falsy batch_timeout (null or 0) into "no timeout".
        Long batchTimeout = timeoutNode == null || timeoutNode.isNull() || timeoutNode.asLong() == 0 ? null
                : Long.valueOf(timeoutNode.asLong());
        JsonNode config = body.path("config");

        // owner_access_key is honoured here: an admin may create a session for another keypair.
        Owner owner = delegate(caller, text(body, "owner_access_key"));
        Map<String, String> environ = new LinkedHashMap<>();
        config.path("environ").fields().forEachRemaining(e -> environ.put(e.getKey(), e.getValue().asText()));

        // Every check against the registry and the directory, and the enqueue, happen under the one
        // state lock: a project purged concurrently either refuses the purge or refuses this create.
        Created created = sessions.locked(() -> {
            // The manager resolves folder names in its request handler, before anything else, for the
            // session's owner (the caller, or the keypair an admin acts for).
            SessionMounts.Request mountRequest = mountRequest(config, owner.userId());
            Group group = projectFor(owner, domainName, groupName);
            Image image = Images.find(imageRef)
                    .orElseThrow(() -> Problems.imageNotFound("Unknown image: " + imageRef));
            var live = sessions.liveByName(owner.accessKey(), name);
            if (live.isPresent()) {
                ComputeSession existing = live.get();
                if (reuse && existing.image.equals(image)) {
                    return new Created(existing, false);
                }
                throw Problems.sessionAlreadyExists(existing.id.toString());
            }
            if (type.equals("batch") && (startupCommand == null || startupCommand.isBlank())) {
                throw Problems.invalidApiParams("Batch sessions must have a non-empty startup command.");
            }
            if (batchTimeout != null && !type.equals("batch")) {
                throw Problems.invalidApiParams("Parameter batch_timeout should be used only for batch sessions");
            }
            Slots slots = slots(image, config.path("resources"));
            KeypairResourcePolicy policy = policyOf(owner.accessKey());
            if (policy != null && policy.maxContainersPerSession() > 0
                    && clusterSize > policy.maxContainersPerSession()) {
                throw Problems.quotaExceeded("Session requests " + clusterSize + " kernels, exceeding the keypair limit of "
                        + policy.maxContainersPerSession() + " containers per session.");
            }
            List<UUID> dependencies = new ArrayList<>();
            for (JsonNode dependency : body.path("dependencies")) {
                dependencies.add(resolve(owner.accessKey(), dependency.asText(), true).id);
            }
            String ownerEmail = directory.user(owner.userId()).map(UserAccount::email).orElse(caller.email());
            List<SessionMounts.Mount> sessionMounts = mounts == null ? List.of() : mounts.prepare(mountRequest,
                    owner.userId(), ownerEmail, owner.domainName(),
                    directory.keypair(owner.accessKey()).map(Keypair::resourcePolicy).orElse(null), group.id());
            ComputeSession session = new ComputeSession(name, owner.accessKey(), owner.userId(), domainName, group.id(),
                    type, image, clusterSize, clusterMode, slots.cpu(), slots.mem(), startupCommand, bootstrapScript,
                    batchTimeout, dependencies, environ);
            session.mounts = List.copyOf(sessionMounts);
            checkPendingQueue(policy, owner.userId(), session);
            UUID groupId = group.id();
            sessions.enqueue(session, () -> limitsOf(owner.accessKey(), groupId, domainName));
            return new Created(session, true);
        });
        if (!created.fresh()) {
            return ApiResponse.json(201, reusedAnswer(created.session()));
        }
        ComputeSession session = created.session();
        if (enqueueOnly) {
            return ApiResponse.json(201, createdAnswer(session));
        }
        // The manager's create blocks until the session runs (or max_wait_seconds pass); the
        // emulator answers later without holding a request worker meanwhile.
        return ApiResponse.later(sessions.whenRunning(session, Duration.ofSeconds(Math.max(maxWait, 0)))
                .thenApply(status -> {
                    if (status.equals("CANCELLED")) {
                        throw Problems.sessionNotFound("Session terminated during scheduling");
                    }
                    Map<String, Object> answer = createdAnswer(session);
                    answer.put("status", status);
                    if (status.equals("RUNNING")) {
                        answer.put("servicePorts", sessions.locked(() -> createdServicePorts(session)));
                    }
                    return ApiResponse.json(201, answer);
                }));
    }

    /** Who a call acts for: the keypair, its user, her role and domain. */
    private record Owner(String accessKey, UUID userId, String role, String domainName, boolean delegated) {
    }

    /**
     * The owner a call acts for, as the manager's {@code resolve_access_key_scope}: the caller
     * herself, or, when {@code ownerAccessKey} names another keypair, its owner, if the caller's role
     * allows it (superadmins anyone, domain admins the non-superadmins of their domain).
     */
    private Owner delegate(Caller caller, String ownerAccessKey) {
        if (ownerAccessKey == null || ownerAccessKey.equals(caller.accessKey())) {
            return new Owner(caller.accessKey(), caller.userId(), caller.role(), caller.domainName(), false);
        }
        UserAccount target = directory.keypair(ownerAccessKey).flatMap(k -> directory.user(k.userId()))
                .orElseThrow(() -> Problems.invalidApiParams("Unknown owner access key"));
        switch (caller.role()) {
            case "superadmin" -> {
                // anyone
            }
            case "admin" -> {
                if (!caller.domainName().equals(target.domainName())) {
                    throw Problems.genericForbidden(
                            "Domain-admins can perform operations on behalf of other users in the same domain only.");
                }
                if (target.role().equals("superadmin")) {
                    throw Problems.genericForbidden("Domain-admins cannot perform operations on behalf of super-admins.");
                }
            }
            default -> throw Problems.genericForbidden("Only admins can perform operations on behalf of other users.");
        }
        return new Owner(ownerAccessKey, target.uuid(), target.role(), target.domainName(), true);
    }

    /**
     * The project a session is created in, as the manager's {@code query_userinfo} resolves it
     * (under the state lock): the project must exist in the requested domain; one's own session
     * needs membership whatever one's role; for another owner, her role decides (superadmins any
     * active project of the domain, domain admins any of their own domain, users their own).
     */
    private Group projectFor(Owner owner, String domainName, String groupName) {
        if (directory.groups(g -> g.domainName().equals(domainName) && g.name().equals(groupName)).isEmpty()) {
            throw Problems.entityNotFound("No ProjectRow matches the given key");
        }
        if (directory.domain(owner.domainName()).filter(d -> d.isActive()).isEmpty()) {
            throw Problems.invalidApiParams("Invalid or inactive domain: " + owner.domainName());
        }
        String path = owner.delegated() ? owner.role() : "user";
        java.util.function.Predicate<Group> found = g -> g.name().equals(groupName) && g.isActive();
        List<Group> candidates;
        if (path.equals("superadmin")) {
            candidates = directory.groups(g -> g.domainName().equals(domainName) && found.test(g));
        } else if (path.equals("admin")) {
            if (!domainName.equals(owner.domainName())) {
                throw Problems.invalidApiParams("You can only set the domain to the owner's domain.");
            }
            candidates = directory.groups(g -> g.domainName().equals(owner.domainName()) && found.test(g));
        } else {
            if (!domainName.equals(owner.domainName())) {
                throw Problems.invalidApiParams("You can only set the domain to your domain.");
            }
            candidates = directory.groupsOf(owner.userId()).stream()
                    .filter(g -> g.domainName().equals(owner.domainName()) && found.test(g)).toList();
        }
        return candidates.stream().findFirst().orElseThrow(() -> Problems.invalidApiParams("Invalid group ("
                + groupName + "): the group does not exist, is inactive, or the user is not a member."));
    }

    private record Created(ComputeSession session, boolean fresh) {
    }

    /** The session's mount request ({@code config.mounts}, {@code mount_map}, {@code mount_ids}, ...), normalised. */
    private SessionMounts.Request mountRequest(JsonNode config, UUID ownerId) {
        if (mounts == null) {
            boolean asked = config.hasNonNull("mounts") || config.hasNonNull("mount_map") || config.hasNonNull("mount_ids")
                    || config.hasNonNull("mount_id_map");
            if (asked) {
                throw Problems.invalidApiParams("This emulator has no virtual folders to mount.");
            }
            return new SessionMounts.Request(List.of(), Map.of(), Map.of(), Map.of());
        }
        return mounts.normalize(config, ownerId);
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

    /** A new session's answer: PENDING, no service ports yet. */
    private Map<String, Object> createdAnswer(ComputeSession session) {
        return sessions.locked(() -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sessionId", session.id.toString());
            answer.put("sessionName", session.name);
            answer.put("status", session.status);
            answer.put("servicePorts", new ArrayList<>());
            answer.put("created", true);
            return answer;
        });
    }

    /**
     * A reused session's answer: its main kernel's service ports as stored (null before it
     * started), also under the deprecated {@code service_ports} key.
     */
    private Map<String, Object> reusedAnswer(ComputeSession session) {
        return sessions.locked(() -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sessionId", session.id.toString());
            answer.put("sessionName", session.name);
            answer.put("status", session.status);
            answer.put("service_ports", session.main().servicePorts);
            answer.put("servicePorts", session.main().servicePorts);
            answer.put("created", false);
            return answer;
        });
    }

    /** A create that waited for RUNNING lists the main kernel's ports as name, protocol and container ports. */
    private static List<Map<String, Object>> createdServicePorts(ComputeSession session) {
        List<Map<String, Object>> ports = new ArrayList<>();
        if (session.main().servicePorts != null) {
            for (Map<String, Object> port : session.main().servicePorts) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", port.get("name"));
                item.put("protocol", port.get("protocol"));
                item.put("ports", port.get("container_ports"));
                ports.add(item);
            }
        }
        return ports;
    }

    /**
     * The manager's enqueue-time {@code PendingSessionCountLimitRule} and
     * {@code PendingSessionResourceLimitRule}: the owner's PENDING queue may hold at most
     * {@code max_pending_session_count} sessions and {@code max_pending_session_resource_slots}
     * (only the slots the policy lists). Under the state lock.
     */
    private void checkPendingQueue(KeypairResourcePolicy policy, UUID userId, ComputeSession session) {
        if (policy == null) {
            return;
        }
        List<ComputeSession> pending = sessions.all().stream()
                .filter(s -> s.userId.equals(userId) && s.status.equals("PENDING")).toList();
        Integer maxCount = policy.maxPendingSessionCount();
        if (maxCount != null && maxCount > 0 && pending.size() + 1 > maxCount) {
            throw Problems.quotaExceeded("You already have " + pending.size() + " pending sessions, which exceeds the"
                    + " pending-session limit of " + maxCount + ".");
        }
        Map<String, java.math.BigDecimal> limit = slotMap(policy.maxPendingSessionResourceSlots());
        if (limit.isEmpty()) {
            return;
        }
        Map<String, java.math.BigDecimal> requested = SchedulingRules.slotsOf(session);
        List<String> totals = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (Map.Entry<String, java.math.BigDecimal> capped : limit.entrySet()) {
            java.math.BigDecimal total = requested.getOrDefault(capped.getKey(), java.math.BigDecimal.ZERO);
            for (ComputeSession waiting : pending) {
                total = total.add(SchedulingRules.slotsOf(waiting).getOrDefault(capped.getKey(), java.math.BigDecimal.ZERO));
            }
            if (total.compareTo(capped.getValue()) > 0) {
                totals.add(capped.getKey() + "=" + total.toPlainString());
                limits.add(capped.getKey() + "=" + capped.getValue().toPlainString());
            }
        }
        if (!totals.isEmpty()) {
            throw Problems.quotaExceeded("Your pending sessions would occupy " + String.join(", ", totals)
                    + ", which exceeds the pending-session resource limit of " + String.join(", ", limits) + ".");
        }
    }

    /** What the scheduler holds the owner's sessions to now (read on every pass, outside any request). */
    private Limits limitsOf(String accessKey, UUID groupId, String domainName) {
        KeypairResourcePolicy policy = policyOf(accessKey);
        Map<String, java.math.BigDecimal> project = directory.group(groupId)
                .map(g -> slotMap(g.totalResourceSlots())).orElse(Map.of());
        Map<String, java.math.BigDecimal> domain = directory.domain(domainName)
                .map(d -> slotMap(d.totalResourceSlots())).orElse(Map.of());
        if (policy == null) {
            return new Limits(0, Map.of(), project, domain, 0, 0);
        }
        return new Limits(policy.maxConcurrentSessions(), slotMap(policy.totalResourceSlots()), project, domain,
                policy.idleTimeout(), policy.maxSessionLifetime());
    }

    /**
     * A slot map as the manager stores it ({@code {"cpu": "4", "mem": "8589934592"}}; a binary
     * size such as {@code "8g"} is read as bytes); slots it cannot read are left uncapped.
     */
    static Map<String, java.math.BigDecimal> slotMap(JsonNode slots) {
        Map<String, java.math.BigDecimal> map = new LinkedHashMap<>();
        if (slots == null || !slots.isObject()) {
            return map;
        }
        slots.fields().forEachRemaining(e -> {
            java.math.BigDecimal amount = amount(e.getValue().asText(""));
            if (amount != null) {
                map.put(e.getKey(), amount);
            }
        });
        return map;
    }

    private static java.math.BigDecimal amount(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.isEmpty() || t.equals("infinity")) {
            return null;
        }
        int shift = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        try {
            java.math.BigDecimal number = new java.math.BigDecimal(shift == 0 ? t : t.substring(0, t.length() - 1));
            return number.multiply(new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(shift)));
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    private KeypairResourcePolicy policyOf(String accessKey) {
        return directory.keypair(accessKey).map(Keypair::resourcePolicy).flatMap(directory::keypairPolicy).orElse(null);
    }

    // --- lookups -------------------------------------------------------------------------

    /** The manager's "dead" sessions: its lookups skip them unless a handler allows stale ones. */
    private static final Set<String> DEAD = Set.of("CANCELLED", "TERMINATED");

    /**
     * As the manager's handlers and {@code get_session_validated}: a UUID names a session of the
     * access key; a name is first resolved among the live sessions of the key's user (any of her
     * keypairs: none is {@code 404 entity-not-found}), then looked up among the key's own. A session
     * that is CANCELLED or TERMINATED is not found (404) unless the handler allows stale sessions
     * (container logs, destroy, dependency lookups).
     */
    private ComputeSession resolve(String accessKey, String idOrName, boolean allowStale) {
        UUID id = null;
        try {
            id = UUID.fromString(idOrName);
        } catch (IllegalArgumentException notAUuid) {
            // looked up by name below
        }
        java.util.Optional<ComputeSession> found;
        if (id != null) {
            UUID wanted = id;
            found = sessions.byId(wanted).filter(s -> s.ownerAccessKey.equals(accessKey));
        } else {
            UUID userId = directory.keypair(accessKey).map(Keypair::userId).orElse(null);
            if (sessions.liveOfUserByName(userId, idOrName).isEmpty()) {
                throw Problems.entityNotFound("No SessionRow matches the given key");
            }
            found = sessions.liveByName(accessKey, idOrName);
        }
        return found.filter(s -> allowStale || !DEAD.contains(sessions.locked(() -> s.status)))
                .orElseThrow(() -> Problems.sessionNotFound("Session (id=" + idOrName + ") does not exist."));
    }

    private ComputeSession resolve(String accessKey, String idOrName) {
        return resolve(accessKey, idOrName, false);
    }

    /** {@code GET /session/{id}}: always the caller's own session (the handler passes no owner key). */
    public ApiResponse info(Caller caller, String idOrName) {
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        return ApiResponse.ok(sessions.locked(() -> infoOf(session)));
    }

    /**
     * The manager's legacy session info: slot maps and the environment are {@code str()} of Python
     * dicts ({@code {'cpu': Decimal('1'), …}}), {@code occupiedSlots} is the main kernel's,
     * timestamps are {@code isoformat()} ({@code +00:00}).
     */
    private Map<String, Object> infoOf(ComputeSession s) {
        Map<String, Object> info = new LinkedHashMap<>();
        boolean occupying = s.agent != null && !s.isTerminal();
        String requested = PythonRepr.slots(slotMap(s.totalCpu(), s.totalMem()));
        info.put("age", Duration.between(s.created, Instant.now()).toMillis());
        info.put("domainName", s.domainName);
        info.put("groupId", s.groupId.toString());
        info.put("userId", s.userId.toString());
        info.put("lang", s.image.reference());
        info.put("image", s.image.reference());
        info.put("architecture", s.image.architecture());
        info.put("registry", s.image.registry());
        info.put("tag", "");
        info.put("containerId", null);
        info.put("occupiedSlots", occupying ? PythonRepr.slots(slotMap(s.cpu, s.mem)) : "{}");
        info.put("occupyingSlots", occupying ? requested : "{}");
        info.put("requestedSlots", requested);
        info.put("occupiedShares", "{}");
        info.put("environ", PythonRepr.stringMap(s.environ));
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

    private static Map<String, BigDecimal> slotMap(BigDecimal cpu, BigInteger mem) {
        Map<String, BigDecimal> slots = new LinkedHashMap<>();
        slots.put("cpu", cpu);
        slots.put("mem", new BigDecimal(mem));
        return slots;
    }

    /**
     * The owner key is checked (a plain user naming another keypair is refused), but the manager
     * then looks the session up under the caller's own key: the answer is about her own session.
     */
    public ApiResponse statusHistory(Caller caller, String idOrName, String ownerAccessKey) {
        delegate(caller, ownerAccessKey);
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        // The manager answers its jsonb column as it is: keys in jsonb's order, not the statuses' order.
        return ApiResponse.ok(sessions.locked(() -> Jsonb.ordered(session.history)));
    }

    public ApiResponse dependencyGraph(Caller caller, String idOrName) {
        ComputeSession session = resolve(caller.accessKey(), idOrName, true);
        return ApiResponse.ok(sessions.dependencyGraph(session));
    }

    public ApiResponse destroy(Caller caller, String idOrName, String ownerAccessKey, boolean forced, boolean recursive) {
        String owner = delegate(caller, ownerAccessKey).accessKey();
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
        requireStorableName(newName, "RenameSessionRequest");
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
        ComputeSession session = resolve(delegate(caller, ownerAccessKey).accessKey(), idOrName, true);
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
            // The agent's message names the path as the kernel sees it, never the host's directory.
            return ApiResponse.ok(Map.of("files", "[]", "errors", "cannot list " + path + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                    : e instanceof java.nio.file.NotDirectoryException ? "Not a directory" : "I/O error"),
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
        List<java.nio.file.Path> targets = new ArrayList<>();
        for (var file : files) {
            String filename = file.filename();
            if (filename.startsWith("/") && !(filename + "/").startsWith("/home/work/")) {
                // The agent joins an absolute name as Python does (work_dir / "/etc/x" is /etc/x) and refuses it.
                throw Problems.invalidApiParams("Not allowed to upload files outside /home/work");
            }
            for (String segment : filename.split("/")) {
                if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                    // OSError(ENAMETOOLONG) in the agent, before anything is written.
                    throw Problems.invalidApiParams("File name too long: "
                            + bai.scenarios.emulator.http.LogText.escape(segment.substring(0, 32)) + "…");
                }
            }
            targets.add(inWorkdir(session, filename));
        }
        for (int i = 0; i < files.size(); i++) {
            java.nio.file.Path target = targets.get(i);
            try {
                java.nio.file.Files.createDirectories(target.getParent());
                java.nio.file.Files.write(target, files.get(i).content());
            } catch (java.io.IOException e) {
                throw Problems.invalidApiParams("Cannot write the uploaded file "
                        + bai.scenarios.emulator.http.LogText.escape(files.get(i).filename()));
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

    /**
     * {@code POST …/download?files=…}: each file (or folder) as the tar archive the agent makes of
     * it, one {@code multipart/mixed} part each; five at most. An agent-side failure (outside
     * /home/work, missing, over 1 MiB) is the manager's 500 with the agent's exception.
     */
    public ApiResponse download(Caller caller, String idOrName, List<String> files) {
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        if (files.size() > 5) {
            throw Problems.vfolderBadRequest("Too many files (maximum 5 files allowed)");
        }
        java.nio.file.Path workdir = sessions.locked(() -> {
            if (!session.status.equals("RUNNING")) {
                throw Problems.sessionInvalidState("The session is " + session.status + ", not RUNNING.");
            }
            return session.main().workdir;
        });
        String boundary = UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (String file : files) {
            byte[] tar = TarArchive.of(workdir, file);
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Encoding: identity\r\nContent-Length: " + tar.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            body.writeBytes(tar);
            body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new ApiResponse(200, "multipart/mixed; boundary=" + boundary, body.toByteArray(), new LinkedHashMap<>());
    }

    /**
     * {@code GET …/direct-access-info}: SSH/SFTP access, which only system sessions offer; for the
     * others an empty object, as the manager answers.
     */
    public ApiResponse directAccessInfo(Caller caller, String idOrName) {
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        return ApiResponse.ok(sessions.locked(() -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            if (!session.type.equals("system")) {
                return answer;
            }
            Kernel main = session.main();
            if (session.agent == null) {
                throw Problems.kernelNotReady("Kernel of the session has no agent info yet (kernel: " + main.id
                        + ", kernel status: " + session.status + ")");
            }
            if (main.servicePorts == null) {
                throw Problems.kernelNotReady("Kernel of the session has no service ports yet (kernel: " + main.id
                        + ", kernel status: " + session.status + ")");
            }
            Object sshd = null;
            Object sftpd = null;
            for (Map<String, Object> port : main.servicePorts) {
                if (port.get("name").equals("sshd")) {
                    sshd = port.get("host_ports");
                } else if (port.get("name").equals("sftpd")) {
                    sftpd = port.get("host_ports");
                }
            }
            answer.put("kernel_role", "SYSTEM");
            answer.put("session_type", "SYSTEM");
            answer.put("public_host", "127.0.0.1");
            answer.put("sshd_ports", sftpd != null ? sftpd : sshd);
            return answer;
        }));
    }

    /**
     * {@code GET /session/_/logs?kernel_id=}: a batch task's log, which the manager streams from the
     * caller's {@code .logs} folder. This emulator keeps no folders, so, as for a user without that
     * folder, the answer is the manager's {@code 404} for the missing {@code .logs} folder.
     */
    public ApiResponse taskLogs(Caller caller, String kernelId) {
        try {
            UUID.fromString(kernelId == null ? "" : kernelId);
        } catch (IllegalArgumentException notAUuid) {
            throw Problems.invalidApiParameters("1 validation error for GetTaskLogsRequest\nkernel_id\n"
                    + (kernelId == null ? "  Field required" : "  Input should be a valid UUID"));
        }
        throw Problems.vfolderNotFound(Map.of("vfolder_name", ".logs"));
    }

    /** Whether {@code text} holds a C0 control character or DEL (NUL included). */
    static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A path inside the main kernel's working directory; escapes are refused. */
    private java.nio.file.Path inWorkdir(ComputeSession session, String path) {
        java.nio.file.Path workdir = sessions.locked(() -> {
            if (!session.status.equals("RUNNING")) {
                throw Problems.sessionInvalidState("The session is " + session.status + ", not RUNNING.");
            }
            return session.main().workdir;
        });
        if (hasControlCharacter(path)) {
            // Python's os functions refuse these ("embedded null byte"); the host path is never shown.
            throw Problems.invalidApiParams("The path contains a control character: "
                    + bai.scenarios.emulator.http.LogText.escape(path));
        }
        String relative = path.startsWith("/home/work") ? path.substring("/home/work".length()) : path;
        java.nio.file.Path resolved;
        try {
            resolved = workdir.resolve(relative.replaceFirst("^/+", "")).normalize();
        } catch (java.nio.file.InvalidPathException unusable) {
            throw Problems.invalidApiParams("Invalid path: " + bai.scenarios.emulator.http.LogText.escape(path));
        }
        if (!resolved.startsWith(workdir)) {
            throw Problems.invalidApiParams("The path must stay inside /home/work: " + path);
        }
        return resolved;
    }

    public ApiResponse interrupt(Caller caller, String idOrName) {
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        PythonKernel python = sessions.locked(() -> session.main().python);
        if (python != null) {
            python.interrupt();
        }
        return ApiResponse.empty(204);
    }

    // --- execute -------------------------------------------------------------------------

    public ApiResponse execute(Caller caller, String idOrName, JsonNode body) {
        ComputeSession session = resolve(caller.accessKey(), idOrName);
        String mode = body.path("mode").isNull() ? null : body.path("mode").asText(null);
        // Only the snake_case key is read; the official client's "runId" is ignored, as by the manager.
        String runId = body.path("run_id").isTextual() ? body.path("run_id").asText() : null;
        if (mode == null) {
            throw Problems.invalidSessionData("runId or mode is missing");
        }
        if (!Set.of("query", "batch", "continue", "input", "complete").contains(mode)) {
            throw Problems.invalidSessionData("mode has an invalid value: " + mode);
        }
        if ((mode.equals("continue") || mode.equals("input")) && runId == null) {
            throw Problems.invalidSessionData("continuation requires explicit run ID");
        }
        PythonKernel python = sessions.locked(() -> {
            if (!session.status.equals("RUNNING") || session.main().python == null) {
                throw Problems.sessionInvalidState("The session is " + session.status + ", not RUNNING.");
            }
            session.numQueries++;
            session.lastAccess = java.time.Instant.now();
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
                        + Futures.cause(failure).getMessage());
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
