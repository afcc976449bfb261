package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Model services ({@code /services}) for one caller: create (and the dry run), list, inspect,
 * scale, tokens for the endpoint, routes (traffic ratio, removal), errors, sync, the runtimes,
 * and the GraphQL view of an endpoint with its routes' statuses, which the REST info leaves out.
 *
 * <p>Request bodies use the field names of the manager's {@code openapi.json}
 * ({@code name}, {@code desired_session_count}, {@code lang}, {@code clusterSize},
 * {@code clusterMode}, {@code open_to_public}, {@code config.scalingGroup}, …), never the aliases
 * the manager also accepts. The endpoint itself (the app proxy) is another server: see
 * {@link ServiceEndpointCaller}.
 */
public final class ServicesApi {
    private static final Duration POLL = Duration.ofMillis(100);

    private final ManagerClient client;

    ServicesApi(ManagerClient client) {
        this.client = client;
    }

    /**
     * What to serve. {@code clusterMode} is {@code single-node} or {@code multi-node}; null fields
     * are left to the manager's defaults (project and domain {@code default}, the model
     * definition at {@code model-definition.yaml}, runtime {@code custom}).
     */
    public record ServiceSpec(String modelFolder, String image, String scalingGroup, int replicas, int clusterSize,
                              String clusterMode, boolean openToPublic, String domain, String project,
                              Map<String, Object> resources, String modelDefinitionPath, String runtimeVariant) {

        public static ServiceSpec of(String modelFolder, String image, String scalingGroup) {
            return new ServiceSpec(modelFolder, image, scalingGroup, 1, 1, "single-node", false, null, null, null, null,
                    null);
        }

        public ServiceSpec withReplicas(int value) {
            return new ServiceSpec(modelFolder, image, scalingGroup, value, clusterSize, clusterMode, openToPublic, domain,
                    project, resources, modelDefinitionPath, runtimeVariant);
        }

        public ServiceSpec onCluster(int size, String mode) {
            return new ServiceSpec(modelFolder, image, scalingGroup, replicas, size, mode, openToPublic, domain, project,
                    resources, modelDefinitionPath, runtimeVariant);
        }

        public ServiceSpec public_(boolean value) {
            return new ServiceSpec(modelFolder, image, scalingGroup, replicas, clusterSize, clusterMode, value, domain,
                    project, resources, modelDefinitionPath, runtimeVariant);
        }

        public ServiceSpec inProject(String domainName, String projectName) {
            return new ServiceSpec(modelFolder, image, scalingGroup, replicas, clusterSize, clusterMode, openToPublic,
                    domainName, projectName, resources, modelDefinitionPath, runtimeVariant);
        }

        public ServiceSpec withResources(Map<String, Object> value) {
            return new ServiceSpec(modelFolder, image, scalingGroup, replicas, clusterSize, clusterMode, openToPublic,
                    domain, project, value, modelDefinitionPath, runtimeVariant);
        }

        Map<String, Object> toBody(String name) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("model", modelFolder);
            config.put("scalingGroup", scalingGroup);
            if (modelDefinitionPath != null) {
                config.put("model_definition_path", modelDefinitionPath);
            }
            if (resources != null) {
                config.put("resources", resources);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("desired_session_count", replicas);
            body.put("lang", image);
            if (domain != null) {
                body.put("domain", domain);
            }
            if (project != null) {
                body.put("group", project);
            }
            body.put("clusterSize", clusterSize);
            body.put("clusterMode", clusterMode);
            body.put("open_to_public", openToPublic);
            if (runtimeVariant != null) {
                body.put("runtime_variant", runtimeVariant);
            }
            body.put("config", config);
            return body;
        }
    }

    /** A service in the caller's list ({@code GET /services}). */
    public record Summary(UUID id, String name, int replicas, int activeRouteCount, String serviceEndpoint,
                          boolean isPublic) {
        static Summary from(JsonNode n) {
            return new Summary(UUID.fromString(n.path("id").asText()), n.path("name").asText(), n.path("replicas").asInt(),
                    n.path("active_route_count").asInt(), text(n, "service_endpoint"), n.path("is_public").asBoolean());
        }
    }

    /** A route (replica) as the REST info lists it; the session is null until one is started for it. */
    public record Route(UUID routeId, UUID sessionId, double trafficRatio) {
        static Route from(JsonNode n) {
            String session = text(n, "session_id");
            return new Route(UUID.fromString(n.path("route_id").asText()),
                    session == null || session.isEmpty() ? null : UUID.fromString(session),
                    n.path("traffic_ratio").asDouble(1.0));
        }
    }

