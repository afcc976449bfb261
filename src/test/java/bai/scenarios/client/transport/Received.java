package bai.scenarios.client.transport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The target's answer to one request: status, headers (several values of one name joined with
 * {@code ", "}) and the whole body.
 */
public record Received(int status, Map<String, String> headers, byte[] body) {
    public Received {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A header's value, its name matched ignoring case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return entry.getValue();
            }
        }
        return null;
    }

    public String contentType() {
        return header("Content-Type");
    }
}
