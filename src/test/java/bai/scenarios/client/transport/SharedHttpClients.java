package bai.scenarios.client.transport;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * One JDK client per connect timeout for a kind of caller, shared by all its instances (as
 * {@link JdkTransport} shares its one): each client starts its own selector thread, and the
 * manager client makes a storage-proxy or endpoint caller per call. The clients' threads are
 * daemons; a request's own timeout stays on the request.
 */
public final class SharedHttpClients {
    private final UnaryOperator<HttpClient.Builder> settings;
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /** {@code settings}: what this kind of caller sets beyond the connect timeout. */
    public SharedHttpClients(UnaryOperator<HttpClient.Builder> settings) {
        this.settings = settings;
    }

    public HttpClient forConnectTimeout(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout,
                connect -> settings.apply(HttpClient.newBuilder()).connectTimeout(connect).build());
    }
}
