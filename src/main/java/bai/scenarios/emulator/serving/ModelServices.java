package bai.scenarios.emulator.serving;

import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.serving.ServingEntities.Endpoint;
import bai.scenarios.emulator.serving.ServingEntities.Route;
import bai.scenarios.emulator.sessions.Images;
import bai.scenarios.emulator.sessions.ScriptStarter;
import bai.scenarios.emulator.sessions.SessionService;
import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import bai.scenarios.emulator.state.PythonRepr;
import bai.scenarios.emulator.state.Records;
import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.threads.Futures;
import bai.scenarios.emulator.vfolders.SessionMounts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model serving: the manager's endpoints and routes, the agents' part (a route is an
 * {@code inference} session of the service's owner, mounting the model folder read-only; once it
 * runs, its model service process starts) and the app proxy's (a listener per service).
 *
 * <p>Concurrency: endpoints and routes are guarded by the emulator's one state lock (taken through
 * {@link Sessions#locked}). Decisions happen under it; process starts and stops, proxy listeners,
 * health checks and session creates happen after it is released, on the agents' pool; their
 * outcomes are committed under the lock again (a route that moved on meanwhile gets its late
 * process stopped). Session events arrive on the event dispatcher and are handed to the pool.
 */
public final class ModelServices implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelServices.class.getName());
    private static final Pattern NAME = Pattern.compile("^\\w[\\w-]*\\w$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String MODEL = "NewServiceRequestModel";
    private static final Set<String> ENDED = Set.of("TERMINATED", "CANCELLED", "ERROR");

    /** The manager's MODEL_SERVICE_RUNTIME_PROFILES: variant name to human-readable name. */
    private static final Map<String, String> RUNTIMES = runtimeProfiles();
    private final Sessions sessions;
    private final Directory directory;
    private final SessionService sessionService;
    private final SessionMounts mounts;
    private final Background background;
    private final ScriptStarter starter;
    private final Path script;
    private final AppProxy proxy = new AppProxy();
    private final byte[] tokenSecret = new byte[32];
    /** Guarded by the state lock. */
    private final List<Endpoint> endpoints = new ArrayList<>();
    private volatile boolean closed;
    /** Every process and listener started and not yet stopped, so that close reaches them all. */
    private final Set<ModelProcess> liveProcesses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<AppProxy.Listener> liveListeners = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ModelServices(Sessions sessions, Directory directory, SessionService sessionService, SessionMounts mounts,
                         Background background, ScriptStarter starter, Path scratch) {
        this.sessions = sessions;
        this.directory = directory;
        this.sessionService = sessionService;
        this.mounts = mounts;
        this.background = background;
        this.starter = starter;
        this.script = ModelProcess.install(scratch);
        new SecureRandom().nextBytes(tokenSecret);
        sessions.listen(event -> {
            if (!event.isKernelEvent() && (event.status().equals("RUNNING") || ENDED.contains(event.status()))) {
                later("a route's session changed", () -> sessionChanged(event.sessionId(), event.status(),
                        event.reason()));
            }
        });
    }

    private void later(String what, Runnable task) {
        if (closed) {
            return;
        }
        try {
            background.agents().execute(Background.guarded(what, task));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the emulator is closing
        }
    }

    // --- create --------------------------------------------------------------------------------

    /** {@code POST /services}: validates as the manager, creates the endpoint and starts its replicas. */
    public ApiResponse create(Caller caller, JsonNode body) {
        Endpoint endpoint = validate(caller, body);
        sessions.locked(() -> {
            endpoints.add(endpoint);
            return null;
        });
        later("starting a service's app proxy", () -> startProxy(endpoint));
        reconcile(endpoint);
        return ApiResponse.json(201, sessions.locked(() -> info(endpoint, true)));
    }

    /** {@code POST /services/_/try}: the same validation, then a dry run that creates nothing here. */
    public ApiResponse tryStart(Caller caller, JsonNode body) {
        validate(caller, body);
        return ApiResponse.ok(Map.of("task_id", UUID.randomUUID().toString()));
    }

    private static Map<String, String> runtimeProfiles() {
        Map<String, String> profiles = new LinkedHashMap<>();
        profiles.put("custom", "Custom (Default)");
        profiles.put("vllm", "vLLM");
        profiles.put("nim", "NVIDIA NIM");
        profiles.put("huggingface-tgi", "Huggingface TGI");
        profiles.put("sglang", "SGLang");
        profiles.put("modular-max", "Modular MAX");
        profiles.put("cmd", "Predefined Image Command");
        return profiles;
    }

    private static ApiError invalid(String field, String message) {
        return Problems.invalidApiParameters("1 validation error for " + MODEL + "\n" + field + "\n  " + message);
    }

    private static JsonNode first(JsonNode body, String... names) {
        for (String name : names) {
            if (body.has(name) && !body.get(name).isNull()) {
                return body.get(name);
            }
        }
        return null;
    }

    private static String text(JsonNode body, String... names) {
        JsonNode node = first(body, names);
        return node == null ? null : node.asText();
    }

    private Endpoint validate(Caller caller, JsonNode body) {
        if (!body.isObject()) {
            throw Problems.invalidApiParameters("1 validation error for " + MODEL + "\n  Input should be a valid dictionary");
        }
        JsonNode nameNode = first(body, "name", "clientSessionToken", "service_name");
        if (nameNode == null) {
            throw invalid("name", "Field required");
        }
        String name = nameNode.asText();
        if (name.length() < 4) {
            throw invalid("name", "String should have at least 4 characters");
        }
        if (name.length() > 24) {
            throw invalid("name", "String should have at most 24 characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "String should match pattern '^\\w[\\w-]*\\w$'");
        }
        JsonNode replicasNode = first(body, "desired_session_count", "desiredSessionCount", "replicas");
        if (replicasNode == null) {
            throw invalid("desired_session_count", "Field required");
        }
        if (!replicasNode.canConvertToInt() || !replicasNode.isIntegralNumber() && !replicasNode.asText().matches("-?\\d+")) {
            throw invalid("desired_session_count", "Input should be a valid integer");
        }
        int replicas = replicasNode.asInt();
        JsonNode config = body.get("config");
        if (config == null || config.isNull()) {
            throw invalid("config", "Field required");
        }
        if (!config.isObject()) {
            throw invalid("config", "Input should be a valid dictionary");
        }
        String model = text(config, "model");
        if (model == null) {
            throw invalid("config.model", "Field required");
        }
        String scalingGroup = text(config, "scalingGroup", "scaling_group");
        if (scalingGroup == null) {
            throw invalid("config.scalingGroup", "Field required");
        }
        String subpath = text(config, "vfolderSubpath", "vfolder_subpath");
        if (subpath != null && subpath.isEmpty()) {
            throw invalid("config.vfolderSubpath", "String should have at least 1 character");
        }
        String mountDestination = Optional.ofNullable(text(config, "modelMountDestination", "model_mount_destination"))
                .orElse("/models");
        String runtimeVariant = Optional.ofNullable(text(body, "runtime_variant")).orElse("custom");
        if (!RUNTIMES.containsKey(runtimeVariant)) {
            throw Problems.objectNotFound("runtime variant", null);
        }
        String callbackUrl = text(body, "callbackUrl", "CallbackURL", "callback_url");
        if (callbackUrl != null && !callbackUrl.matches("(?i)^[a-z][a-z0-9+.-]*://.+")) {
            throw invalid("callbackUrl", "Input should be a valid URL, relative URL without a base");
        }
        String imageRef = text(body, "lang", "image");
        String domainName = Optional.ofNullable(text(body, "domain", "domainName", "domain_name")).orElse("default");
        String groupName = Optional.ofNullable(text(body, "group", "groupName", "group_name")).orElse("default");
        String ownerKey = text(body, "owner_access_key");

        return sessions.locked(() -> {
            // The owner (the caller, or the keypair a privileged caller acts for).
            Keypair ownerKeypair;
            if (ownerKey == null || ownerKey.equals(caller.accessKey())) {
                ownerKeypair = directory.keypair(caller.accessKey()).orElseThrow();
            } else {
                ownerKeypair = directory.keypair(ownerKey)
                        .orElseThrow(() -> Problems.invalidApiParams("Unknown owner access key"));
                if (!caller.isSuperadmin() && !caller.role().equals("admin")) {
                    throw Problems.genericForbidden("Only admins can perform operations on behalf of other users.");
                }
            }
            UserAccount owner = directory.user(ownerKeypair.userId()).orElseThrow();
            int limit = directory.userPolicy(owner.resourcePolicy()).map(UserResourcePolicy::maxSessionCountPerModelSession)
                    .orElse(10);
            if (replicas > limit) {
                throw Problems.invalidApiParams("Cannot spawn more than " + limit + " sessions for a single service");
            }
            Group group = (owner.role().equals("superadmin")
                    ? directory.groups(g -> g.domainName().equals(domainName) && g.name().equals(groupName)
                    && g.isActive())
                    : directory.groupsOf(owner.uuid()).stream().filter(g -> g.domainName().equals(domainName)
                    && g.name().equals(groupName) && g.isActive()).toList()).stream().findFirst()
                    .orElseThrow(() -> Problems.invalidApiParams("Invalid group (" + groupName
                            + "): the group does not exist, is inactive, or the user is not a member."));
            if (directory.scalingGroups().stream().noneMatch(s -> s.name().equals(scalingGroup) && s.isActive())) {
                throw Problems.scalingGroupNotFound("Scaling group " + scalingGroup + " not found");
            }
            SessionMounts.ModelFolder folder = mounts.modelFolder(owner.uuid(), owner.email(), owner.role(),
                    owner.domainName(), ownerKeypair.resourcePolicy(), model)
                    .orElseThrow(() -> Problems.vfolderNotFound("Cannot find model folder", null));
            if (!folder.usageMode().equals("model")) {
                throw Problems.invalidApiParams("Selected VFolder is not a model folder");
            }
            if (folder.projectFolder()) {
                throw Problems.invalidApiParams("Cannot use project-type vfolder for model service");
            }
            if (!runtimeVariant.equals("custom") && !runtimeVariant.equals("cmd") && !mountDestination.equals("/models")) {
                throw Problems.invalidApiParams("Model mount destination must be /models for non-custom runtimes");
            }
            if (imageRef != null && Images.find(imageRef).isEmpty()) {
                throw Problems.imageNotFound("Unknown image: " + imageRef);
            }
            boolean nameTaken = endpoints.stream().anyMatch(e -> !e.destroying() && e.name.equals(name)
                    && e.domain.equals(domainName));
            if (nameTaken) {
                throw Problems.invalidApiParams("Cannot create multiple services with same name");
            }
            Endpoint endpoint = new Endpoint();
            endpoint.name = name;
            endpoint.ownerId = owner.uuid();
            endpoint.ownerAccessKey = ownerKeypair.accessKey();
            endpoint.ownerEmail = owner.email();
            endpoint.createdUserId = caller.userId();
            endpoint.createdUserEmail = caller.email();
            endpoint.domain = domainName;
            endpoint.groupId = group.id();
            endpoint.projectName = group.name();
            endpoint.resourceGroup = scalingGroup;
            endpoint.modelId = folder.id();
            endpoint.modelPath = subpath == null ? folder.folderPath() : folder.folderPath().resolve(subpath);
            endpoint.modelDefinitionPath = Optional.ofNullable(text(config, "model_definition_path"))
                    .orElse("model-definition.yaml");
            endpoint.mountDestination = mountDestination;
            endpoint.image = imageRef == null ? Images.ALL.get(0).reference() : imageRef;
            endpoint.runtimeVariant = runtimeVariant;
            endpoint.replicas = replicas;
            endpoint.isPublic = body.path("open_to_public").asBoolean(false);
            endpoint.tag = text(body, "tag");
            endpoint.startupCommand = text(body, "startupCommand", "startup_command");
            endpoint.bootstrapScript = text(body, "bootstrapScript", "bootstrap_script");
            endpoint.callbackUrl = callbackUrl;
            config.path("environ").fields().forEachRemaining(e -> endpoint.environ.put(e.getKey(), e.getValue().asText()));
            endpoint.resources = config.get("resources");
            endpoint.resourceOpts = config.get("resource_opts");
            endpoint.clusterMode = Optional.ofNullable(text(body, "clusterMode", "cluster_mode")).orElse("SINGLE_NODE");
            endpoint.clusterSize = body.path("clusterSize").asInt(body.path("cluster_size").asInt(1));
            endpoint.creator = caller;
            return endpoint;
        });
    }

    // --- lookups and access --------------------------------------------------------------------

    /** The endpoint a call names, as the manager checks it: unknown 404, someone else's 403. Under the lock. */
    private Endpoint owned(Caller caller, String serviceId) {
        UUID id;
        try {
            id = UUID.fromString(serviceId);
        } catch (IllegalArgumentException notAUuid) {
            throw Problems.invalidApiParameters("1 validation error for ServiceIdPathParam\nservice_id\n"
                    + "  Input should be a valid UUID");
        }
        Endpoint endpoint = endpoints.stream().filter(e -> e.id.equals(id) && !e.lifecycle.equals("destroyed"))
                .findFirst().orElseThrow(ModelServices::serviceNotFound);
        if (!mayAccess(caller, endpoint)) {
            throw Problems.endpointAccessForbidden();
        }
        return endpoint;
    }

    private boolean mayAccess(Caller caller, Endpoint endpoint) {
        if (caller.isSuperadmin()) {
            return true;
        }
        if (caller.role().equals("admin")) {
            return caller.domainName().equals(endpoint.domain);
        }
        return caller.userId().equals(endpoint.ownerId);
    }

    static ApiError serviceNotFound() {
        return Problems.modelServiceNotFound();
    }

    private <T> T withEndpoint(Caller caller, String serviceId, java.util.function.Function<Endpoint, T> action) {
        return sessions.locked(() -> action.apply(owned(caller, serviceId)));
    }

    // --- routes of the API ---------------------------------------------------------------------

    /** {@code GET /services}: the caller's own services (a bare array), optionally by name. */
    public List<Map<String, Object>> list(Caller caller, String name) {
        return sessions.locked(() -> endpoints.stream()
                .filter(e -> e.ownerId.equals(caller.userId()) && !e.lifecycle.equals("destroyed"))
                .filter(e -> name == null || e.name.equals(name))
                .map(e -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", e.id.toString());
                    item.put("name", e.name);
                    item.put("replicas", e.replicas);
                    item.put("desired_session_count", e.replicas);
                    item.put("active_route_count", (int) e.activeRoutes());
                    item.put("service_endpoint", e.url);
                    item.put("is_public", e.isPublic);
                    return item;
                }).toList());
    }

    /** {@code POST /services/_/search}. */
    public Map<String, Object> search(Caller caller, JsonNode body) {
        int offset = body.path("offset").asInt(0);
        int limit = body.path("limit").asInt(20);
        if (offset < 0) {
            throw Problems.invalidApiParameters("1 validation error for SearchServicesRequestModel\noffset\n"
                    + "  Input should be greater than or equal to 0");
        }
        if (limit < 1 || limit > 100) {
            throw Problems.invalidApiParameters("1 validation error for SearchServicesRequestModel\nlimit\n  Input should be "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
        }
        JsonNode nameFilter = body.path("filter").path("name");
        return sessions.locked(() -> {
            List<Endpoint> matching = endpoints.stream()
                    .filter(e -> e.ownerId.equals(caller.userId()) && !e.lifecycle.equals("destroyed"))
                    .filter(e -> matches(nameFilter, e.name)).toList();
            List<Map<String, Object>> items = new ArrayList<>();
            for (Endpoint e : matching.stream().skip(offset).limit(limit).toList()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", e.id.toString());
                item.put("name", e.name);
                item.put("desired_session_count", e.replicas);
                item.put("replicas", e.replicas);
                item.put("active_route_count", (int) e.activeRoutes());
                item.put("service_endpoint", e.url);
                item.put("resource_slots", e.resources == null ? Map.of() : Records.JSON.convertValue(e.resources, Map.class));
                item.put("resource_group", e.resourceGroup);
                item.put("open_to_public", e.isPublic);
                items.add(item);
            }
            Map<String, Object> pagination = new LinkedHashMap<>();
            pagination.put("total", matching.size());
            pagination.put("offset", offset);
            pagination.put("limit", limit);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("items", items);
            answer.put("pagination", pagination);
            return answer;
        });
    }

    private static boolean matches(JsonNode filter, String value) {
        if (filter.isMissingNode() || filter.isNull()) {
            return true;
        }
        boolean ci = filter.path("case_insensitive").asBoolean(false);
        String v = ci ? value.toLowerCase() : value;
        java.util.function.Function<String, String> f = s -> ci ? s.toLowerCase() : s;
        if (filter.hasNonNull("equals")) {
            return v.equals(f.apply(filter.get("equals").asText()));
        }
        if (filter.hasNonNull("contains")) {
            return v.contains(f.apply(filter.get("contains").asText()));
        }
        if (filter.hasNonNull("starts_with")) {
            return v.startsWith(f.apply(filter.get("starts_with").asText()));
        }
        if (filter.hasNonNull("ends_with")) {
            return v.endsWith(f.apply(filter.get("ends_with").asText()));
        }
        return true;
    }

    /** {@code GET /services/{id}}. */
    public Map<String, Object> info(Caller caller, String serviceId) {
        return withEndpoint(caller, serviceId, e -> info(e, false));
    }

    private Map<String, Object> info(Endpoint e, boolean justCreated) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("endpoint_id", e.id.toString());
        info.put("model_id", e.modelId.toString());
        info.put("extra_mounts", List.of());
        info.put("name", e.name);
        info.put("model_definition_path", e.modelDefinitionPath);
        info.put("replicas", e.replicas);
        info.put("desired_session_count", e.replicas);
        List<Map<String, Object>> active = new ArrayList<>();
        if (!justCreated) {
            for (Route r : e.routes) {
                if (ServingEntities.ACTIVE_ROUTES.contains(r.status) && r.sessionId != null) {
                    Map<String, Object> route = new LinkedHashMap<>();
                    route.put("route_id", r.id.toString());
                    route.put("session_id", r.sessionId.toString());
                    route.put("traffic_ratio", r.trafficRatio);
                    active.add(route);
                }
            }
        }
        info.put("active_routes", active);
        info.put("service_endpoint", e.url);
        info.put("is_public", e.isPublic);
        info.put("runtime_variant", e.runtimeVariant);
        return info;
    }

    /** {@code DELETE /services/{id}}: destroying now; replicas, sessions and the proxy go in the background. */
    public Map<String, Object> delete(Caller caller, String serviceId) {
        List<Runnable> afterwards = new ArrayList<>();
        withEndpoint(caller, serviceId, e -> {
            e.lifecycle = "destroying";
            for (Route r : e.routes) {
                if (ServingEntities.ACTIVE_ROUTES.contains(r.status)) {
                    afterwards.add(terminate(r, "terminating"));
                }
            }
            afterwards.add(() -> later("finishing a service's removal", () -> maybeDestroyed(e)));
            return null;
        });
        afterwards.forEach(Runnable::run);
        return Map.of("success", true);
    }

    /** {@code POST /services/{id}/scale}. */
    public Map<String, Object> scale(Caller caller, String serviceId, JsonNode body) {
        JsonNode to = body.get("to");
        if (to == null || to.isNull()) {
            throw Problems.invalidApiParameters("1 validation error for ScaleRequestModel\nto\n  Field required");
        }
        if (!to.canConvertToInt() || !(to.isIntegralNumber() || to.asText().matches("-?\\d+"))) {
            throw Problems.invalidApiParameters("1 validation error for ScaleRequestModel\nto\n"
                    + "  Input should be a valid integer");
        }
        int target = to.asInt();
        Map<String, Object> answer = withEndpoint(caller, serviceId, e -> {
            int limit = directory.user(caller.userId()).flatMap(u -> directory.userPolicy(u.resourcePolicy()))
                    .map(UserResourcePolicy::maxSessionCountPerModelSession).orElse(10);
            if (target > limit) {
                throw Problems.invalidApiParams("Cannot spawn more than " + limit + " sessions for a single service");
            }
            if (target < 0) {
                throw Problems.invalidApiParams("Amount of desired session count cannot be a negative number");
            }
            if (e.destroying()) {
                throw serviceNotFound();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("current_route_count", e.routes.size());
            result.put("target_count", target);
            e.replicas = target;
            return result;
        });
        Endpoint endpoint = sessions.locked(() -> owned(caller, serviceId));
        reconcile(endpoint);
        return answer;
    }

    /** {@code PUT /services/{id}/routings/{route_id}}. */
    public Map<String, Object> updateRoute(Caller caller, String serviceId, String routeId, JsonNode body) {
        UUID rid = routeId(routeId);
        JsonNode ratio = body.get("traffic_ratio");
        if (ratio == null || ratio.isNull()) {
            throw Problems.invalidApiParameters("1 validation error for UpdateRouteRequestModel\ntraffic_ratio\n"
                    + "  Field required");
        }
        if (!ratio.isNumber()) {
            throw Problems.invalidApiParameters("1 validation error for UpdateRouteRequestModel\ntraffic_ratio\n"
                    + "  Input should be a valid number");
        }
        if (ratio.asDouble() < 0) {
            throw Problems.invalidApiParameters("1 validation error for UpdateRouteRequestModel\ntraffic_ratio\n"
                    + "  Input should be greater than or equal to 0");
        }
        return withEndpoint(caller, serviceId, e -> {
            Route route = e.routes.stream().filter(r -> r.id.equals(rid)).findFirst()
                    .orElseThrow(ModelServices::serviceNotFound);
            route.trafficRatio = ratio.asDouble();
            return Map.<String, Object>of("success", true);
        });
    }

    /** {@code DELETE /services/{id}/routings/{route_id}}: terminates that replica and lowers the count. */
    public Map<String, Object> deleteRoute(Caller caller, String serviceId, String routeId) {
        UUID rid = routeId(routeId);
        List<Runnable> afterwards = new ArrayList<>();
        withEndpoint(caller, serviceId, e -> {
            Route route = e.routes.stream().filter(r -> r.id.equals(rid)).findFirst()
                    .orElseThrow(ModelServices::routeNotFound);
            if (route.status.equals("provisioning")) {
                throw Problems.invalidApiParams("Cannot remove route in PROVISIONING status");
            }
            if (ServingEntities.ACTIVE_ROUTES.contains(route.status)) {
                afterwards.add(terminate(route, "terminating"));
            }
            e.replicas = Math.max(0, e.replicas - 1);
            return null;
        });
        afterwards.forEach(Runnable::run);
        return Map.of("success", true);
    }

    static ApiError routeNotFound() {
        return Problems.routeNotFound();
    }

    private static UUID routeId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidApiParameters("1 validation error for ServiceRouteIdPathParam\nroute_id\n"
                    + "  Input should be a valid UUID");
        }
    }

    /** {@code GET /services/{id}/errors}: the routes that failed to start, with why. */
    public Map<String, Object> errors(Caller caller, String serviceId) {
        return withEndpoint(caller, serviceId, e -> {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (Route r : e.routes) {
                if (r.status.equals("failed_to_start")) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("session_id", r.sessionId == null ? null : r.sessionId.toString());
                    error.put("error", r.errorData);
                    errors.add(error);
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("errors", errors);
            answer.put("retries", e.retries);
            return answer;
        });
    }

    /** {@code POST /services/{id}/errors/clear}: failed routes go, retries reset, and replicas are retried. */
    public void clearErrors(Caller caller, String serviceId) {
        Endpoint endpoint = withEndpoint(caller, serviceId, e -> {
            e.routes.removeIf(r -> r.status.equals("failed_to_start"));
            e.retries = 0;
            return e;
        });
        reconcile(endpoint);
    }

    /** {@code POST /services/{id}/sync}. */
    public Map<String, Object> sync(Caller caller, String serviceId) {
        Endpoint endpoint = withEndpoint(caller, serviceId, e -> e);
        reconcile(endpoint);
        return Map.of("success", true);
    }

    /** {@code POST /services/{id}/token}: a token the app proxy accepts until it expires. */
    public Map<String, Object> token(Caller caller, String serviceId, JsonNode body) {
        long now = Instant.now().getEpochSecond();
        long expiresAt;
        if (body.hasNonNull("valid_until")) {
            if (!body.get("valid_until").canConvertToLong()) {
                throw Problems.invalidApiParameters("1 validation error for TokenRequestModel\nvalid_until\n"
                        + "  Input should be a valid integer");
            }
            expiresAt = body.get("valid_until").asLong();
        } else if (body.hasNonNull("duration")) {
            Duration duration = duration(body.get("duration"));
            if (duration == null) {
                throw Problems.invalidApiParameters("1 validation error for TokenRequestModel\nduration\n"
                        + "  Value error, invalid time duration");
            }
            expiresAt = now + duration.getSeconds();
        } else {
            throw Problems.invalidApiParameters("1 validation error for TokenRequestModel\n"
                    + "  Value error, Either valid_until or duration must be specified.");
        }
        if (now > expiresAt) {
            throw Problems.invalidApiParameters("1 validation error for TokenRequestModel\n"
                    + "  Value error, The expiration time cannot be in the past.");
        }
        return withEndpoint(caller, serviceId, e -> Map.of("token", Tokens.sign(tokenSecret, Map.of(
                "id", e.id.toString(), "user_uuid", e.ownerId.toString(), "exp", expiresAt))));
    }

    private static final Pattern DURATION = Pattern.compile("^(-?\\d+(?:\\.\\d+)?)([smhdw]?)$");

    /** The manager's TimeDuration: a number of seconds, or a number with s, m, h, d or w. */
    private static Duration duration(JsonNode node) {
        if (node.isNumber()) {
            return Duration.ofMillis((long) (node.asDouble() * 1000));
        }
        Matcher m = DURATION.matcher(node.asText().trim());
        if (!m.matches()) {
            return null;
        }
        double value = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            case "w" -> 604800;
            default -> 1;
        };
        return Duration.ofMillis((long) (value * unit * 1000));
    }

    /** {@code GET /services/_/runtimes}. */
    public Map<String, Object> runtimes() {
        List<Map<String, Object>> runtimes = new ArrayList<>();
        RUNTIMES.forEach((name, readable) -> runtimes.add(Map.of("name", name, "human_readable_name", readable)));
        return Map.of("runtimes", runtimes);
    }

    // --- the app proxy's view ------------------------------------------------------------------

    private AppProxy.Circuit circuit(Endpoint endpoint) {
        return new AppProxy.Circuit() {
            @Override
            public String credentialError(String header) {
                boolean open = sessions.locked(() -> endpoint.isPublic);
                if (open) {
                    return null;
                }
                if (header == null || header.isEmpty()) {
                    return "E20006: Authorization header not provided";
                }
                int space = header.indexOf(' ');
                String type = space < 0 ? header : header.substring(0, space);
                if (!type.equals("BackendAI") && !type.equals("Bearer")) {
                    return "E20007: Unsupported authorization method " + type;
                }
                String token = space < 0 ? "" : header.substring(space + 1);
                Map<String, Object> claims;
                try {
                    claims = Tokens.verify(tokenSecret, token);
                } catch (IllegalArgumentException invalid) {
                    return "E20008: Invalid authorization token (" + invalid.getMessage() + ")";
                }
                if (!endpoint.id.toString().equals(claims.get("id"))) {
                    return "E20009: Authorization token mismatch";
                }
                return null;
            }

            @Override
            public Integer pickReplica() {
                return sessions.locked(() -> {
                    List<Route> healthy = endpoint.routes.stream().filter(r -> r.status.equals("running")
                            && r.health.equals("healthy") && r.process != null && r.trafficRatio > 0).toList();
                    double total = healthy.stream().mapToDouble(r -> r.trafficRatio).sum();
                    if (healthy.isEmpty() || total <= 0) {
                        return null;
                    }
                    double pick = ThreadLocalRandom.current().nextDouble(total);
                    for (Route r : healthy) {
                        pick -= r.trafficRatio;
                        if (pick < 0) {
                            return r.process.port().getNow(null);
                        }
                    }
                    return healthy.get(healthy.size() - 1).process.port().getNow(null);
                });
            }
        };
    }

    private void startProxy(Endpoint endpoint) {
        AppProxy.Listener listener = proxy.start(circuit(endpoint));
        liveListeners.add(listener);
        boolean keep = sessions.locked(() -> {
            if (endpoint.destroying() || closed) {
                return false;
            }
            endpoint.proxy = listener;
            endpoint.url = listener.url();
            return true;
        });
        if (!keep) {
            stopListener(listener);
        }
    }

    // --- the reconciler ------------------------------------------------------------------------

    /** Brings the number of live routes to the replica count: new routes, or the newest ones ended. */
    private void reconcile(Endpoint endpoint) {
        List<Runnable> afterwards = new ArrayList<>();
        sessions.locked(() -> {
            if (endpoint.destroying() || closed) {
                return null;
            }
            long failed = endpoint.routes.stream().filter(r -> r.status.equals("failed_to_start")).count();
            long active = endpoint.activeRoutes();
            long wanted = endpoint.replicas - failed;
            for (long i = active; i < wanted; i++) {
                Route route = new Route(endpoint);
                endpoint.routes.add(route);
                afterwards.add(() -> later("creating a route's session", () -> createSession(route)));
            }
            if (active > Math.max(wanted, 0)) {
                List<Route> live = endpoint.routes.stream()
                        .filter(r -> ServingEntities.ACTIVE_ROUTES.contains(r.status)).toList();
                for (int i = live.size() - 1; i >= Math.max(wanted, 0); i--) {
                    afterwards.add(terminate(live.get(i), "terminating"));
                }
            }
            if (endpoint.lifecycle.equals("pending") && !endpoint.routes.isEmpty()) {
                endpoint.lifecycle = "deploying";
            }
            updateLifecycle(endpoint);
            return null;
        });
        afterwards.forEach(Runnable::run);
    }

    /** Under the lock: deploying turns ready once every wanted replica runs. */
    private static void updateLifecycle(Endpoint endpoint) {
        if (endpoint.destroying()) {
            return;
        }
        long running = endpoint.routes.stream().filter(r -> r.status.equals("running")).count();
        if (running >= endpoint.replicas && (endpoint.lifecycle.equals("deploying") || endpoint.lifecycle.equals("pending"))) {
            endpoint.lifecycle = "ready";
        }
    }

    /** Creates a route's inference session (off the lock; SessionService takes it for itself). */
    private void createSession(Route route) {
        Endpoint e = route.endpoint;
        ObjectNode body = Records.JSON.createObjectNode();
        ObjectNode config = Records.JSON.createObjectNode();
        Caller creator = sessions.locked(() -> e.creator);
        String name = sessions.locked(() -> e.name) + "-" + route.id.toString().substring(0, 8);
        sessions.locked(() -> {
            body.put("session_name", name);
            body.put("image", e.image);
            body.put("session_type", "inference");
            body.put("group", e.projectName);
            body.put("domain", e.domain);
            body.put("owner_access_key", e.ownerAccessKey);
            body.put("enqueue_only", true);
            body.put("cluster_size", e.clusterSize);
            if (e.startupCommand != null) {
                body.put("startup_command", e.startupCommand);
            }
            if (e.bootstrapScript != null) {
                body.put("bootstrap_script", e.bootstrapScript);
            }
            config.putArray("mount_ids").add(e.modelId.toString());
            config.putObject("mount_id_map").put(e.modelId.toString(), e.mountDestination);
            config.putObject("mount_options").putObject(e.modelId.toString()).put("permission", "ro");
            ObjectNode environ = config.putObject("environ");
            e.environ.forEach(environ::put);
            if (e.resources != null && e.resources.isObject()) {
                ObjectNode resources = config.putObject("resources");
                e.resources.fields().forEachRemaining(f -> resources.put(f.getKey(), f.getValue().asText()));
            }
            body.set("config", config);
            return null;
        });
        UUID sessionId;
        try {
            ApiResponse created = sessionService.create(creator, body);
            sessionId = UUID.fromString(Records.JSON.readTree(created.body()).path("sessionId").asText());
        } catch (ApiError refused) {
            failed(route, null, "session_creation_failed", refused.getMessage());
            return;
        } catch (IOException | RuntimeException broken) {
            failed(route, null, "session_creation_failed", String.valueOf(broken));
            return;
        }
        boolean orphan = sessions.locked(() -> {
            route.sessionId = sessionId;
            return !route.status.equals("provisioning");
        });
        if (orphan) {
            sessions.byId(sessionId).ifPresent(s -> sessions.destroy(s, true));
            return;
        }
        // It may already run (or have ended) before its id was recorded.
        sessions.snapshot(sessionId).ifPresent(s -> {
            if (s.status().equals("RUNNING") || ENDED.contains(s.status())) {
                sessionChanged(sessionId, s.status(), s.statusInfo());
            }
        });
    }

    private Route routeOf(UUID sessionId) {
        for (Endpoint e : endpoints) {
            for (Route r : e.routes) {
                if (sessionId.equals(r.sessionId)) {
                    return r;
                }
            }
        }
        return null;
    }

    private void sessionChanged(UUID sessionId, String status, String reason) {
        Route route = sessions.locked(() -> routeOf(sessionId));
        if (route == null) {
            return;
        }
        if (status.equals("RUNNING")) {
            boolean start = sessions.locked(() -> {
                if (!route.status.equals("provisioning") || route.starting || route.process != null) {
                    return false;
                }
                route.starting = true;
                return true;
            });
            if (start) {
                startReplica(route);
            }
            return;
        }
        // The session ended.
        List<Runnable> afterwards = new ArrayList<>();
        sessions.locked(() -> {
            switch (route.status) {
                case "provisioning" -> {
                    route.status = "failed_to_start";
                    route.health = "unhealthy";
                    route.errorData = errorData("session_cancelled", "SessionCancelled",
                            reason == null ? status : reason);
                    route.endpoint.retries++;
                }
                case "running", "terminating" -> {
                    route.status = "terminated";
                    if (route.process != null) {
                        ModelProcess p = route.process;
                        route.process = null;
                        afterwards.add(() -> stopProcess(p));
                    }
                }
                default -> {
                }
            }
            return null;
        });
        afterwards.forEach(Runnable::run);
        Endpoint e = route.endpoint;
        if (sessions.locked(e::destroying)) {
            maybeDestroyed(e);
        } else {
            reconcile(e);
        }
    }

    private static Map<String, Object> errorData(String type, String name, String repr) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("src", "other");
        error.put("name", name);
        error.put("repr", repr);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        data.put("errors", List.of(error));
        return data;
    }

    /** Reads the model definition, starts the model service process, checks its health (all off-lock). */
    private void startReplica(Route route) {
        Endpoint e = route.endpoint;
        Path modelRoot = sessions.locked(() -> e.modelPath);
        String definitionPath = sessions.locked(() -> e.modelDefinitionPath);
        String mountDestination = sessions.locked(() -> e.mountDestination);
        ModelDefinition definition;
        try {
            definition = ModelDefinition.read(modelRoot, definitionPath);
        } catch (ModelDefinition.Invalid invalid) {
            failed(route, route.sessionId, "model_definition_invalid", invalid.getMessage());
            return;
        }
        String modelPath = definition.modelPath();
        String dest = mountDestination.endsWith("/") ? mountDestination.substring(0, mountDestination.length() - 1)
                : mountDestination;
        Path root;
        if (modelPath.equals(dest) || modelPath.startsWith(dest + "/")) {
            root = modelRoot.resolve(modelPath.substring(dest.length()).replaceFirst("^/", ""));
        } else {
            failed(route, route.sessionId, "model_definition_invalid", "model_path " + modelPath
                    + " is not inside the model mount " + mountDestination);
            return;
        }
        // The stand-in server replaces the model's own program, so what would make that program exit
        // at once is judged here, before anything starts: a model path or a program file the start
        // command names under the model mount that the folder does not hold.
        String missing = missingFromFolder(root, modelRoot, dest, definition);
        if (missing != null) {
            failed(route, route.sessionId, "model_service_failed", missing);
            return;
        }
        ModelProcess process;
        try {
            process = ModelProcess.start(starter, script, root, definition.healthPath(), definition.name(),
                    route.id.toString());
        } catch (java.io.UncheckedIOException notStarted) {
            failed(route, route.sessionId, "model_service_failed", "the model service did not start: "
                    + notStarted.getCause().getMessage());
            return;
        }
        liveProcesses.add(process);
        if (closed) {
            stopProcess(process);
        }
        process.port().orTimeout(30, TimeUnit.SECONDS).thenCompose(port -> health().sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + definition.healthPath())).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()))
                .whenComplete((response, failure) -> later("committing a replica's start", () -> {
                    boolean healthy = failure == null && response.statusCode() == 200;
                    boolean kept = sessions.locked(() -> {
                        route.starting = false;
                        if (!route.status.equals("provisioning") || closed) {
                            return false;
                        }
                        if (failure != null && !process.isAlive()) {
                            return false;
                        }
                        route.process = process;
                        route.status = "running";
                        route.health = healthy ? "healthy" : "unhealthy";
                        updateLifecycle(route.endpoint);
                        return true;
                    });
                    if (!kept) {
                        stopProcess(process);
                        if (failure != null) {
                            failed(route, route.sessionId, "model_service_failed",
                                    String.valueOf(Futures.cause(failure).getMessage()));
                        }
                    }
                }));
    }

    /** Why the model's program could not start from this folder, or null when all it names is there. */
    private static String missingFromFolder(Path root, Path modelRoot, String dest, ModelDefinition definition) {
        if (!java.nio.file.Files.isDirectory(root)) {
            return "model_path " + definition.modelPath() + " does not exist in the model folder";
        }
        Object command = definition.startCommand();
        List<String> words = command instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : command == null ? List.of() : List.of(String.valueOf(command).trim().split("\\s+"));
        for (String word : words) {
            String expanded = word.replace("{model_path}", definition.modelPath());
            if (expanded.startsWith(dest + "/")) {
                Path file = modelRoot.resolve(expanded.substring(dest.length() + 1)).normalize();
                if (file.startsWith(modelRoot) && !java.nio.file.Files.exists(file)) {
                    return "the start command exited at once: can't open file '" + expanded + "'";
                }
            }
        }
        return null;
    }

    /** A route that could not start: failed_to_start with why; its session (if any) is ended. */
    private void failed(Route route, UUID sessionId, String type, String why) {
        boolean changed = sessions.locked(() -> {
            route.starting = false;
            if (!route.status.equals("provisioning")) {
                return false;
            }
            route.status = "failed_to_start";
            route.health = "unhealthy";
            route.errorData = errorData(type, "ModelServiceError", why);
            route.endpoint.retries++;
            return true;
        });
        if (changed && sessionId != null) {
            sessions.byId(sessionId).ifPresent(s -> sessions.destroy(s, false));
        }
        if (sessions.locked(route.endpoint::destroying)) {
            maybeDestroyed(route.endpoint);
        }
    }

    /** Under the lock: the route goes to {@code status}; the returned task stops its process and session. */
    private Runnable terminate(Route route, String status) {
        route.status = status;
        ModelProcess process = route.process;
        route.process = null;
        UUID sessionId = route.sessionId;
        return () -> later("stopping a replica", () -> {
            if (process != null) {
                stopProcess(process);
            }
            if (sessionId == null) {
                sessions.locked(() -> {
                    route.status = "terminated";
                    return null;
                });
                maybeDestroyed(route.endpoint);
                return;
            }
            Optional<bai.scenarios.emulator.sessions.ComputeSession> session = sessions.byId(sessionId);
            session.ifPresent(s -> sessions.destroy(s, false));
            boolean over = sessions.snapshot(sessionId).map(SessionSnapshot::isTerminal).orElse(true);
            if (over) {
                sessionChanged(sessionId, "TERMINATED", "service-scaled-down");
            }
        });
    }

    /** A destroying endpoint whose routes all ended: its proxy goes, and it is destroyed. */
    private void maybeDestroyed(Endpoint e) {
        List<UUID> sessionIds = sessions.locked(() -> e.routes.stream().map(r -> r.sessionId)
                .filter(java.util.Objects::nonNull).toList());
        boolean sessionsOver = sessionIds.stream().allMatch(id -> sessions.snapshot(id)
                .map(SessionSnapshot::isTerminal).orElse(true));
        AppProxy.Listener[] listener = new AppProxy.Listener[1];
        boolean destroyed = sessions.locked(() -> {
            if (!e.lifecycle.equals("destroying") || !sessionsOver) {
                return false;
            }
            if (e.routes.stream().anyMatch(r -> r.starting || ServingEntities.ACTIVE_ROUTES.contains(r.status))) {
                return false;
            }
            e.routes.forEach(r -> {
                if (r.status.equals("terminating")) {
                    r.status = "terminated";
                }
            });
            e.lifecycle = "destroyed";
            e.destroyedAt = Instant.now();
            listener[0] = e.proxy;
            e.proxy = null;
            e.url = null;
            return true;
        });
        if (destroyed && listener[0] != null) {
            stopListener(listener[0]);
        }
    }

    // --- for GraphQL and project purges --------------------------------------------------------

    /** Whether a project has an endpoint not yet destroyed (the manager refuses to purge it). */
    public boolean projectHasActiveEndpoints(UUID groupId) {
        return sessions.locked(() -> endpoints.stream().anyMatch(e -> e.groupId.equals(groupId)
                && !e.lifecycle.equals("destroyed")));
    }

    /** Endpoint views for the admin GraphQL, as the caller may see them. */
    public List<Map<String, Object>> endpointViews(Caller caller) {
        return sessions.locked(() -> endpoints.stream().filter(e -> mayAccess(caller, e)).map(this::view).toList());
    }

    private Map<String, Object> view(Endpoint e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("$type", "Endpoint");
        v.put("id", Base64.getEncoder().encodeToString(("Endpoint:" + e.id).getBytes(StandardCharsets.UTF_8)));
        v.put("endpoint_id", e.id);
        v.put("image", e.image);
        v.put("domain", e.domain);
        v.put("project", e.groupId.toString());
        v.put("resource_group", e.resourceGroup);
        v.put("resource_slots", e.resources == null ? "{}" : e.resources.toString());
        v.put("url", e.url);
        v.put("model", e.modelId);
        v.put("model_definition_path", e.modelDefinitionPath);
        v.put("model_mount_destiation", e.mountDestination);
        v.put("model_mount_destination", e.mountDestination);
        v.put("created_user", e.createdUserId);
        v.put("created_user_email", e.createdUserEmail);
        v.put("created_user_id", e.createdUserId);
        v.put("session_owner", e.ownerId);
        v.put("session_owner_email", e.ownerEmail);
        v.put("session_owner_id", e.ownerId);
        v.put("tag", e.tag);
        v.put("startup_command", e.startupCommand);
        v.put("bootstrap_script", e.bootstrapScript);
        v.put("callback_url", e.callbackUrl);
        v.put("environ", Records.JSON.valueToTree(e.environ).toString());
        v.put("name", e.name);
        v.put("resource_opts", e.resourceOpts == null ? "{}" : e.resourceOpts.toString());
        v.put("replicas", e.replicas);
        v.put("desired_session_count", e.replicas);
        v.put("cluster_mode", e.clusterMode);
        v.put("cluster_size", e.clusterSize);
        v.put("open_to_public", e.isPublic);
        v.put("runtime_variant", Map.of("name", e.runtimeVariant, "human_readable_name",
                RUNTIMES.getOrDefault(e.runtimeVariant, e.runtimeVariant)));
        v.put("created_at", PythonRepr.isoformat(e.createdAt));
        v.put("destroyed_at", e.destroyedAt == null ? null : PythonRepr.isoformat(e.destroyedAt));
        v.put("routings", e.routes.stream().map(this::routeView).toList());
        v.put("retries", e.retries);
        v.put("status", e.status());
        v.put("lifecycle_stage", e.lifecycle);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Route r : e.routes) {
            if (r.status.equals("failed_to_start") && r.errorData != null) {
                errors.add(Map.of("session_id", r.sessionId == null ? "" : r.sessionId.toString(),
                        "errors", r.errorData.get("errors")));
            }
        }
        v.put("errors", errors);
        v.put("live_stat", null);
        return v;
    }

    private Map<String, Object> routeView(Route r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("$type", "Routing");
        v.put("id", Base64.getEncoder().encodeToString(("Routing:" + r.id).getBytes(StandardCharsets.UTF_8)));
        v.put("routing_id", r.id);
        v.put("endpoint", r.endpoint.id.toString());
        v.put("session", r.sessionId);
        v.put("status", r.status.toUpperCase());
        v.put("health_status", r.health.toUpperCase());
        v.put("traffic_ratio", r.trafficRatio);
        v.put("created_at", PythonRepr.isoformat(r.createdAt));
        v.put("error_data", r.errorData == null ? "{}" : Records.JSON.valueToTree(r.errorData).toString());
        v.put("live_stat", null);
        return v;
    }

    /** Route views of the endpoints the caller may see. */
    public List<Map<String, Object>> routeViews(Caller caller) {
        return sessions.locked(() -> endpoints.stream().filter(e -> mayAccess(caller, e))
                .flatMap(e -> e.routes.stream()).map(this::routeView).toList());
    }

    /** The pids of the replica processes now running (for tests and diagnostics). */
    public List<Long> replicaPids() {
        return sessions.locked(() -> endpoints.stream().flatMap(e -> e.routes.stream())
                .filter(r -> r.process != null).map(r -> r.process.pid()).toList());
    }

    private void stopProcess(ModelProcess process) {
        liveProcesses.remove(process);
        process.stop();
    }

    private void stopListener(AppProxy.Listener listener) {
        liveListeners.remove(listener);
        listener.stop();
    }

    /** The replicas' health checks' client, shared by every emulator in the JVM. */
    static HttpClient health() {
        return HealthClient.HTTP;
    }

    /**
     * Built at the first check rather than at an emulator's start (the holder loads then): building
     * one loads the TLS stack and starts a selector thread (about a fifth of a cold start's CPU), and
     * most runs serve no model. One per JVM, not per emulator: tests start dozens. Its threads are daemons.
     */
    private static final class HealthClient {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** Kills every replica process and proxy listener; takes no lock, waits for nothing. */
    @Override
    public void close() {
        closed = true;
        liveProcesses.forEach(ModelProcess::stop);
        liveProcesses.clear();
        liveListeners.forEach(l -> {
            try {
                l.stop();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        });
        liveListeners.clear();
    }
}
