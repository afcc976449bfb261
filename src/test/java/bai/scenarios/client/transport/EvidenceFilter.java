package bai.scenarios.client.transport;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records every exchange, redacted, for the report. Runs last before the wire, so it sees the
 * headers the signing filter set.
 */
public final class EvidenceFilter implements Filter {
    private final Consumer<Exchange> sink;

    public EvidenceFilter(Consumer<Exchange> sink) {
        this.sink = sink;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
                           FilterContext context) {
        long started = System.nanoTime();
        Response response = context.next(request, responseSpec);
        long millis = (System.nanoTime() - started) / 1_000_000;

        Map<String, String> requestHeaders = new LinkedHashMap<>();
        for (Header header : request.getHeaders()) {
            requestHeaders.put(header.getName(), Redaction.header(header.getName(), header.getValue()));
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            responseHeaders.put(header.getName(), Redaction.header(header.getName(), header.getValue()));
        }
        sink.accept(new Exchange(request.getMethod(), Redaction.uri(request.getURI()), requestHeaders,
                Redaction.body(requestBytes(request.getBody()), request.getContentType()),
                response.getStatusCode(), responseHeaders,
                Redaction.body(response.asByteArray(), response.getContentType()), millis));
        return response;
    }

    private static byte[] requestBytes(Object body) {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
