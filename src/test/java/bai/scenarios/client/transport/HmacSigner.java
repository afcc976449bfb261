package bai.scenarios.client.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Backend.AI's HMAC-SHA256 request signature, as the manager verifies it: seven lines (method,
 * final encoded path and query, the exact Date text, host, bare media type, API version, hash of
 * the empty body) signed with a key derived from the secret, the date header's own calendar day
 * and the host.
 */
public final class HmacSigner {
    /** The REST API version this suite speaks. */
    public static final String API_VERSION = "v9.20250722";
    /** SHA-256 of the empty byte string: the manager never signs bodies of current API versions. */
    public static final String EMPTY_BODY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** ISO 8601 with microseconds and an explicit offset, as the official Python client sends it. */
    public static final DateTimeFormatter DATE_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT);
    private static final String ALGORITHM = "HmacSHA256";
    /** BASIC_ISO_DATE would append the offset; the key uses the bare day. */
    private static final DateTimeFormatter KEY_DAY = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);

    private HmacSigner() {
    }

    /**
     * What a signature covers. {@code contentType} is the header as sent, or null when none is
     * sent; {@code version} is the {@code X-BackendAI-Version} header sent.
     */
    public record Signable(String method, String pathAndQuery, String date, String host, String contentType,
                           String version) {
        public Signable(String method, String pathAndQuery, String date, String host, String contentType) {
            this(method, pathAndQuery, date, host, contentType, API_VERSION);
        }
    }

    public static String stringToSign(Signable request) {
        return String.join("\n",
                request.method().toUpperCase(Locale.ROOT),
                request.pathAndQuery(),
                request.date(),
                "host:" + request.host(),
                "content-type:" + mediaType(request.contentType()),
                "x-backendai-version:" + request.version(),
                EMPTY_BODY_HASH);
    }

    public static String signature(String secretKey, Signable request) {
        return HexFormat.of().formatHex(hmac(hostKey(secretKey, request.date(), request.host()),
                stringToSign(request)));
    }

    /** The {@code Authorization} header value for a signed request. */
    public static String authorization(String accessKey, String signature) {
        return "BackendAI signMethod=HMAC-SHA256, credential=" + accessKey + ":" + signature;
    }

    /** First derived key: the secret over the date header's own day (its offset, not UTC). */
    public static byte[] dateKey(String secretKey, String date) {
        String day = OffsetDateTime.parse(date, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .format(KEY_DAY);
        return hmac(secretKey.getBytes(StandardCharsets.UTF_8), day);
    }

    /** Second derived key: the date key over the host. */
    public static byte[] hostKey(String secretKey, String date, String host) {
        return hmac(dateKey(secretKey, date), host);
    }

    /**
     * The media type the manager signs: parameters such as {@code charset} dropped, lower case,
     * and {@code application/octet-stream} when the request carries no Content-Type.
     */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The Host header for an endpoint: host name, plus {@code :port} only when it is not the scheme's default. */
    public static String host(URI uri) {
        String host = uri.getHost();
        if (host != null && host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80)
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443);
        return defaultPort ? host : host + ":" + port;
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
        }
    }
}
