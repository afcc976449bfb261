package bai.scenarios.client.transport;

import io.restassured.config.HttpClientConfig;
import org.apache.http.HttpResponse;
import org.apache.http.impl.client.DefaultConnectionKeepAliveStrategy;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.http.impl.conn.PoolingClientConnectionManager;
import org.apache.http.params.BasicHttpParams;
import org.apache.http.params.HttpConnectionParams;
import org.apache.http.params.HttpParams;
import org.apache.http.protocol.HttpContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Apache HTTP clients REST Assured sends through, one per timeout for the whole run, each
 * with a pool of kept-alive connections.
 *
 * <p>REST Assured's default builds a new {@code DefaultHttpClient} for every request (its
 * parameters, connection manager and a version lookup on the class path) and opens a new TCP
 * connection that it never shuts down: the socket stays open, on both ends, until the garbage
 * collector finalises the client. That was most of a request's cost and grew with the number of
 * requests made. With {@link #config} REST Assured reuses the pooled client instead.
 */
public final class ConnectionPool {
    /** An idle connection is reused for at most this long (a server may close it after a while). */
    static final long KEEP_ALIVE_MILLIS = 2_000;
    private static final int MAX_TOTAL = 64;
    private static final int MAX_PER_ROUTE = 32;
    private static final Map<Integer, DefaultHttpClient> CLIENTS = new ConcurrentHashMap<>();

    private ConnectionPool() {
    }

    /** An HTTP client configuration with these timeouts that sends through the shared pooled client. */
    public static HttpClientConfig config(int timeoutMillis) {
        return HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", timeoutMillis)
                .setParam("http.socket.timeout", timeoutMillis)
                .httpClientFactory(() -> client(timeoutMillis))
                .reuseHttpClientInstance();
    }

    static DefaultHttpClient client(int timeoutMillis) {
        return CLIENTS.computeIfAbsent(timeoutMillis, ConnectionPool::create);
    }

    @SuppressWarnings("deprecation") // REST Assured only accepts AbstractHttpClient (the 4.x API it is built on)
    private static DefaultHttpClient create(int timeoutMillis) {
        PoolingClientConnectionManager connections = new PoolingClientConnectionManager();
        connections.setMaxTotal(MAX_TOTAL);
        connections.setDefaultMaxPerRoute(MAX_PER_ROUTE);
        HttpParams params = new BasicHttpParams();
        DefaultHttpClient.setDefaultHttpParams(params); // HTTP/1.1, UTF-8, the User-Agent, as before
        HttpConnectionParams.setConnectionTimeout(params, timeoutMillis);
        HttpConnectionParams.setSoTimeout(params, timeoutMillis);
        HttpConnectionParams.setStaleCheckingEnabled(params, true);
        HttpConnectionParams.setTcpNoDelay(params, true);
        DefaultHttpClient client = new DefaultHttpClient(connections, params);
        DefaultConnectionKeepAliveStrategy announced = new DefaultConnectionKeepAliveStrategy();
        client.setKeepAliveStrategy((HttpResponse response, HttpContext context) -> {
            long millis = announced.getKeepAliveDuration(response, context);
            return millis < 0 ? KEEP_ALIVE_MILLIS : Math.min(millis, KEEP_ALIVE_MILLIS);
        });
        return client;
    }
}