    /** A service as {@code GET /services/{id}} describes it; {@code serviceEndpoint} is null until it is ready. */
    public record Info(UUID id, UUID modelId, String name, int replicas, int desiredSessionCount, List<Route> activeRoutes,
                       String serviceEndpoint, boolean isPublic, String runtimeVariant) {
        static Info from(JsonNode n) {
            List<Route> routes = new ArrayList<>();
            n.path("active_routes").forEach(r -> routes.add(Route.from(r)));
            String model = text(n, "model_id");
            return new Info(UUID.fromString(n.path("endpoint_id").asText()),
                    model == null ? null : FoldersApi.parseId(model), n.path("name").asText(), n.path("replicas").asInt(),
                    n.path("desired_session_count").asInt(), List.copyOf(routes), text(n, "service_endpoint"),
                    n.path("is_public").asBoolean(), text(n, "runtime_variant"));
        }

        public List<UUID> sessions() {
            return activeRoutes.stream().map(Route::sessionId).filter(java.util.Objects::nonNull).toList();
        }
    }

    /** What a scale call answered. */
    public record Scaled(int currentRouteCount, int targetCount) {
    }

    /** One route of the endpoint as GraphQL shows it: {@code provisioning}, {@code running}, {@code failed_to_start}, … */
    public record Routing(UUID id, UUID session, String status, String healthStatus, double trafficRatio) {
        static Routing from(JsonNode n) {
            String session = text(n, "session");
            return new Routing(UUID.fromString(n.path("routing_id").asText()),
                    session == null ? null : UUID.fromString(session), text(n, "status"), text(n, "health_status"),
                    n.path("traffic_ratio").asDouble(1.0));
        }
    }

    /** The endpoint as the admin GraphQL {@code endpoint} query shows it: its status and every route. */
    public record Endpoint(UUID id, String name, String status, int replicas, String url, boolean openToPublic,
                           List<Routing> routings, int retries) {
        static Endpoint from(JsonNode n) {
            List<Routing> routings = new ArrayList<>();
            n.path("routings").forEach(r -> routings.add(Routing.from(r)));
            return new Endpoint(UUID.fromString(n.path("endpoint_id").asText()), n.path("name").asText(),
                    text(n, "status"), n.path("replicas").asInt(), text(n, "url"), n.path("open_to_public").asBoolean(),
                    List.copyOf(routings), n.path("retries").asInt());
        }

        /** Routes that are neither terminated nor terminating (statuses compared ignoring case: GraphQL gives names). */
        public List<Routing> liveRoutings() {
            return routings.stream().filter(r -> r.status() == null
                    || !(r.status().equalsIgnoreCase("terminated") || r.status().equalsIgnoreCase("terminating"))).toList();
        }

        public String describe() {
            return "endpoint " + name + " " + status + " with routes " + routings.stream()
                    .map(r -> r.status() + (r.session() == null ? "" : " (session " + r.session() + ")")).toList();
        }
    }

    /** The errors of a service's inference sessions, and how often it retried. */
    public record Errors(List<SessionError> errors, int retries) {
    }

    /** One inference session's error, as the manager reported it (its JSON, verbatim). */
    public record SessionError(UUID sessionId, String error) {
    }

    public Info create(String name, ServiceSpec spec) {
        return Info.from(client.post("/services", spec.toBody(name)).orThrow().json());
    }

    /** Checks the service could start, without creating it; the id of the background task doing the check. */
    public String tryCreate(String name, ServiceSpec spec) {
        return client.post("/services/_/try", spec.toBody(name)).orThrow().json().path("task_id").asText();
    }

    /** The caller's services (a bare array; empty when she has none). */
    public List<Summary> list() {
        return summaries(client.get("/services").orThrow().json());
    }

    /** The caller's services with exactly this name. */
    public List<Summary> listNamed(String name) {
        return summaries(client.send("GET", "/services", Map.of("name", name), null).orThrow().json());
    }

    public Info info(UUID id) {
        return Info.from(client.get("/services/" + id).orThrow().json());
    }

    /** Deletes the service: its routes and inference sessions go, then the endpoint. */
    public void delete(UUID id) {
        client.send("DELETE", "/services/" + id, Map.of(), null).orThrow();
    }

    public Scaled scale(UUID id, int to) {
        JsonNode answer = client.post("/services/" + id + "/scale", Map.of("to", to)).orThrow().json();
        return new Scaled(answer.path("current_route_count").asInt(), answer.path("target_count").asInt());
    }

    /** A token for the endpoint, valid for {@code duration} (e.g. {@code "1h"}, or seconds as in {@code "3600"}). */
    public String token(UUID id, String duration) {
        return client.post("/services/" + id + "/token", Map.of("duration", duration)).orThrow().json().path("token")
                .asText();
    }

