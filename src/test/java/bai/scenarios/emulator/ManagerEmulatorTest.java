package bai.scenarios.emulator;

import bai.scenarios.client.transport.HmacSigner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The emulator over real HTTP, request by hand: every check of the manager's auth middleware in
 * its order, with its status and problem type, and the public routes.
 */
class ManagerEmulatorTest {
    private static final String AK = "AKIAIOSFODNN7EXAMPLE";
    private static final String SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String USER_AK = "AKIANABBDUSEREXAMPLE";
    private static final String USER_SK = "C8qnIo29EZvXkPK_MXcuAakYTy4NYrxwmCEyNPlf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ManagerEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void rootReportsApiAndManagerVersion() throws Exception {
        var response = send("GET", "/", Map.of(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("version").asText()).isEqualTo("v9.20250722");
        assertThat(body.get("manager").asText()).startsWith("26.8.0rc1+emulator.");
        assertThat(response.headers().firstValue("Server")).contains("BackendAI");
    }

    @Test
    void healthProbesAnswer() throws Exception {
        assertThat(JSON.readTree(send("GET", "/health", Map.of(), null).body()).get("status").asText()).isEqualTo("ok");
        assertThat(send("GET", "/health/livez", Map.of(), null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health/readyz", Map.of(), null).body()).isEmpty();
    }

    @Test
    void signedEchoTestIsAuthorised() throws Exception {
        var response = send("POST", "/auth", signed("POST", "/auth", "application/json", AK, SK), "{\"echo\":\"hi\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("echo").asText()).isEqualTo("hi");
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("30000");
    }

    @Test
    void acceptsRequestsWithoutContentTypeSignedAsOctetStream() throws Exception {
        var headers = signed("GET", "/auth/test?x=a%20b", null, AK, SK);
        assertThat(send("GET", "/auth/test?x=a%20b", headers, null).statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsAKeyDayInTheHeadersOwnOffset() throws Exception {
        String date = OffsetDateTime.now(ZoneOffset.ofHours(9)).format(HmacSigner.DATE_FORMAT);
        var headers = signedAt("GET", "/auth", "application/json", AK, SK, date);
        assertThat(send("GET", "/auth", headers, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no date header               | 400 | invalid-auth-params
            date 20 minutes old          | 400 | invalid-auth-params
            unparseable date             | 400 | invalid-auth-params
            scheme only                  | 400 | invalid-auth-params
            wrong scheme                 | 400 | invalid-auth-params
            no credential                | 400 | invalid-auth-params
            unknown access key           | 401 | auth-failed
            missing version              | 400 | invalid-auth-params
            unsupported sign method      | 400 | invalid-auth-params
            tampered signature           | 401 | auth-failed
            signed for another path      | 401 | auth-failed
            unsupported api version      | 400 | generic-bad-request
            act-as by a normal user      | 403 | insufficient-privilege
            anonymous                    | 401 | auth-failed
            parameter without equals     | 500 | internal-server-error
            """)
    void refusesBrokenCredentialsLikeTheManager(String fault, int status, String type) throws Exception {
        Map<String, String> headers = signed("GET", "/auth", "application/json", AK, SK);
        switch (fault) {
            case "no date header" -> headers.remove("Date");
            case "date 20 minutes old" -> headers = signedAt("GET", "/auth", "application/json", AK, SK,
                    OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20).format(HmacSigner.DATE_FORMAT));
            case "unparseable date" -> headers.put("Date", "yesterday");
            case "scheme only" -> headers.put("Authorization", "BackendAI");
            case "wrong scheme" -> headers.put("Authorization", headers.get("Authorization").replace("BackendAI", "Bearer"));
            case "no credential" -> headers.put("Authorization", "BackendAI signMethod=HMAC-SHA256");
            case "unknown access key" -> headers = signed("GET", "/auth", "application/json", "AKIANOSUCHKEY", SK);
            case "missing version" -> headers.remove("X-BackendAI-Version");
            case "unsupported sign method" -> headers.put("Authorization",
                    headers.get("Authorization").replace("HMAC-SHA256", "HMAC-WHIRLPOOL"));
            case "tampered signature" -> headers.put("Authorization", headers.get("Authorization").replaceAll(".$", "x"));
            case "signed for another path" -> headers = signed("GET", "/auth/test", "application/json", AK, SK);
            case "unsupported api version" -> headers = signedFor("GET", "/auth", "application/json", AK, SK,
                    "v9.20990101");
            case "act-as by a normal user" -> {
                headers = signed("GET", "/auth", "application/json", USER_AK, USER_SK);
                headers.put("X-BackendAI-Act-As", "f38dea23-50fa-42a0-b5ae-338f5f4693f4");
            }
            case "anonymous" -> headers.remove("Authorization");
            case "parameter without equals" -> headers.put("Authorization", "BackendAI garbage");
            default -> throw new IllegalArgumentException(fault);
        }
        var response = send("GET", "/auth", headers, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("https://api.backend.ai/probs/" + type);
    }

    @Test
    void unknownRouteIsA404ProblemEvenWithoutCredentials() throws Exception {
        var response = send("GET", "/no/such/route", Map.of(), null);
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).endsWith("/url-not-found");
        assertThat(body.get("error_code").asText()).isEqualTo("api_read_not-found");
        assertThat(body.get("data").asText()).isEqualTo("/no/such/route");
    }

    @Test
    void wrongMethodIsA405WithAllow() throws Exception {
        var response = send("DELETE", "/auth", Map.of(), null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow").orElseThrow()).contains("GET", "POST");
    }

    @Test
    void malformedBodiesAreRefusedAndTheEmulatorKeepsRunning() throws Exception {
        var headers = signed("POST", "/auth", "application/json", AK, SK);
        var notJson = send("POST", "/auth", headers, "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).get("title").asText()).isEqualTo("Malformed request body.");
        var missingField = send("POST", "/auth", signed("POST", "/auth", "application/json", AK, SK), "{}");
        assertThat(missingField.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missingField.body()).get("error_code").asText()).isEqualTo("api_parsing_invalid-parameters");
        var wrongType = send("POST", "/auth", signed("POST", "/auth", "application/json", AK, SK), "{\"echo\":5}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(send("GET", "/health", Map.of(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void methodOverrideRedispatches() throws Exception {
        var headers = signed("POST", "/auth", "application/json", AK, SK);
        headers.put("X-Method-Override", "GET");
        var response = send("POST", "/auth", headers, "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("echo").asText()).isEmpty();
    }

    @Test
    void loginHandsOutTheUsersDefaultKeypair() throws Exception {
        var response = send("POST", "/auth/authorize", Map.of("Content-Type", "application/json"),
                "{\"type\": \"keypair\", \"domain\": \"default\", \"username\": \"user@lablup.com\","
                        + " \"password\": \"C8qnIo29\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = JSON.readTree(response.body()).get("data");
        assertThat(data.get("access_key").asText()).isEqualTo(USER_AK);
        assertThat(data.get("secret_key").asText()).isEqualTo(USER_SK);
        assertThat(data.get("role").asText()).isEqualTo("user");
        assertThat(data.get("response_type").asText()).isEqualTo("success");
    }

    @ParameterizedTest
    @CsvSource({"user@lablup.com, wrong, default", "nobody@lablup.com, C8qnIo29, default",
        "user@lablup.com, C8qnIo29, other-domain"})
    void badLoginsAreA401(String email, String password, String domain) throws Exception {
        var response = send("POST", "/auth/authorize", Map.of("Content-Type", "application/json"),
                "{\"type\": \"keypair\", \"domain\": \"" + domain + "\", \"username\": \"" + email
                        + "\", \"password\": \"" + password + "\"}");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("type").asText()).endsWith("/auth-failed");
    }

    @Test
    void rolesFollowUserRoleAndKeypairFlag() throws Exception {
        JsonNode admin = JSON.readTree(send("GET", "/auth/role", signed("GET", "/auth/role", null, AK, SK), null).body());
        assertThat(admin.get("global_role").asText()).isEqualTo("superadmin");
        assertThat(admin.get("domain_role").asText()).isEqualTo("admin");
        JsonNode user = JSON.readTree(send("GET", "/auth/role", signed("GET", "/auth/role", null, USER_AK, USER_SK),
                null).body());
        assertThat(user.get("global_role").asText()).isEqualTo("user");
        assertThat(user.get("domain_role").asText()).isEqualTo("user");
        assertThat(user.get("group_role").isNull()).isTrue();
    }

    @Test
    void adminGraphQLAnswers200WithDataAndErrors() throws Exception {
        var response = send("POST", "/admin/gql", signed("POST", "/admin/gql", "application/json", USER_AK, USER_SK),
                "{\"query\": \"{ domains { name } }\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("data")).isTrue();
        assertThat(body.get("errors").get(0).get("extensions").get("code").asText())
                .isEqualTo("backendai_generic_forbidden");
        var noQuery = send("POST", "/admin/gql", signed("POST", "/admin/gql", "application/json", AK, SK), "{}");
        assertThat(noQuery.statusCode()).isEqualTo(400);
    }

    @Test
    void bindsToLoopbackOnly() {
        assertThatThrownBy(() -> ManagerEmulator.start("8.8.8.8", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    private static Map<String, String> signed(String method, String target, String contentType, String ak, String sk) {
        return signedAt(method, target, contentType, ak, sk, OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT));
    }

    private static Map<String, String> signedFor(String method, String target, String contentType, String ak, String sk,
                                                 String version) {
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
        Map<String, String> headers = headers(contentType, date, version);
        String host = HmacSigner.host(emulator.endpoint());
        headers.put("Authorization", HmacSigner.authorization(ak, HmacSigner.signature(sk,
                new HmacSigner.Signable(method, target, date, host, contentType, version))));
        return headers;
    }

    private static Map<String, String> signedAt(String method, String target, String contentType, String ak, String sk,
                                                String date) {
        Map<String, String> headers = headers(contentType, date, HmacSigner.API_VERSION);
        String host = HmacSigner.host(emulator.endpoint());
        headers.put("Authorization", HmacSigner.authorization(ak, HmacSigner.signature(sk,
                new HmacSigner.Signable(method, target, date, host, contentType))));
        return headers;
    }

    private static Map<String, String> headers(String contentType, String date, String version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Date", date);
        headers.put("X-BackendAI-Version", version);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return headers;
    }

    private static HttpResponse<String> send(String method, String target, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + target))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
