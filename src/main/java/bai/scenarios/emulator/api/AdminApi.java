package bai.scenarios.emulator.api;

import bai.scenarios.emulator.graphql.AdminGraphQL;
import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code POST /admin/gql}: the admin GraphQL endpoint. Answers 200 once the request parses. */
public final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminApi() {
    }

    public static void register(Router router, AdminGraphQL graphQL) {
        register(router, CompletableFuture.completedFuture(graphQL));
    }

    /** With the schema still being built: a request that comes first waits for it, without a worker. */
    public static void register(Router router, CompletableFuture<AdminGraphQL> graphQL) {
        router.add("POST", "/admin/gql", AccessLevel.USER, call -> graphQL.isDone() && !graphQL.isCompletedExceptionally()
                ? execute(call, graphQL.join())
                : ApiResponse.later(graphQL.thenApply(ready -> execute(call, ready))));
    }

    @SuppressWarnings("unchecked")
    private static ApiResponse execute(ApiCall call, AdminGraphQL graphQL) {
        JsonNode body = call.jsonBody();
        String query = ApiCall.requiredString(body, "GraphQLRequest", "query");
        JsonNode variables = body.path("variables");
        if (!variables.isMissingNode() && !variables.isNull() && !variables.isObject()) {
            throw Problems.invalidApiParameters("1 validation error for GraphQLRequest\nvariables\n"
                    + "  Input should be a valid dictionary");
        }
        JsonNode operation = body.has("operation_name") ? body.get("operation_name") : body.path("operationName");
        Map<String, Object> vars = variables.isObject() ? JSON.convertValue(variables, Map.class) : Map.of();
        return ApiResponse.ok(graphQL.execute(call.caller(), query, vars,
                operation.isTextual() ? operation.asText() : null));
    }
}
