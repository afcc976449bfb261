package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A raw answer of the manager: status, content type and body, parsed with Jackson on demand. */
public record ApiResult(String call, int status, String contentType, byte[] body) {
    static final ObjectMapper JSON = new ObjectMapper();

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public JsonNode json() {
        if (body.length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(call + " answered " + status + " with a body that is not JSON", e);
        }
    }

    /** This result if it succeeded; otherwise the manager's refusal as an exception. */
    public ApiResult orThrow() {
        if (isSuccess()) {
            return this;
        }
        JsonNode body = contentType != null && contentType.contains("json") ? safeJson() : null;
        throw new ManagerRejection(call, Problem.from(status, body));
    }

    private JsonNode safeJson() {
        try {
            return json();
        } catch (UncheckedIOException e) {
            return null;
        }
    }
}
