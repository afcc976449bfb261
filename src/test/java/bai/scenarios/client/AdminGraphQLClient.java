package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the suite's GraphQL documents against {@code POST /admin/gql}. Each document lives in
 * {@code src/test/resources/bai/scenarios/graphql/<Operation>.graphql} and holds one operation of
 * that name. A non-empty {@code errors} array fails the call even on HTTP 200.
 */
public final class AdminGraphQLClient {
    private static final String DOCUMENTS = "/bai/scenarios/graphql/";
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private final ManagerClient client;

    public AdminGraphQLClient(ManagerClient client) {
        this.client = client;
    }

    /** Runs operation {@code name} and returns its {@code data}. */
    public JsonNode run(String name, Map<String, ?> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", document(name));
        body.put("variables", variables);
        body.put("operation_name", name);
        JsonNode answer = client.post("/admin/gql", body).orThrow().json();
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            throw GraphQLRejection.error(name, first.path("message").asText(),
                    first.path("extensions").path("code").asText(null));
        }
        return answer.path("data");
    }

    /** Runs a legacy mutation and returns its result object, refusing when it says {@code ok: false}. */
    public JsonNode mutate(String name, String field, Map<String, ?> variables) {
        JsonNode result = run(name, variables).path(field);
        if (!result.path("ok").asBoolean(false)) {
            throw GraphQLRejection.notOk(name, result.path("msg").asText());
        }
        return result;
    }

    static String document(String name) {
        return CACHE.computeIfAbsent(name, key -> {
            try (InputStream in = AdminGraphQLClient.class.getResourceAsStream(DOCUMENTS + key + ".graphql")) {
                if (in == null) {
                    throw new IllegalArgumentException("no GraphQL document " + DOCUMENTS + key + ".graphql");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
