package bai.scenarios.contract;

import bai.scenarios.client.transport.OutgoingRequest;
import bai.scenarios.client.transport.RequestCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Refuses to send a request the real manager's published schemas do not describe: the REST
 * operation must exist in {@code openapi.json} and its JSON body validate against the request
 * schema; GraphQL documents posted to {@code /admin/gql} must validate against
 * {@code schema.graphql}. A violation fails the scenario before anything reaches the target.
 */
public final class ContractCheck implements RequestCheck {
    static final String GRAPHQL_PATH = "/admin/gql";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiContract openApi;
    private final GraphQlContract graphQl;

    /** Either contract may be null: that half of the check is off. */
    public ContractCheck(OpenApiContract openApi, GraphQlContract graphQl) {
        this.openApi = openApi;
        this.graphQl = graphQl;
    }

    @Override
    public void check(OutgoingRequest request) {
        URI uri = request.uri();
        byte[] body = request.body();
        if (openApi != null) {
            openApi.check(request.method(), uri.getRawPath(), uri.getRawQuery(), request.contentType(), body);
        }
        if (graphQl != null && GRAPHQL_PATH.equals(uri.getRawPath()) && body.length > 0) {
            checkGraphQl(body);
        }
    }

    private void checkGraphQl(byte[] body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            throw new ContractViolation("Contract violation: POST " + GRAPHQL_PATH + " body is not JSON");
        }
        JsonNode variables = request.path("variables");
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = variables.isObject() ? JSON.convertValue(variables, Map.class) : Map.of();
        JsonNode operation = request.path("operation_name");
        graphQl.check(request.path("query").asText(), vars, operation.isTextual() ? operation.asText() : null);
    }
}
