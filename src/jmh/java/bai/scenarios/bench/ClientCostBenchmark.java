package bai.scenarios.bench;

import bai.scenarios.client.ApiResult;
import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.HmacSigner;
import bai.scenarios.client.transport.Transport;
import bai.scenarios.contract.ContractCheck;
import bai.scenarios.contract.GraphQlContract;
import bai.scenarios.contract.OpenApiContract;
import bai.scenarios.timing.ScenarioClock;
import bai.scenarios.world.Evidence;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The suite client's cost per request against a bare JDK {@code HttpClient}, both talking to the
 * same loopback server (a JDK {@code HttpServer} with {@code nodelay} answering every request with
 * the same small JSON, so the server's share is the same for both), over each of the client's two
 * transports (the JDK's, the default, and REST Assured's: "RestAssured"). Two requests the suite sends
 * most: a REST {@code GET /session/{name}} (the status polls) and a GraphQL {@code POST /admin/gql}
 * (fixtures and their release). The suite client runs as in a scenario: HMAC
 * signing, the evidence recording (redaction into the scenario's evidence), the phase clock, and the
 * contract check against the real {@code openapi.json} / {@code schema.graphql}
 * ({@code ../shared/reference}); "noContract" leaves the check out, and the "only" benchmarks time
 * signing and each contract check alone. Run it with {@code .ci/jmh}; the README has the result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ClientCostBenchmark {
    private static final Path REFERENCE = Path.of(System.getProperty("bai.reference.dir", "../shared/reference"));
    private static final byte[] ANSWER = "{\"status\": \"RUNNING\", \"statusInfo\": null, \"image\": \"python\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String SESSION_PATH = "/session/testing-2611260100-bnch-session1";
    private static final Credentials KEYPAIR = new Credentials("AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private HttpServer server;
    private HttpClient jdk;
    private URI endpoint;
    private ManagerClient checked;
    private ManagerClient unchecked;
    private ManagerClient restAssured;
    private OpenApiContract openApi;
    private GraphQlContract graphQl;
    private Map<String, Object> graphQlBody;
    private byte[] graphQlBytes;
    private String graphQlDocument;
    private Map<String, Object> graphQlVariables;

    @Setup(Level.Trial)
    public void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            exchange.getResponseBody().write(ANSWER);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        openApi = OpenApiContract.load(REFERENCE.resolve("openapi.json"));
        graphQl = GraphQlContract.load(REFERENCE.resolve("schema.graphql"));
        Evidence evidence = new Evidence();
        ScenarioClock clock = new ScenarioClock();
        checked = new ManagerClient(endpoint, KEYPAIR, new ClientOptions(Clock.systemUTC(),
                List.of(new ContractCheck(openApi, graphQl)), evidence::record, Duration.ofSeconds(30), clock));
        restAssured = new ManagerClient(endpoint, KEYPAIR, new ClientOptions(Clock.systemUTC(),
                List.of(new ContractCheck(openApi, graphQl)), evidence::record, Duration.ofSeconds(30), clock)
                .over(Transport.Kind.REST_ASSURED.transport()));
        unchecked = new ManagerClient(endpoint, KEYPAIR, new ClientOptions(Clock.systemUTC(), List.of(),
                evidence::record, Duration.ofSeconds(30), clock));

        graphQlDocument = new String(ClientCostBenchmark.class.getResourceAsStream(
                "/bai/scenarios/graphql/CreateUser.graphql").readAllBytes(), StandardCharsets.UTF_8);
        graphQlVariables = new LinkedHashMap<>();
        graphQlVariables.put("email", "testing-2611260100-bnch-user1@example.com");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("username", "testing-2611260100-bnch-user1");
        props.put("password", "0123456789abcdef01234567");
        props.put("need_password_change", false);
        props.put("full_name", "Testing user");
        props.put("domain_name", "testing-2611260100-bnch-domain1");
        props.put("role", "user");
        props.put("status", "active");
        props.put("group_ids", List.of("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        props.put("resource_policy", "default");
        graphQlVariables.put("props", props);
        graphQlBody = new LinkedHashMap<>();
        graphQlBody.put("query", graphQlDocument);
        graphQlBody.put("variables", graphQlVariables);
        graphQlBody.put("operation_name", "CreateUser");
        graphQlBytes = new ObjectMapper().writeValueAsBytes(graphQlBody);
        // Fail at once, not after minutes of measuring, if the contract refuses what is sent.
        suiteGetSession();
        suitePostGraphQl();
        suiteGetSessionRestAssured();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.stop(0);
    }

    @Benchmark
    public byte[] jdkGetSession() throws IOException, InterruptedException {
        return jdk.send(HttpRequest.newBuilder(endpoint.resolve(SESSION_PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Benchmark
    public ApiResult suiteGetSession() {
        return checked.get(SESSION_PATH);
    }

    @Benchmark
    public ApiResult suiteGetSessionNoContract() {
        return unchecked.get(SESSION_PATH);
    }

    @Benchmark
    public ApiResult suiteGetSessionRestAssured() {
        return restAssured.get(SESSION_PATH);
    }

    @Benchmark
    public byte[] jdkPostGraphQl() throws IOException, InterruptedException {
        return jdk.send(HttpRequest.newBuilder(endpoint.resolve("/admin/gql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(graphQlBytes)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Benchmark
    public ApiResult suitePostGraphQl() {
        return checked.post("/admin/gql", graphQlBody);
    }

    @Benchmark
    public ApiResult suitePostGraphQlNoContract() {
        return unchecked.post("/admin/gql", graphQlBody);
    }

    @Benchmark
    public ApiResult suitePostGraphQlRestAssured() {
        return restAssured.post("/admin/gql", graphQlBody);
    }

    @Benchmark
    public String signOnly() {
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
        return HmacSigner.signature(KEYPAIR.secretKey(), new HmacSigner.Signable("GET", SESSION_PATH, date,
                HmacSigner.host(endpoint), null));
    }

    @Benchmark
    public void restContractOnly() {
        openApi.check("POST", "/admin/gql", null, "application/json", graphQlBytes);
    }

    @Benchmark
    public void graphQlContractOnly() {
        graphQl.check(graphQlDocument, graphQlVariables, "CreateUser");
    }
}
