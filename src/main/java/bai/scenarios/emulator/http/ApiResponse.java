package bai.scenarios.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

/**
 * What a handler answers: status, content type, body bytes and extra headers; or an event
 * stream; or an answer that comes {@link #later} (the handler returns at once and no thread waits
 * for it).
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers,
                          EventStream stream, CompletableFuture<ApiResponse> deferred, WebSocketSession webSocket) {
    static final ObjectMapper JSON = new ObjectMapper();

    public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null, null, null);
    }

    /** A 200 whose body is a stream of server-sent events. */
    public static ApiResponse eventStream(EventStream stream) {
        return new ApiResponse(200, "text/event-stream", new byte[0], new LinkedHashMap<>(), stream, null, null);
    }

    /** An answer that {@code answer} completes with (an {@link ApiError} failure becomes problem+json). */
    public static ApiResponse later(CompletableFuture<ApiResponse> answer) {
        return new ApiResponse(0, null, new byte[0], new LinkedHashMap<>(), null, answer, null);
    }

    /**
     * A {@code 101 Switching Protocols} to a WebSocket that {@code session} then serves. A request
     * that is no WebSocket upgrade gets aiohttp's refusal instead: {@code 400 generic-bad-request}.
     */
    public static ApiResponse webSocket(WebSocketSession session) {
        return new ApiResponse(101, null, new byte[0], new LinkedHashMap<>(), null, null, session);
    }

    public boolean isDeferred() {
        return deferred != null;
    }

    /** A JSON answer as aiohttp's {@code json_response} sends it. */
    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, "application/json; charset=utf-8", toJson(value), new LinkedHashMap<>());
    }

    public static ApiResponse ok(Object value) {
        return json(200, value);
    }

    /** A body-less answer (aiohttp's bare {@code web.Response(status=...)}). */
    public static ApiResponse empty(int status) {
        return new ApiResponse(status, "application/octet-stream", new byte[0], new LinkedHashMap<>());
    }

    public static ApiResponse problem(ApiError error) {
        ApiResponse response = new ApiResponse(error.status(), "application/problem+json", toJson(error.body()),
                new LinkedHashMap<>());
        response.headers().putAll(error.headers());
        return response;
    }

    static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response is not serialisable as JSON", e);
        }
    }
}
