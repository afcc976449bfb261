package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the suite's GraphQL documents against {@code POST /admin/gql}. Each document lives in
 * {@code src/test/resources/bai/scenarios/graphql/<Operation>.graphql} and holds one operation of
 * that name. A non-empty {@code errors} array fails the call even on HTTP 200.
 */
public final class AdminGraphQLClient {
    private static final String DOCUMENTS = "/bai/scenarios/graphql/";
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
    /** {@code mutation Name($a: T!, $b: U!) { field(...) { ... } }}: the variable list and the field. */
    private static final Pattern SINGLE_MUTATION =
            Pattern.compile("\\s*mutation\\s+\\w+\\s*\\(([^)]*)\\)\\s*\\{(.*)\\}\\s*", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)");

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

    /** Runs a legacy mutation and returns its result object, refusing when it says {@code ok: false}. */
    public JsonNode mutate(Mutation mutation) {
        return mutate(mutation.name(), mutation.field(), mutation.variables());
    }

    /**
     * One legacy mutation: the suite's document {@code name}, its result field, its variables. A
     * batch of them travels in one request ({@link #mutateAll}).
     */
    public record Mutation(String name, String field, Map<String, ?> variables) {
    }

    /**
     * Runs several legacy mutations in one request: a document whose top-level fields are the
     * mutations' own documents, aliased {@code m0}, {@code m1}, … with their variables renamed to
     * match. GraphQL executes a mutation's top-level fields one after another, in order, and one
     * field's refusal does not stop the next, so the batch does what the single calls would, in the
     * same order. Returns, per mutation, its result object or its refusal; throws only when the
     * request as a whole fails.
     */
    public List<Outcome> mutateAll(List<Mutation> mutations) {
        JsonNode answer = client.post("/admin/gql", batch(mutations)).orThrow().json();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < mutations.size(); i++) {
            Mutation mutation = mutations.get(i);
            String alias = "m" + i;
            GraphQLRejection refusal = null;
            for (JsonNode error : answer.path("errors")) {
                if (alias.equals(error.path("path").path(0).asText())) {
                    refusal = GraphQLRejection.error(mutation.name(), error.path("message").asText(),
                            error.path("extensions").path("code").asText(null));
                    break;
                }
            }
            JsonNode result = answer.path("data").path(alias);
            if (refusal == null && !result.path("ok").asBoolean(false)) {
                refusal = result.isMissingNode() || result.isNull()
                        ? GraphQLRejection.error(mutation.name(), "no result for " + alias + " in the batch: "
                        + answer.path("errors"), null)
                        : GraphQLRejection.notOk(mutation.name(), result.path("msg").asText());
            }
            outcomes.add(new Outcome(refusal == null ? result : null, refusal));
        }
        return outcomes;
    }

    /** The request body of a batch: {@code query} (operation {@code Batch}), {@code variables}, {@code operation_name}. */
    public static Map<String, Object> batch(List<Mutation> mutations) {
        StringBuilder definitions = new StringBuilder();
        StringBuilder fields = new StringBuilder();
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int i = 0; i < mutations.size(); i++) {
            Mutation mutation = mutations.get(i);
            String alias = "m" + i;
            Matcher single = SINGLE_MUTATION.matcher(document(mutation.name()));
            if (!single.matches()) {
                throw new IllegalArgumentException(mutation.name() + " is not a single mutation with variables");
            }
            for (String definition : single.group(1).split(",")) {
                definitions.append(definitions.length() == 0 ? "" : ", ")
                        .append(VARIABLE.matcher(definition.trim()).replaceAll("\\$" + alias + "_$1"));
            }
            fields.append("  ").append(alias).append(": ")
                    .append(VARIABLE.matcher(single.group(2).trim()).replaceAll("\\$" + alias + "_$1")).append('\n');
            mutation.variables().forEach((key, value) -> variables.put(alias + "_" + key, value));
        }
        String name = "Batch";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", "mutation " + name + "(" + definitions + ") {\n" + fields + "}\n");
        body.put("variables", variables);
        body.put("operation_name", name);
        return body;
    }

    /** One mutation's part of a batch: its result object, or its refusal. */
    public record Outcome(JsonNode result, GraphQLRejection refusal) {
        /** The result, or the refusal thrown. */
        public JsonNode orThrow() {
            if (refusal != null) {
                throw refusal;
            }
            return result;
        }
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
