package bai.scenarios.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Map;

/** A routed, authenticated request handed to a handler. */
public record ApiCall(ApiRequest request, Caller caller, Map<String, String> pathParams) {

    /**
     * The JSON body, parsed as the manager's {@code BodyParam} does: no body or invalid JSON is a
     * "Malformed request body." 400 whose message names the full URL, as aiohttp's
     * {@code request.url} spells it.
     */
    public JsonNode jsonBody() {
        byte[] body = request.body();
        String where = "Malformed body - URL: " + request.url() + ", Method: " + request.method();
        if (body.length == 0) {
            throw Problems.malformedRequestBody(where);
        }
        try {
            JsonNode node = ApiResponse.JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Problems.malformedRequestBody(where);
            }
            return node;
        } catch (IOException e) {
            throw Problems.malformedRequestBody(where);
        }
    }

    /** A required string field of a body model; mirrors pydantic's messages for the two common faults. */
    public static String requiredString(JsonNode body, String model, String field) {
        JsonNode value = body.isObject() ? body.get(field) : null;
        if (!body.isObject()) {
            throw Problems.invalidApiParameters("1 validation error for " + model + "\n  Input should be a valid dictionary");
        }
        if (value == null) {
            throw Problems.invalidApiParameters("1 validation error for " + model + "\n" + field + "\n  Field required");
        }
        if (!value.isTextual()) {
            throw Problems.invalidApiParameters(
                    "1 validation error for " + model + "\n" + field + "\n  Input should be a valid string");
        }
        return value.asText();
    }
}
