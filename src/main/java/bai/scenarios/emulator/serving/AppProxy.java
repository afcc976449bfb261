package bai.scenarios.emulator.serving;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The app proxy's inference side: one loopback HTTP listener per model service, forwarding each
 * request to one of the service's healthy replicas chosen by traffic ratio. Private services need
 * {@code Authorization: BackendAI <token>} (or {@code Bearer}), a token the manager issued for
 * that service and not expired; otherwise {@code 401 invalid-credentials} as the app proxy's
 * worker answers. Nothing blocks a thread: bodies are read and upstream calls made asynchronously.
 */
final class AppProxy {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "authorization");

    /** What the proxy asks the manager's side per request: the verdict on credentials and a replica port. */
    interface Circuit {
        /** Null when the request may pass, else the app proxy's error message (E2000x: ...). */
        String credentialError(String authorizationHeader);

        /** A healthy replica's port chosen by traffic ratio, or null when there is none. */
        Integer pickReplica();
    }

    /** A started listener: its URL and how to stop it. */
    record Listener(Undertow server, int port) {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        void stop() {
            server.stop();
        }
    }

    /** Binds a listener on a free loopback port (slow: call off the state lock, off request workers). */
    Listener start(Circuit circuit) {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(1).setWorkerThreads(1)
                .setHandler(exchange -> handle(exchange, circuit)).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return new Listener(server, port);
    }

    private void handle(HttpServerExchange exchange, Circuit circuit) {
        String denied = exchange.getRequestMethod().toString().equals("OPTIONS") ? null
                : circuit.credentialError(exchange.getRequestHeaders().getFirst("Authorization"));
        if (denied != null) {
            problem(exchange, 401, "invalid-credentials", "Authentication credentials not valid.", denied);
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getRequestReceiver().receiveFullBytes(
                // Dispatched again, so that the exchange stays open until the replica's answer is sent.
                (ex, body) -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> forward(ex, body, circuit)),
                (ex, failure) -> problem(ex, 400, "generic-bad-request", "Bad request.", String.valueOf(failure))));
    }

    private void forward(HttpServerExchange exchange, byte[] body, Circuit circuit) {
        Integer port = circuit.pickReplica();
        if (port == null) {
            problem(exchange, 503, "service-unavailable", "Service Unavailable.",
                    "No healthy route is available for this endpoint");
            return;
        }
        String query = exchange.getQueryString();
        URI target = URI.create("http://127.0.0.1:" + port + exchange.getRequestPath()
                + (query == null || query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod().toString(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach(values -> {
            String name = values.getHeaderName().toString();
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> {
                    try {
                        request.header(name, value);
                    } catch (IllegalArgumentException restricted) {
                        // a header the JDK client sets itself
                    }
                });
            }
        });
        client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) ->
                exchange.getIoThread().execute(() -> {
                    if (failure != null) {
                        problem(exchange, 502, "bad-gateway", "Bad Gateway.", "the replica did not answer");
                        return;
                    }
                    exchange.setStatusCode(response.statusCode());
                    response.headers().map().forEach((name, values) -> {
                        if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                            exchange.getResponseHeaders().putAll(new HttpString(name), values);
                        }
                    });
                    exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
                }));
    }

    /** The client to the replicas, shared by every app proxy in the JVM. */
    HttpClient client() {
        return ReplicaClient.HTTP;
    }

    /**
     * Built at the first forwarded request rather than with the emulator (the holder loads then):
     * building one loads the TLS stack and starts a selector thread, and most runs serve no model.
     * One per JVM, not per emulator: tests start dozens. Its threads are daemons.
     */
    private static final class ReplicaClient {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    private static void problem(HttpServerExchange exchange, int status, String type, String title, String msg) {
        Function<String, String> quote = text -> "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String json = "{\"type\": " + quote.apply("https://api.backend.ai/probs/" + type) + ", \"title\": "
                + quote.apply(title) + ", \"msg\": " + quote.apply(msg) + "}";
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(new HttpString("Content-Type"), "application/problem+json");
        exchange.getResponseSender().send(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }
}
