package bai.scenarios.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: status, content type, body bytes and extra headers. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, Streamer streamer) {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a streamed body (server-sent events) until the client goes away. */
    @FunctionalInterface
    public interface Streamer {
        void stream(java.io.OutputStream out) throws java.io.IOException;
    }

    public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    /** A 200 whose body is written by {@code streamer} as it goes. */
    public static ApiResponse streaming(String contentType, Streamer streamer) {
        return new ApiResponse(200, contentType, new byte[0], new LinkedHashMap<>(), streamer);
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
