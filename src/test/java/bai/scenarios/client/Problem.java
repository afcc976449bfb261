package bai.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A manager error ({@code application/problem+json}). Scenarios assert {@link #status()} and at
 * most {@link #typeSlug()}: titles and messages vary between manager versions.
 */
public record Problem(int status, String type, String title, String errorCode, String msg) {
    private static final String TYPE_PREFIX = "https://api.backend.ai/probs/";

    static Problem from(int status, JsonNode body) {
        return new Problem(status, text(body, "type"), text(body, "title"), text(body, "error_code"), text(body, "msg"));
    }

    /** The last part of the type URI, e.g. {@code auth-failed}. */
    public String typeSlug() {
        return type != null && type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    @Override
    public String toString() {
        return status + " " + typeSlug() + (msg == null ? "" : " (" + msg + ")");
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
