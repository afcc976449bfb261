package bai.scenarios.client.storage;

import bai.scenarios.client.transport.Redaction;
import bai.scenarios.client.transport.SecretsSeen;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What the manager hands out for one transfer: the storage proxy's URL (e.g.
 * {@code http://127.0.0.1:6021/upload}) and the token that authorises it. The token is a secret
 * for as long as it lives: {@link #toString()} never shows it.
 */
public record TransferTicket(URI url, String token) {
    public TransferTicket {
        if (url == null || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("a transfer needs the proxy's URL and a token");
        }
        SecretsSeen.remember(token); // the report hygiene check then proves it never reached a report
    }

    /** The URL to call, with the token (and any extra query) appended. */
    URI address(String extraQuery) {
        String base = url.toString();
        String query = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + (extraQuery == null || extraQuery.isEmpty() ? "" : "&" + extraQuery);
        return URI.create(base + (url.getRawQuery() == null ? "?" : "&") + query);
    }

    @Override
    public String toString() {
        return "TransferTicket[" + Redaction.uri(address(null).toString()) + "]";
    }
}
