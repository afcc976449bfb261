package bai.scenarios.client.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The URI a request goes to: the endpoint (with any base path), a path written plainly (a folder
 * name with a space or a {@code %} in it is fine) and query parameters, percent-encoded once
 * (RFC 3986: everything but unreserved characters, and {@code /} between path segments); a
 * parameter whose value is a collection is repeated once per element.
 */
public final class RequestUri {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RequestUri() {
    }

    public static URI of(URI endpoint, String path, Map<String, ?> query) {
        StringBuilder uri = new StringBuilder(endpoint.getScheme()).append("://").append(endpoint.getRawAuthority());
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        uri.append(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        if (!path.startsWith("/")) {
            uri.append('/');
        }
        encode(path, true, uri);
        char separator = '?';
        for (Map.Entry<String, ?> parameter : query.entrySet()) {
            // A collection is the parameter repeated, once per value, as the manager's list parameters read it.
            Iterable<?> values = parameter.getValue() instanceof Iterable<?> many ? many : List.of(parameter.getValue());
            for (Object value : values) {
                uri.append(separator);
                encode(parameter.getKey(), false, uri);
                uri.append('=');
                encode(String.valueOf(value), false, uri);
                separator = '&';
            }
        }
        return URI.create(uri.toString());
    }

    static void encode(String text, boolean keepSlash, StringBuilder out) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
    }
}
