package bai.scenarios.client.transport;

import bai.scenarios.client.ApiResult;
import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.ManagerUnreachable;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both transports put the same request on the wire: the encoded path and query, a signature the
 * manager's own check accepts for exactly what arrived, the JSON or multipart body, and the
 * answer and its evidence come back whole.
 */
class TransportTest {
    private static final Credentials KEYPAIR = new Credentials("AKIATRANSPORTTEST", "transport-secret");
    private HttpServer server;
    private URI endpoint;
    private final List<Arrived> arrived = Collections.synchronizedList(new ArrayList<>());
    private final List<Exchange> evidence = Collections.synchronizedList(new ArrayList<>());

    record Arrived(String method, String rawPathAndQuery, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/base");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", values)));
        arrived.add(new Arrived(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                headers, exchange.getRequestBody().readAllBytes()));
        byte[] answer = "{\"token\": \"hidden-token\", \"ok\": true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("X-Answer", "one");
        exchange.sendResponseHeaders(201, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private ManagerClient client(Transport.Kind kind) {
        return new ManagerClient(endpoint, KEYPAIR, new ClientOptions(Clock.systemUTC(), List.of(), evidence::add,
                Duration.ofSeconds(10)).over(kind.transport()));
    }

    /** What the manager computes from the request it received, as the emulator and the real one do. */
    private static String expectedSignature(Arrived request) {
        return HmacSigner.signature(KEYPAIR.secretKey(), new HmacSigner.Signable(request.method(),
                request.rawPathAndQuery(), request.header("Date"), request.header("Host"), request.header("Content-Type"),
                request.header("X-BackendAI-Version")));
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void aJsonRequestArrivesEncodedAndSignedForWhatArrived(Transport.Kind kind) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("path", "a dir/ü&x=1");
        query.put("owner_user_email", "user@example.com");
        query.put("group_ids", List.of("g1", "g2"));
        ApiResult result = client(kind).send("POST", "/folders/my data%/files", query, Map.of("name", "x"));

        assertThat(arrived).hasSize(1);
        Arrived request = arrived.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPathAndQuery()).isEqualTo(
                "/base/folders/my%20data%25/files?path=a%20dir%2F%C3%BC%26x%3D1&owner_user_email=user%40example.com"
                        + "&group_ids=g1&group_ids=g2");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"x\"}");
        assertThat(request.header("Host")).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
        assertThat(request.header("X-BackendAI-Version")).isEqualTo(HmacSigner.API_VERSION);
        assertThat(request.header("Authorization"))
                .isEqualTo(HmacSigner.authorization(KEYPAIR.accessKey(), expectedSignature(request)));

        assertThat(result.status()).isEqualTo(201);
        assertThat(result.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(result.json().path("ok").asBoolean()).isTrue();
        assertThat(result.call()).isEqualTo("POST /folders/my data%/files");
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void aBodylessRequestIsSignedAsOctetStream(Transport.Kind kind) {
        client(kind).get("/auth");

        Arrived request = arrived.get(0);
        assertThat(request.body()).isEmpty();
        assertThat(request.header("Content-Type")).isNull();
        assertThat(request.header("Authorization"))
                .isEqualTo(HmacSigner.authorization(KEYPAIR.accessKey(), expectedSignature(request)));
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void filesTravelAsMultipartParts(Transport.Kind kind) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.py", "print(42)\n".getBytes(StandardCharsets.UTF_8));
        files.put("data.bin", new byte[] {0, 1, (byte) 0xff});
        client(kind).upload("/session/s1/upload", "src", files);

        Arrived request = arrived.get(0);
        String contentType = request.header("Content-Type");
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
        String body = new String(request.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).startsWith("--" + boundary + "\r\n").endsWith("--" + boundary + "--\r\n")
                .contains("Content-Disposition: form-data; name=\"src\"; filename=\"main.py\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\nprint(42)\n\r\n")
                .contains("filename=\"data.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001\u00ff\r\n");
        assertThat(request.header("Authorization"))
                .isEqualTo(HmacSigner.authorization(KEYPAIR.accessKey(), expectedSignature(request)));
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void evidenceRecordsTheExchangeWithSecretsHidden(Transport.Kind kind) {
        client(kind).post("/auth", Map.of("echo", "x", "password", "hunter2"));

        assertThat(evidence).hasSize(1);
        Exchange exchange = evidence.get(0);
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.uri()).endsWith("/base/auth");
        assertThat(exchange.status()).isEqualTo(201);
        assertThat(exchange.requestHeaders()).containsKeys("Host", "Date", "X-BackendAI-Version");
        assertThat(exchange.requestHeaders().get("Authorization")).endsWith(":" + Redaction.HIDDEN);
        assertThat(exchange.requestBody()).contains("\"echo\"").doesNotContain("hunter2");
        assertThat(exchange.responseBody()).contains("\"ok\"").doesNotContain("hidden-token");
        assertThat(exchange.responseHeaders()).containsValue("one");
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void aClosedPortIsUnreachableNotAStackOfTransportErrors(Transport.Kind kind) throws IOException {
        // Bound but not listening: refused, and no emulator another test starts meanwhile can take it.
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
            int closed = holder.getLocalPort();
            ManagerClient client = new ManagerClient(URI.create("http://127.0.0.1:" + closed), KEYPAIR,
                    ClientOptions.plain(Duration.ofSeconds(5)).over(kind.transport()));

            assertThatThrownBy(() -> client.get("/"))
                    .isInstanceOf(ManagerUnreachable.class)
                    .hasMessageStartingWith("cannot reach the manager at http://127.0.0.1:" + closed + " (");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void aFailedCheckSendsNothing(Transport.Kind kind) {
        ManagerClient client = new ManagerClient(endpoint, KEYPAIR, new ClientOptions(Clock.systemUTC(),
                List.of(request -> {
                    throw new IllegalStateException("refused " + request.method() + " " + request.uri().getRawPath());
                }), evidence::add, Duration.ofSeconds(10)).over(kind.transport()));

        assertThatThrownBy(() -> client.get("/auth")).hasMessage("refused GET /base/auth");
        assertThat(arrived).isEmpty();
        assertThat(evidence).isEmpty();
    }
}
