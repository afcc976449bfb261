package bai.scenarios.emulator;

import bai.scenarios.emulator.api.SpecApi;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static bai.scenarios.emulator.EmulatorCaller.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /spec/openapi} and {@code GET /spec/openapi/spec.json} as the manager answers them:
 * authentication first, then {@code 403 generic-forbidden} while introspection is off (the
 * default), the document given to the emulator while it is on.
 */
class OpenApiIntrospectionTest {
    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "Backend.AI Manager API", "version": "26.8.0rc1"},
             "paths": {"/auth": {"get": {"operationId": "auth.test"}}}}
            """;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;
    private static Path document;
    private static ManagerEmulator production;
    private static ManagerEmulator introspecting;

    @BeforeAll
    static void start() throws IOException {
        document = Files.writeString(dir.resolve("openapi.json"), DOCUMENT);
        production = ManagerEmulator.start("127.0.0.1", 0, Optional.empty());
        introspecting = ManagerEmulator.start("127.0.0.1", 0, Optional.of(document));
    }

    @AfterAll
    static void stop() {
        if (production != null) {
            production.close();
        }
        if (introspecting != null) {
            introspecting.close();
        }
    }

    private static EmulatorCaller user(ManagerEmulator emulator) {
        return EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(10));
    }

    private static HttpResponse<byte[]> anonymous(ManagerEmulator emulator, String path)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/spec/openapi/spec.json", "/spec/openapi"})
    void byDefaultIntrospectionIsOffAsOnAProductionManager(String path) throws IOException {
        HttpResponse<byte[]> response = user(production).raw("GET", path);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("https://api.backend.ai/probs/generic-forbidden");
        assertThat(problem.path("title").asText()).isEqualTo("Forbidden operation.");
        assertThat(problem.path("error_code").asText()).isEqualTo("backendai_generic_forbidden");
        assertThat(problem.has("msg")).as("the manager raises it without a message").isFalse();
        assertThat(production.openApiSpec()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/spec/openapi/spec.json", "/spec/openapi"})
    void anonymousCallersAreRefusedBeforeIntrospectionIsConsidered(String path) throws Exception {
        for (ManagerEmulator emulator : new ManagerEmulator[] {production, introspecting}) {
            HttpResponse<byte[]> response = anonymous(emulator, path);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).path("type").asText()).endsWith("/auth-failed");
        }
    }

    @Test
    void withADocumentAnyAuthenticatedUserGetsItUnchanged() {
        HttpResponse<byte[]> response = user(introspecting).raw("GET", "/spec/openapi/spec.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(DOCUMENT);
        assertThat(introspecting.openApiSpec().orElseThrow().pathCount()).isEqualTo(1);
    }

    @Test
    void withADocumentThePageIsHtmlPointingAtIt() {
        HttpResponse<byte[]> response = user(introspecting).raw("GET", "/spec/openapi");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/html");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("openapi/spec.json");
    }

    @Test
    void otherMethodsAreA405() {
        assertThat(user(introspecting).call("POST", "/spec/openapi/spec.json", Map.of()).status())
                .isEqualTo(405);
    }

    @Test
    void aDocumentThatCannotBePublishedStopsTheStartWithOneLine() throws IOException {
        Path notJson = Files.writeString(dir.resolve("not.json"), "<html/>");
        Path noPaths = Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}");
        assertThatThrownBy(() -> ManagerEmulator.start("127.0.0.1", 0, Optional.of(dir.resolve("missing.json"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.json").hasMessageContaining("does not exist")
                .hasMessageContaining(SpecApi.SETTING).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> SpecApi.load(notJson)).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> SpecApi.load(noPaths)).hasMessageContaining("is not an OpenAPI document");
    }
}