    /** A token for the endpoint, valid until a moment (Unix epoch seconds). */
    public String tokenUntil(UUID id, long epochSeconds) {
        return client.post("/services/" + id + "/token", Map.of("valid_until", epochSeconds)).orThrow().json()
                .path("token").asText();
    }

    /** Sets the share of the endpoint's traffic the route gets, relative to the other routes' ratios. */
    public void setTrafficRatio(UUID id, UUID routeId, double ratio) {
        client.send("PUT", "/services/" + id + "/routings/" + routeId, Map.of(), Map.of("traffic_ratio", ratio)).orThrow();
    }

    /** Removes one route (and its inference session); the manager starts another to keep the replica count. */
    public void deleteRoute(UUID id, UUID routeId) {
        client.send("DELETE", "/services/" + id + "/routings/" + routeId, Map.of(), null).orThrow();
    }

    public Errors errors(UUID id) {
        JsonNode answer = client.get("/services/" + id + "/errors").orThrow().json();
        List<SessionError> errors = new ArrayList<>();
        answer.path("errors").forEach(e -> {
            String session = text(e, "session_id");
            errors.add(new SessionError(session == null ? null : UUID.fromString(session), e.path("error").toString()));
        });
        return new Errors(List.copyOf(errors), answer.path("retries").asInt());
    }

    /** Forgets the service's errors and lets it try again. */
    public void clearErrors(UUID id) {
        client.post("/services/" + id + "/errors/clear", null).orThrow();
    }

    /** Asks the manager to push the service's routes to the app proxy again. */
    public void sync(UUID id) {
        client.post("/services/" + id + "/sync", null).orThrow();
    }

    /** The inference runtimes the manager offers, by name ({@code custom}, {@code vllm}, …). */
    public List<String> runtimes() {
        List<String> names = new ArrayList<>();
        client.get("/services/_/runtimes").orThrow().json().path("runtimes")
                .forEach(r -> names.add(r.isTextual() ? r.asText() : r.path("name").asText()));
        return names;
    }

    /** The endpoint with every route's status, through the admin GraphQL; empty once the manager forgot it. */
    public Optional<Endpoint> endpoint(UUID id) {
        JsonNode node;
        try {
            node = new AdminGraphQLClient(client).run("Endpoint", Map.of("endpoint_id", id.toString())).path("endpoint");
        } catch (CallRefused refused) {
            String code = String.valueOf(refused.code());
            if (refused.status() == 404 || code.contains("not-found") || code.contains("not_found")) {
                return Optional.empty();
            }
            throw refused;
        }
        return node.isObject() ? Optional.of(Endpoint.from(node)) : Optional.empty();
    }

    /** A service as the admin GraphQL {@code endpoint_list} shows it (a superadmin sees everyone's). */
    public record Listed(UUID id, String name, String status, java.time.Instant createdAt) {
    }

    /** Every endpoint the caller may see through GraphQL, page by page; destroyed ones included. */
    public List<Listed> endpointList() {
        List<Listed> all = new ArrayList<>();
        AdminGraphQLClient gql = new AdminGraphQLClient(client);
        int offset = 0;
        while (true) {
            JsonNode page = gql.run("Endpoints", Map.of("limit", 100, "offset", offset)).path("endpoint_list");
            JsonNode items = page.path("items");
            items.forEach(n -> {
                String created = text(n, "created_at");
                all.add(new Listed(UUID.fromString(n.path("endpoint_id").asText()), n.path("name").asText(),
                        text(n, "status"), instant(created)));
            });
            offset += items.size();
            if (items.isEmpty() || offset >= page.path("total_count").asInt()) {
                return all;
            }
        }
    }

    /** The largest number of replicas the caller's user resource policy lets one service have. */
    public int maxReplicasByPolicy() {
        return new AdminGraphQLClient(client).run("MyUserResourcePolicy", Map.of()).path("user_resource_policy")
                .path("max_session_count_per_model_session").asInt();
    }

    /**
     * Polls {@code look} until {@code done} holds; on timeout fails naming what was seen last
     * ({@code describe} of the last observation). Refusals while looking end the wait at once.
     */
    public static <T> T await(String what, Duration timeout, java.util.function.Supplier<T> look, Predicate<T> done,
                              Function<T, String> describe) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(POLL).pollDelay(Duration.ZERO)
                    .until(() -> {
                        T seen = look.get();
                        last.set(seen);
                        return done.test(seen);
                    });
        } catch (ConditionTimeoutException e) {
            T seen = last.get();
            throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s; last seen "
                    + (seen == null ? "nothing" : describe.apply(seen)));
        }
        return last.get();
    }

    private static List<Summary> summaries(JsonNode array) {
        List<Summary> list = new ArrayList<>();
        array.forEach(n -> list.add(Summary.from(n)));
        return list;
    }

    private static java.time.Instant instant(String text) {
        try {
            return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
