package bai.scenarios.config;

import bai.scenarios.client.ApiResult;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.contract.OpenApiContract;
import bai.scenarios.emulator.ManagerEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bai.contract.openapi=target}: the document the target publishes becomes the contract;
 * every way of not getting one is one readable line with what to do, and no secret.
 */
class PublishedOpenApiTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Credentials ADMIN = new Credentials("AKIAIOSFODNN7EXAMPLE", SECRET);
    private static final URI MANAGER = URI.create("http://mgr.example:8081");
    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "Backend.AI Manager API", "version": "26.8.0rc1"},
             "paths": {"/auth": {"post": {"operationId": "auth.test_post", "requestBody": {"required": true,
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VerifyAuthRequest"}}}}}}},
             "components": {"schemas": {"VerifyAuthRequest": {"type": "object",
               "properties": {"echo": {"type": "string"}}, "required": ["echo"]}}}}
            """;

    @TempDir
    static Path dir;
    private static ManagerEmulator production;
    private static ManagerEmulator introspecting;

    @BeforeAll
    static void start() throws IOException {
        production = ManagerEmulator.start("127.0.0.1", 0, Optional.empty());
        introspecting = ManagerEmulator.start("127.0.0.1", 0,
                Optional.of(Files.writeString(dir.resolve("openapi.json"), DOCUMENT)));
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

    private static ApiResult answer(int status, String contentType, String body) {
        return new ApiResult("GET /spec/openapi/spec.json", status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPublishedDocumentIsReadLikeAFile() {
        OpenApiContract contract = PublishedOpenApi.read(MANAGER, answer(200, "application/json; charset=utf-8",
                DOCUMENT), false);
        assertThat(contract.title()).isEqualTo("Backend.AI Manager API 26.8.0rc1");
        assertThat(contract.operationId("POST", "/auth")).contains("auth.test_post");
        assertThatThrownBy(() -> contract.check("POST", "/auth", null, "application/json",
                "{\"echoo\":\"x\"}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("echoo");
    }

    @Test
    void introspectionOffSaysHowToTurnItOnOrWhatToPassInstead() {
        String problem = "{\"type\": \"https://api.backend.ai/probs/generic-forbidden\", \"title\": \"Forbidden"
                + " operation.\", \"error_code\": \"backendai_generic_forbidden\"}";
        assertThatThrownBy(() -> PublishedOpenApi.read(MANAGER, answer(403, "application/problem+json", problem), false))
                .isInstanceOf(PreflightFailure.class)
                .hasMessageStartingWith("Preflight failed: bai.contract.openapi is 'target', but http://mgr.example:8081"
                        + " does not publish its OpenAPI document (GET /spec/openapi/spec.json answered 403"
                        + " generic-forbidden")
                .hasMessageContaining("allow-openapi-schema-introspection")
                .hasMessageContaining("BAI_CONTRACT_OPENAPI")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            404 | application/problem+json | {"type": "https://api.backend.ai/probs/url-not-found"}  | has no OpenAPI document route
            405 | application/problem+json | {"type": "https://api.backend.ai/probs/method-not-allowed"} | has no OpenAPI document route
            401 | application/problem+json | {"type": "https://api.backend.ai/probs/auth-failed", "msg": "a\\nb"} | answered 401 auth-failed (a b)
            500 | text/html                | <html>oops</html>                                      | answered 500 (text/html, 17 bytes)
            403 | text/html                | <html>proxy says no</html>                             | did not hand out its OpenAPI document (GET /spec/openapi/spec.json answered 403 (text/html, 26 bytes))
            200 | text/html                | <html>a web UI</html>                                  | not an OpenAPI document (text/html
            200 | application/json         | {"openapi": "3.1.0"}                                   | not an OpenAPI document
            """)
    void everyOtherAnswerIsOneLineToo(int status, String contentType, String body, String says) {
        assertThatThrownBy(() -> PublishedOpenApi.read(MANAGER, answer(status, contentType, body), false))
                .isInstanceOf(PreflightFailure.class)
                .hasMessageContaining(says)
                .hasMessageContaining("Set bai.contract.openapi (BAI_CONTRACT_OPENAPI) to the path")
                .hasMessageNotContaining("introspection")
                .hasMessageNotContaining("\n");
    }

    @Test
    void fromALiveEmulatorWithIntrospectionOn() {
        OpenApiContract contract = PublishedOpenApi.fetch(introspecting.endpoint(), ADMIN, Duration.ofSeconds(10), true);
        assertThat(contract.operationId("POST", "/auth")).contains("auth.test_post");
    }

    @Test
    void fromALiveEmulatorWithIntrospectionOffTheLineNamesTheEmulatorSetting() {
        assertThatThrownBy(() -> PublishedOpenApi.fetch(production.endpoint(), ADMIN, Duration.ofSeconds(10), true))
                .isInstanceOf(PreflightFailure.class)
                .hasMessageContaining("answered 403 generic-forbidden")
                .hasMessageContaining("-Dbai.emulator.openapi-spec=")
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnreachableTargetIsOneLine() throws IOException {
        // A port bound but not listening refuses connections, and stays ours while the check runs: a
        // port closed before the check could be taken by an emulator another test class starts.
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
            URI nowhere = URI.create("http://127.0.0.1:" + holder.getLocalPort());
            assertThatThrownBy(() -> PublishedOpenApi.fetch(nowhere, ADMIN, Duration.ofSeconds(5), false))
                    .isInstanceOf(PreflightFailure.class)
                    .hasMessageContaining("could not be asked for its OpenAPI document (cannot reach the manager at "
                            + nowhere)
                    .hasMessageNotContaining(SECRET)
                    .hasMessageNotContaining("\n");
        }
    }
}
