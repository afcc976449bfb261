package bai.scenarios.client.transport;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends through REST Assured over the pooled Apache clients of {@link ConnectionPool}, exactly as
 * prepared: the URI is already encoded (REST Assured must not encode it again) and no charset is
 * appended to the signed Content-Type.
 */
public final class RestAssuredTransport implements Transport {
    static final RestAssuredTransport INSTANCE = new RestAssuredTransport();
    private static final Map<Duration, RestAssuredConfig> CONFIGS = new ConcurrentHashMap<>();

    private RestAssuredTransport() {
    }

    @Override
    public Received send(OutgoingRequest request, Duration timeout) throws IOException {
        RequestSpecification spec = RestAssured.given().config(config(timeout)).urlEncodingEnabled(false);
        request.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                spec.contentType(value);
            } else {
                spec.header(name, value);
            }
        });
        if (request.body().length > 0) {
            spec.body(request.body());
        }
        Response response;
        try {
            response = spec.request(request.method(), request.uri().toString());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            if (rootCause(e) instanceof IOException io) {
                throw io;
            }
            throw e;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.merge(header.getName(), header.getValue(), (a, b) -> a + ", " + b);
        }
        return new Received(response.getStatusCode(), headers, response.asByteArray());
    }

    private static RestAssuredConfig config(Duration timeout) {
        return CONFIGS.computeIfAbsent(timeout, t -> RestAssuredConfig.config()
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))
                .httpClient(ConnectionPool.config((int) t.toMillis())));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
