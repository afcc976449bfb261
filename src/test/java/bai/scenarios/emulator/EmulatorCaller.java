package bai.scenarios.emulator;

import bai.scenarios.client.transport.HmacSigner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A lean signed caller of an emulator for the project's own tests (stress, responsiveness,
 * process tests): the JDK client, one keypair, JSON in and out. Not the suite's client: these
 * tests need many threads and no Cucumber world.
 */
public final class EmulatorCaller {
    public static final String SUPERADMIN_AK = "AKIAIOSFODNN7EXAMPLE";
    public static final String SUPERADMIN_SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String USER_AK = "AKIANABBDUSEREXAMPLE";
    public static final String USER_SK = "C8qnIo29EZvXkPK_MXcuAakYTy4NYrxwmCEyNPlf";
    public static final String USER2_AK = "AKIANATWOUSEREXAMPLE";
    public static final String USER2_SK = "P7oxTDdzHbEpUSs5v7r7EWj9yKstp8VpZ7SEyA-g";
    public static final String DOMAIN_ADMIN_AK = "AKIAHUKCHDEZGEXAMPLE";
    public static final String DOMAIN_ADMIN_SK = "cWbsM_vBB4CzTW7JdORRMx8SjGI3-wEXAMPLEKEY";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One client for every caller (each JDK client owns a selector thread; tests make dozens of callers). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Duration timeout;

    public EmulatorCaller(URI endpoint, String accessKey, String secretKey, Duration timeout) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.timeout = timeout;
    }

    /** The halfstack superadmin (admin@lablup.com) calling the emulator at {@code endpoint}. */
    public static EmulatorCaller superadmin(URI endpoint, Duration timeout) {
        return new EmulatorCaller(endpoint, SUPERADMIN_AK, SUPERADMIN_SK, timeout);
    }

    /** The halfstack user (user@lablup.com) calling the emulator at {@code endpoint}. */
    public static EmulatorCaller user(URI endpoint, Duration timeout) {
        return new EmulatorCaller(endpoint, USER_AK, USER_SK, timeout);
    }

    /** A status and a parsed body (null when empty or not JSON). */
    public record Answer(int status, JsonNode body) {
        public JsonNode path(String... names) {
            JsonNode node = body == null ? JSON.missingNode() : body;
            for (String name : names) {
                node = node.path(name);
            }
            return node;
        }
    }

    public Answer call(String method, String target, Object body) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request(method, target, body), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A signed call without a body, answered as it came: status, headers and bytes. */
    HttpResponse<byte[]> raw(String method, String target) {
        try {
            return HTTP.send(request(method, target, null), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    CompletableFuture<Answer> callAsync(String method, String target, Object body) {
        return HTTP.sendAsync(request(method, target, body), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(), parse(response.body())));
    }

    /** An admin GraphQL call; returns {@code data}, failing on GraphQL errors. */
    public JsonNode graphql(String query, Map<String, Object> variables) {
        Answer answer = call("POST", "/admin/gql", Map.of("query", query, "variables", variables));
        if (answer.status() != 200 || answer.path("errors").size() > 0) {
            throw new IllegalStateException("GraphQL call failed (" + answer.status() + "): " + answer.body());
        }
        return answer.path("data");
    }

    /** Opens the session event stream; the caller reads lines and closes it. */
    BufferedReader events(String query) {
        return stream("/events/session" + (query == null ? "" : "?" + query));
    }

    /** Opens any event stream (signed GET); the caller reads lines and closes it. */
    BufferedReader stream(String target) {
        try {
            HttpResponse<InputStream> response = HTTP.send(signed("GET", target, null, null)
                    .timeout(Duration.ofDays(1)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("event stream refused: " + response.statusCode());
            }
            return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest request(String method, String target, Object body) {
        byte[] bytes;
        try {
            bytes = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder builder = signed(method, target, bytes == null ? null : "application/json", bytes);
        return builder.timeout(timeout).method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    private HttpRequest.Builder signed(String method, String target, String contentType, byte[] body) {
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
        String signature = HmacSigner.signature(secretKey, new HmacSigner.Signable(method, target, date,
                HmacSigner.host(endpoint), contentType));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint + target))
                .header("Date", date)
                .header("X-BackendAI-Version", HmacSigner.API_VERSION)
                .header("Authorization", HmacSigner.authorization(accessKey, signature));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
