package bai.scenarios.emulator.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as {@code application/problem+json}, shaped like the manager's
 * {@code BackendAIError}: {@code type}, {@code title}, {@code error_code}, and {@code msg} /
 * {@code data} only when set. Throw it from anywhere in a handler; the pipeline renders it.
 */
public final class ApiError extends RuntimeException {
    private static final String TYPE_PREFIX = "https://api.backend.ai/probs/";

    private final int status;
    private final String typeSlug;
    private final String title;
    private final String errorCode;
    private final String msg;
    private final Object data;
    private final Map<String, Object> agentDetails;
    private final Map<String, String> headers = new LinkedHashMap<>();

    ApiError(int status, String typeSlug, String title, String errorCode, String msg, Object data) {
        this(status, typeSlug, title, errorCode, msg, data, null);
    }

    /**
     * An error wrapping an agent-side failure ({@code BackendAgentError}): its document is
     * {@code type}, {@code title} and {@code agent-details}, with no {@code error_code}.
     */
    ApiError(int status, String typeSlug, String title, Map<String, Object> agentDetails) {
        this(status, typeSlug, title, null, null, null, agentDetails);
    }

    private ApiError(int status, String typeSlug, String title, String errorCode, String msg, Object data,
                     Map<String, Object> agentDetails) {
        super(status + " " + typeSlug + (msg == null ? "" : ": " + msg), null, false, false);
        this.status = status;
        this.typeSlug = typeSlug;
        this.title = title;
        this.errorCode = errorCode;
        this.msg = msg;
        this.data = data;
        this.agentDetails = agentDetails;
    }

    public int status() {
        return status;
    }

    public String typeSlug() {
        return typeSlug;
    }

    public String msg() {
        return msg;
    }

    /** The manager's {@code error_code}; null for an agent-wrapped error. */
    public String errorCode() {
        return errorCode;
    }

    public String title() {
        return title;
    }

    /** Adds a response header (e.g. {@code Allow} on 405). */
    public ApiError withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The problem document, in the manager's key order. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + typeSlug);
        body.put("title", title);
        if (agentDetails != null) {
            body.put("agent-details", agentDetails);
            return body;
        }
        body.put("error_code", errorCode);
        if (msg != null) {
            body.put("msg", msg);
        }
        if (data != null) {
            body.put("data", data);
        }
        return body;
    }
}
