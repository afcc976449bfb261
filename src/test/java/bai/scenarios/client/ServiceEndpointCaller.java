package bai.scenarios.client;

import bai.scenarios.client.transport.Exchange;
import bai.scenarios.client.transport.Redaction;
import bai.scenarios.client.transport.SecretsSeen;
import bai.scenarios.client.transport.SharedHttpClients;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Calls a model service's endpoint, the URL the manager gives as {@code service_endpoint}: the
 * app proxy in front of the service's replicas. It is not the manager, so nothing is signed; a
 * private endpoint wants a token of the service in {@code Authorization: BackendAI <token>} (the
 * app proxy takes {@code Bearer} as well). Plain JDK {@link HttpClient}; every call is recorded,
 * the token hidden, into the same evidence as the manager's calls. Immutable and thread-safe.
 */
public final class ServiceEndpointCaller {
    /** One JDK client per connect timeout, shared by every instance. */
    private static final SharedHttpClients CLIENTS = new SharedHttpClients(
            builder -> builder.followRedirects(HttpClient.Redirect.NEVER));

    private final Duration timeout;
    private final Consumer<Exchange> evidence;
    private final HttpClient http;

    public ServiceEndpointCaller(Duration timeout, Consumer<Exchange> evidence) {
        this.timeout = timeout;
        this.evidence = evidence;
        this.http = CLIENTS.forConnectTimeout(timeout);
    }

    /** The JDK client this instance sends through (for tests). */
    HttpClient http() {
        return http;
    }

    /**
     * What the endpoint answered: a status and body, or, when nothing listens there, no answer
     * ({@link #connectionRefused()}).
     */
    public record Answer(String call, int status, String body, boolean connectionRefused) {
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON (an empty node when it is not JSON). */
        public JsonNode json() {
            try {
                return ApiResult.JSON.readTree(body);
            } catch (IOException | RuntimeException e) {
                return ApiResult.JSON.missingNode();
            }
        }

        /**
         * Who answered an inference call: the {@code replica} (inference session id) the suite's
         * echo model reports, or the {@code route_id} an emulator's stand-in reports; null if neither.
         */
        public String replica() {
            JsonNode json = json();
            String replica = json.path("replica").asText(null);
            return replica != null ? replica : json.path("route_id").asText(null);
        }

        public String describe() {
            return connectionRefused ? call + ": connection refused" : call + " answered " + status + " " + body;
        }
    }

    /**
     * {@code GET <endpoint>/<path>} once the endpoint routes requests: while nothing listens yet or
     * the app proxy answers 502, 503 or 504 (it has no healthy route yet), asks again, at most for
     * {@code wait}; then returns whatever it answered last (a refusal such as 401 at once).
     */
    public Answer getWhenRouted(URI endpoint, String path, Optional<String> token, Duration wait) {
        java.util.concurrent.atomic.AtomicReference<Answer> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await("the endpoint " + endpoint + " to route requests").atMost(wait)
                    .pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO).until(() -> {
                        Answer answer = get(endpoint, path, token);
                        last.set(answer);
                        return !answer.connectionRefused() && answer.status() != 502 && answer.status() != 503
                                && answer.status() != 504;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the last answer tells the caller what the endpoint kept saying
        }
        return last.get();
    }

    /**
     * Makes inference calls to a public endpoint until one is answered by {@code replica} (any of
     * its ids: route or inference session; at most
     * {@code wait}: new traffic ratios take a moment to reach the app proxy), then makes
     * {@code calls} more calls in a row and returns their answers, whoever gave them.
     */
    public java.util.List<Answer> callsAnsweredBy(URI endpoint, String path, java.util.Set<String> replica, int calls,
                                                  Duration wait) {
        java.util.concurrent.atomic.AtomicReference<Answer> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await("replica " + replica + " to answer at " + endpoint).atMost(wait)
                    .pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO).until(() -> {
                        Answer answer = infer(endpoint, path);
                        last.set(answer);
                        return replica.contains(answer.replica());
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("replica " + replica + " did not answer at " + endpoint + " within "
                    + wait.toSeconds() + " s; last answer: " + (last.get() == null ? "none" : last.get().describe()));
        }
        java.util.List<Answer> answers = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            answers.add(infer(endpoint, path));
        }
        return answers;
    }

    /** Waits (at most {@code wait}) until nothing listens at the endpoint any more; the last answer. */
    public Answer awaitConnectionRefused(URI endpoint, Duration wait) {
        java.util.concurrent.atomic.AtomicReference<Answer> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            org.awaitility.Awaitility.await("the endpoint " + endpoint + " to refuse connections").atMost(wait)
                    .pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO).until(() -> {
                        Answer answer = get(endpoint, "/health", Optional.empty());
                        last.set(answer);
                        return answer.connectionRefused();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller reports the last answer
        }
        return last.get();
    }

    /** An inference call: {@code POST <endpoint>/<path>} with a small JSON body, no token. */
    public Answer infer(URI endpoint, String path) {
        return send("POST", endpoint, path, Optional.empty(), "{\"input\": \"hello\"}");
    }

    /** {@code GET <endpoint>/<path>}, with the service's token when one is given. */
    public Answer get(URI endpoint, String path, Optional<String> token) {
        return send("GET", endpoint, path, token, null);
    }

    private Answer send(String method, URI endpoint, String path, Optional<String> token, String jsonBody) {
        String base = endpoint.toString().endsWith("/") ? endpoint.toString().substring(0, endpoint.toString().length() - 1)
                : endpoint.toString();
        URI uri = URI.create(base + (path.startsWith("/") ? path : "/" + path));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        if (jsonBody == null) {
            builder.GET();
        } else {
            builder.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        token.ifPresent(t -> {
            SecretsSeen.remember(t);
            builder.header("Authorization", "BackendAI " + t);
        });
        HttpRequest request = builder.build();
        long started = System.nanoTime();
        String call = method + " " + uri;
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            record(request, jsonBody, response.statusCode(), Redaction.body(response.body(), contentType), started);
            return new Answer(call, response.statusCode(), body, false);
        } catch (ConnectException refused) {
            record(request, jsonBody, 0, "(no answer: connection refused)", started);
            return new Answer(call, 0, "", true);
        } catch (IOException e) {
            record(request, jsonBody, 0, "(no answer: " + e.getClass().getSimpleName() + ")", started);
            throw new ManagerUnreachable("cannot reach the service endpoint " + uri + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + uri, e);
        }
    }

    private void record(HttpRequest request, String requestBody, int status, String body, long started) {
        Map<String, String> sent = new LinkedHashMap<>();
        request.headers().map().forEach((name, values) -> sent.put(name,
                name.equalsIgnoreCase("authorization") ? "BackendAI " + Redaction.HIDDEN : String.join(", ", values)));
        evidence.accept(new Exchange(request.method(), request.uri().toString(), sent,
                requestBody == null ? "" : requestBody, status, Map.of(), body,
                (System.nanoTime() - started) / 1_000_000));
    }
}
