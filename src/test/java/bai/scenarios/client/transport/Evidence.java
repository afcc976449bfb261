package bai.scenarios.client.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns one sent request and its answer into the redacted {@link Exchange} the report shows. */
public final class Evidence {
    private Evidence() {
    }

    public static Exchange of(OutgoingRequest request, Received received, long millis) {
        return new Exchange(request.method(), Redaction.uri(request.uri().toString()), redacted(request.headers()),
                Redaction.body(request.body(), request.contentType()), received.status(),
                redacted(received.headers()), Redaction.body(received.body(), received.contentType()), millis);
    }

    private static Map<String, String> redacted(Map<String, String> headers) {
        Map<String, String> safe = new LinkedHashMap<>();
        headers.forEach((name, value) -> safe.put(name, Redaction.header(name, value)));
        return safe;
    }
}
