package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.Agent;
import bai.scenarios.emulator.sessions.SessionService;
import bai.scenarios.emulator.sessions.SessionSnapshot;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.sessions.TimingProfile;
import bai.scenarios.emulator.state.BootstrapData;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.StateLock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An emulator's state, registry and admin GraphQL without HTTP in between, for the resolver
 * tests: the halfstack accounts, the given agents, and sessions started through the REST
 * handler's own create. Close it to stop the scheduler and the kernels.
 */
final class GraphQLWorld implements AutoCloseable {
    static final BigInteger GIB = BigInteger.valueOf(1024L * 1024 * 1024);
    static final Caller SUPERADMIN = caller("AKIAIOSFODNN7EXAMPLE", true, "f38dea23-50fa-42a0-b5ae-338f5f4693f4",
            "admin@lablup.com", "superadmin");
    static final Caller DOMAIN_ADMIN = caller("AKIAHUKCHDEZGEXAMPLE", true, "4f13d193-f646-425a-a340-270c4d2b9860",
            "domain-admin@lablup.com", "admin");
    static final Caller USER = caller("AKIANABBDUSEREXAMPLE", false, "dfa9da54-4b28-432f-be29-c0d680c7a412",
            "user@lablup.com", "user");
    static final Caller USER2 = caller("AKIANATWOUSEREXAMPLE", false, "009fb1a4-487c-4f6e-9b1b-228b94b1d040",
            "user2@lablup.com", "user");
    static final Caller MONITOR = caller("AKIANAMONITOREXAMPLE", false, "2e10157d-20ca-4bd0-9806-3f909cbcd0e6",
            "monitor@lablup.com", "monitor");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Directory directory;
    final Sessions sessions;
    final AdminGraphQL graphQL;
    final SessionService service;

    /** {@code agents}: each with this many CPUs and GiB; none leaves every session PENDING. */
    GraphQLWorld(int agents, int cpu, int gib) {
        StateLock state = new StateLock();
        BootstrapData bootstrap = BootstrapData.load();
        directory = new Directory(bootstrap, state);
        List<Agent> list = new java.util.ArrayList<>();
        for (int i = 1; i <= agents; i++) {
            list.add(new Agent("i-test-agent-" + i, BigDecimal.valueOf(cpu), GIB.multiply(BigInteger.valueOf(gib))));
        }
        sessions = Sessions.standalone(state, list, TimingProfile.FAST, "python3");
        graphQL = new AdminGraphQL(directory, sessions);
        service = new SessionService(sessions, directory, bootstrap.document().path("session_templates"));
    }

    static Caller caller(String accessKey, boolean admin, String uuid, String email, String role) {
        return new Caller(accessKey, admin, 30000, UUID.fromString(uuid), email, role, "default", UUID.fromString(uuid));
    }

    Map<String, Object> run(Caller caller, String query) {
        return run(caller, query, Map.of());
    }

    Map<String, Object> run(Caller caller, String query, Map<String, Object> variables) {
        return graphQL.execute(caller, query, variables, null);
    }

    /** {@code data.<field>} of an answer that must have no errors. */
    @SuppressWarnings("unchecked")
    static <T> T data(Map<String, Object> answer, String field) {
        if (answer.get("errors") != null) {
            throw new AssertionError("unexpected errors: " + answer.get("errors"));
        }
        return (T) ((Map<String, Object>) answer.get("data")).get(field);
    }

    /** The first error of an answer that must have one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> error(Map<String, Object> answer) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) answer.get("errors");
        if (errors == null || errors.isEmpty()) {
            throw new AssertionError("expected an error, got " + answer);
        }
        return errors.get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> list) {
        return (List<Map<String, Object>>) list.get("items");
    }

    /** Starts an interactive python session as {@code caller} (enqueue only) and returns its id. */
    UUID start(Caller caller, String name, String cpu, String mem) {
        ObjectNode body = JSON.createObjectNode();
        body.put("session_name", name);
        body.put("image", "python");
        body.put("enqueue_only", true);
        ObjectNode resources = body.putObject("config").putObject("resources");
        resources.put("cpu", cpu);
        resources.put("mem", mem);
        ApiResponse response = service.create(caller, body);
        try {
            JsonNode answer = JSON.readTree(response.body());
            return UUID.fromString(answer.path("sessionId").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitStatus(UUID id, String status) {
        Awaitility.await("session " + id + " to be " + status).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> sessions.snapshot(id).map(SessionSnapshot::status).orElse("").equals(status));
    }

    void destroy(UUID id) {
        sessions.byId(id).ifPresent(s -> sessions.destroy(s, true));
    }

    @Override
    public void close() {
        sessions.close();
    }
}
