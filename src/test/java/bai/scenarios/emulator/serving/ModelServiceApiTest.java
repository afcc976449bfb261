package bai.scenarios.emulator.serving;

import bai.scenarios.emulator.EmulatorCaller;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import bai.scenarios.emulator.FolderCalls;
import bai.scenarios.emulator.ManagerEmulator;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Model serving over real HTTP: {@code /services} as the manager answers, replicas as inference
 * sessions with real model service processes, and the app proxy forwarding real traffic.
 */
@Order(4) // a long class: started early (pom.xml, surefire)
class ModelServiceApiTest {
    private static final String DEFAULT_PROJECT = "2de2b969-1d04-48a6-af16-0bc8adb3c831";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DEFINITION = """
            models:
              - name: "echo-model"
                model_path: "/models"
                service:
                  start_command:
                    - python3
                    - -m
                    - http.server
                  port: 8000
                  health_check:
                    path: /healthz
            """;

    private static ManagerEmulator emulator;
    private static EmulatorCaller user;
    private static EmulatorCaller admin;
    private static FolderCalls folders;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        user = EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(30));
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(30));
        folders = new FolderCalls(user);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String unique(String kind) {
        return kind + "-" + COUNTER.incrementAndGet();
    }

    private static String modelFolder(boolean withDefinition) {
        String name = unique("model");
        folders.create(name, Map.of("usage_mode", "model"));
        if (withDefinition) {
            folders.upload(name, "model-definition.yaml", DEFINITION.getBytes(StandardCharsets.UTF_8));
        }
        folders.upload(name, "hello.txt", "hello from the model folder".getBytes(StandardCharsets.UTF_8));
        return name;
    }

    private static Map<String, Object> request(String name, String model, int replicas, boolean open) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("desired_session_count", replicas);
        body.put("open_to_public", open);
        body.put("config", Map.of("model", model, "scaling_group", "default"));
        return body;
    }

    private static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.path("type").asText()).as("%s", answer.body()).isEqualTo("https://api.backend.ai/probs/" + type);
    }

    private static HttpResponse<String> proxied(String url, String method, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "BackendAI " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode endpoint(String id) {
        return admin.graphql("query($id: UUID!) { endpoint(endpoint_id: $id) { name status lifecycle_stage url"
                + " replicas open_to_public retries routings { routing_id session status health_status traffic_ratio }"
                + " errors { session_id errors { name repr } } } }", Map.of("id", id)).path("endpoint");
    }

    private static String purge() {
        return admin.call("POST", "/admin/gql", Map.of("query",
                "mutation($gid: UUID!) { purge_group(gid: $gid) { ok msg } }", "variables",
                Map.of("gid", DEFAULT_PROJECT))).body().toString();
    }

    @Test
    void createIsValidatedAsTheManagerDoes() {
        String model = modelFolder(false);
        assertProblem(user.call("POST", "/services", request("abc", model, 1, false)), 400, "generic-bad-request");
        assertProblem(user.call("POST", "/services", request("bad name!", model, 1, false)), 400,
                "generic-bad-request");
        Map<String, Object> noGroup = request(unique("svc"), model, 1, false);
        noGroup.put("config", Map.of("model", model));
        Answer missing = user.call("POST", "/services", noGroup);
        assertProblem(missing, 400, "generic-bad-request");
        assertThat(missing.path("msg").asText()).contains("scalingGroup").contains("Field required");
        assertProblem(user.call("POST", "/services", request(unique("svc"), "no-such-folder", 1, false)), 404,
                "object-not-found");
        String general = folders.create(unique("general"), Map.of()).path("id").asText();
        Answer notModel = user.call("POST", "/services", request(unique("svc"), general, 1, false));
        assertProblem(notModel, 400, "invalid-api-params");
        assertProblem(user.call("POST", "/services", request(unique("svc"), model, 11, false)), 400,
                "invalid-api-params");
        assertThat(user.call("GET", "/services/_/runtimes", null).path("runtimes").get(0).path("name").asText())
                .isEqualTo("custom");
        assertProblem(user.call("GET", "/services/" + java.util.UUID.randomUUID(), null), 404, "object-not-found");
    }

    @Test
    void aPrivateServiceServesTrafficThroughTheAppProxyAndLeavesNothingBehind() throws Exception {
        String model = modelFolder(true);
        String name = unique("svc");
        Answer created = user.call("POST", "/services", request(name, model, 2, false));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String id = created.path("endpoint_id").asText();
        assertThat(created.path("name").asText()).isEqualTo(name);
        assertThat(created.path("desired_session_count").asInt()).isEqualTo(2);
        assertThat(created.path("is_public").asBoolean()).isFalse();

        await().atMost(WAIT).until(() -> endpoint(id).path("status").asText().equals("HEALTHY")
                && endpoint(id).path("routings").size() == 2);
        JsonNode ready = endpoint(id);
        assertThat(ready.path("lifecycle_stage").asText()).isEqualTo("ready");
        Answer info = user.call("GET", "/services/" + id, null);
        assertThat(info.path("active_routes").size()).isEqualTo(2);
        String url = info.path("service_endpoint").asText();
        assertThat(url).startsWith("http://127.0.0.1:");
        Answer listed = user.call("GET", "/services?name=" + name, null);
        assertThat(listed.body().isArray()).isTrue();
        assertThat(listed.body().get(0).path("active_route_count").asInt()).isEqualTo(2);
        List<Long> pids = emulator.services().replicaPids();
        assertThat(pids).hasSizeGreaterThanOrEqualTo(2);

        // Private: no token, a bad one, an expired one are refused; a valid one passes.
        HttpResponse<String> anonymous = proxied(url + "/hello.txt", "GET", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("invalid-credentials").contains("E20006");
        assertThat(proxied(url + "/hello.txt", "GET", "not.a.token", null).statusCode()).isEqualTo(401);
        Answer past = user.call("POST", "/services/" + id + "/token",
                Map.of("valid_until", Instant.now().minusSeconds(60).getEpochSecond()));
        assertProblem(past, 400, "generic-bad-request");
        assertProblem(user.call("POST", "/services/" + id + "/token", Map.of()), 400, "generic-bad-request");
        String token = user.call("POST", "/services/" + id + "/token", Map.of("duration", "1h")).path("token").asText();
        HttpResponse<String> file = proxied(url + "/hello.txt", "GET", token, null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("hello from the model folder");
        HttpResponse<String> inference = proxied(url + "/v1/predict", "POST", token, "{\"x\": 1}");
        assertThat(inference.statusCode()).isEqualTo(200);
        assertThat(inference.body()).contains("\"model\": \"echo-model\"").contains("{\\\"x\\\": 1}");
        String shortLived = user.call("POST", "/services/" + id + "/token",
                Map.of("valid_until", Instant.now().getEpochSecond() + 2)).path("token").asText();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                proxied(url + "/hello.txt", "GET", shortLived, null).statusCode() == 401);

        // Traffic ratios: a route at 0 gets no traffic.
        JsonNode routes = info.path("active_routes");
        String quiet = routes.get(0).path("route_id").asText();
        String busy = routes.get(1).path("route_id").asText();
        assertThat(user.call("PUT", "/services/" + id + "/routings/" + quiet, Map.of("traffic_ratio", 0)).status())
                .isEqualTo(200);
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> answer = proxied(url + "/v1/predict", "POST", token, "{}");
            assertThat(answer.statusCode()).isEqualTo(200);
            served.add(answer.headers().firstValue("X-BAI-Emulator-Route").orElse("?"));
        }
        assertThat(served).containsExactly(busy);

        // Scaling: above the policy refused; down to one replica.
        assertProblem(user.call("POST", "/services/" + id + "/scale", Map.of("to", 11)), 400, "invalid-api-params");
        Answer scaled = user.call("POST", "/services/" + id + "/scale", Map.of("to", 1));
        assertThat(scaled.status()).as("%s", scaled.body()).isEqualTo(200);
        assertThat(scaled.path("target_count").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> user.call("GET", "/services/" + id, null).path("active_routes").size() == 1);

        // A project with live replicas cannot be purged.
        assertThat(purge()).contains("group_purge_conflict");

        // Deleting leaves no replica process, inference session or proxy port behind.
        assertThat(user.call("DELETE", "/services/" + id, null).path("success").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> user.call("GET", "/services/" + id, null).status() == 404);
        for (long pid : pids) {
            await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
        JsonNode sessions = admin.graphql("{ compute_session_list(limit: 100, offset: 0, status: \"RUNNING\") { items "
                + "{ name type } } }", Map.of()).path("compute_session_list").path("items");
        for (JsonNode s : sessions) {
            assertThat(s.path("name").asText()).doesNotStartWith(name + "-");
        }
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(url + "/hello.txt")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        assertThat(user.call("GET", "/services?name=" + name, null).body()).isEmpty();
    }

    @Test
    void aPublicServiceTakesAnonymousCalls() {
        String model = modelFolder(true);
        Answer created = user.call("POST", "/services", request(unique("pub"), model, 1, true));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String id = created.path("endpoint_id").asText();
        await().atMost(WAIT).until(() -> endpoint(id).path("status").asText().equals("HEALTHY"));
        String url = user.call("GET", "/services/" + id, null).path("service_endpoint").asText();
        HttpResponse<String> health = proxied(url + "/healthz", "GET", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(proxied(url + "/hello.txt", "GET", null, null).body()).isEqualTo("hello from the model folder");
        assertThat(user.call("DELETE", "/services/" + id, null).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> user.call("GET", "/services/" + id, null).status() == 404);
    }

    @Test
    void aReplicaWithoutAModelDefinitionFailsToStartAndShowsInErrors() {
        String model = modelFolder(false);
        Answer created = user.call("POST", "/services", request(unique("bad"), model, 1, false));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String id = created.path("endpoint_id").asText();
        await().atMost(WAIT).until(() -> user.call("GET", "/services/" + id + "/errors", null).path("errors").size() == 1);
        Answer errors = user.call("GET", "/services/" + id + "/errors", null);
        assertThat(errors.path("retries").asInt()).isEqualTo(1);
        assertThat(errors.path("errors").get(0).path("error").toString()).contains("model-definition.yaml");
        JsonNode view = endpoint(id);
        assertThat(view.path("routings").get(0).path("status").asText()).isEqualTo("FAILED_TO_START");
        assertThat(view.path("errors")).hasSize(1);
        // Its session gone, the endpoint alone still keeps the project from being purged.
        await().atMost(WAIT).until(() -> purge().contains("Project has active endpoints"));
        assertThat(user.call("POST", "/services/" + id + "/errors/clear", null).status()).isEqualTo(204);
        assertThat(user.call("DELETE", "/services/" + id, null).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> user.call("GET", "/services/" + id, null).status() == 404);
    }
}
