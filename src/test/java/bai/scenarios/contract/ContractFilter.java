package bai.scenarios.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

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
public final class ContractFilter implements Filter {
    static final String GRAPHQL_PATH = "/admin/gql";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiContract openApi;
    private final GraphQlContract graphQl;

    /** Either contract may be null: that half of the check is off. */
    public ContractFilter(OpenApiContract openApi, GraphQlContract graphQl) {
        this.openApi = openApi;
        this.graphQl = graphQl;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        URI uri = URI.create(request.getURI());
        byte[] body = bodyBytes(request.getBody());
        if (openApi != null) {
            openApi.check(request.getMethod(), uri.getRawPath(), uri.getRawQuery(), request.getContentType(), body);
        }
        if (graphQl != null && GRAPHQL_PATH.equals(uri.getRawPath()) && body.length > 0) {
            checkGraphQl(body);
        }
        return context.next(request, response);
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

    private static byte[] bodyBytes(Object body) {
        if (body == null) {
            return new byte[0];
        }
        return body instanceof byte[] bytes ? bytes : body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
