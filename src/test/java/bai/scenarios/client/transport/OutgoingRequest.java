package bai.scenarios.client.transport;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request on its way to the manager, before it is sent: what the contract check reads, the
 * signer completes and the evidence records. Headers keep their order; names match ignoring case.
 */
public final class OutgoingRequest {
    private final String method;
    private final URI uri;
    private final byte[] body;
    private final String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /**
     * @param uri         the final, encoded URI
     * @param body        the bytes to send; empty for none
     * @param contentType the Content-Type header to send, or null for none
     */
    public OutgoingRequest(String method, URI uri, byte[] body, String contentType) {
        this.method = method;
        this.uri = uri;
        this.body = body == null ? new byte[0] : body;
        this.contentType = contentType;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** The encoded path and query, exactly as they go on the wire (and into the signature). */
    public String pathAndQuery() {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    public byte[] body() {
        return body;
    }

    public String contentType() {
        return contentType;
    }

    /** Sets a header, replacing any of the same name in another case. */
    public void header(String name, String value) {
        removeHeader(name);
        headers.put(name, value);
    }

    public void removeHeader(String name) {
        headers.keySet().removeIf(existing -> existing.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
    }

    /** The headers to send, in the order they were set. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }
}
