package bai.scenarios.emulator.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the manager's pipeline sees it: the raw target (for signatures), the
 * decoded path (for routing), headers (case-insensitive) and the body bytes.
 */
public final class ApiRequest {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String remoteAddress;
    private final long refusedBodySize;

    public ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                      String remoteAddress) {
        this(method, rawPath, rawQuery, headers, body, remoteAddress, -1);
    }

    private ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                       String remoteAddress, long refusedBodySize) {
        this.refusedBodySize = refusedBodySize;
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body == null ? new byte[0] : body;
        this.remoteAddress = remoteAddress;
    }

    public String method() {
        return method;
    }

    /** The same request re-dispatched under another method ({@code X-Method-Override}). */
    public ApiRequest withMethod(String newMethod) {
        return new ApiRequest(newMethod, rawPath, rawQuery, headers, body, remoteAddress, refusedBodySize);
    }

    /** The same request with the body that was read after it was admitted. */
    public ApiRequest withBody(byte[] newBody) {
        return new ApiRequest(method, rawPath, rawQuery, headers, newBody, remoteAddress, -1);
    }

    /**
     * The same request whose body was not read because it exceeds {@code limit} bytes: a handler
     * that reads it gets the manager's answer (aiohttp's "request entity too large", which the
     * manager's exception middleware turns into a 400 {@code generic-bad-request}).
     */
    public ApiRequest withBodyRefused(long limit) {
        return new ApiRequest(method, rawPath, rawQuery, headers, new byte[0], remoteAddress, limit);
    }

    /** Path and query exactly as sent on the wire: what the manager signs ({@code request.raw_path}). */
    public String rawTarget() {
        return rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }

    /**
     * The request's absolute URL as aiohttp's {@code request.url} shows it in the manager's
     * messages: scheme, the {@code Host} header, and the raw path and query.
     */
    public String url() {
        String host = header("Host");
        return "http://" + (host == null || host.isEmpty() ? "localhost" : host) + rawTarget();
    }

    /** The percent-decoded path, used for routing and in not-found problems. */
    public String path() {
        try {
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return rawPath;
        }
    }

    /** A header value, or null; names are case-insensitive. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public byte[] body() {
        if (refusedBodySize >= 0) {
            throw Problems.requestTooLarge("Maximum request body size " + refusedBodySize + " exceeded");
        }
        return body;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** All values of a query parameter, decoded. */
    public List<String> queryValues(String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decodeQueryPart(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : decodeQueryPart(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    private static String decodeQueryPart(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part;
        }
    }

    /**
     * The media type the manager signs: lower-case, parameters stripped, and
     * {@code application/octet-stream} when no Content-Type was sent (aiohttp's default).
     */
    public String mediaType() {
        String raw = header("Content-Type");
        if (raw == null) {
            return "application/octet-stream";
        }
        String type = raw.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        // Python's email parser falls back to text/plain for anything that is not type/subtype.
        return type.matches("[^/\\s]+/[^/\\s]+") ? type : "text/plain";
    }
}
