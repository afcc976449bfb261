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
    private final Map<String, Object> rawBody;
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
        this.rawBody = null;
    }

    /**
     * An error whose document is exactly {@code body} (the storage proxy's plain aiohttp errors carry
     * no {@code error_code}, some no {@code msg}).
     */
    ApiError(int status, Map<String, Object> body) {
        super(status + " " + body, null, false, false);
        this.status = status;
        this.typeSlug = String.valueOf(body.get("type")).replace(TYPE_PREFIX, "");
        this.title = String.valueOf(body.get("title"));
        this.errorCode = null;
        this.msg = body.get("msg") == null ? null : String.valueOf(body.get("msg"));
        this.data = body.get("data");
        this.agentDetails = null;
        this.rawBody = new LinkedHashMap<>(body);
    }

    static String typeUrl(String slug) {
        return TYPE_PREFIX + slug;
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

    /** The manager's {@code error_code}, or null for an error that has none (agent-wrapped, storage proxy). */
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
        if (rawBody != null) {
            return new LinkedHashMap<>(rawBody);
        }
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
