package bai.scenarios.client.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sends through one shared JDK {@link HttpClient}: HTTP/1.1 only (no {@code h2c} upgrade offer the
 * manager does not expect), kept-alive pooled connections, the request's own timeout.
 */
public final class JdkTransport implements Transport {
    static final JdkTransport INSTANCE = new JdkTransport();
    /** Headers the JDK client sets itself and refuses from callers; {@code Host} it derives from the URI. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private JdkTransport() {
    }

    @Override
    public Received send(OutgoingRequest request, Duration timeout) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(timeout)
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, value) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + request.method() + " "
                    + request.uri().getRawPath());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        return new Received(response.statusCode(), headers, response.body());
    }
}
