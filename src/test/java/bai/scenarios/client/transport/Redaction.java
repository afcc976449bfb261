package bai.scenarios.client.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Keeps secrets (secret keys, signatures, passwords, tokens) out of logs and reports. */
public final class Redaction {
    public static final String HIDDEN = "<redacted>";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECRET_HEADERS = Set.of("x-backendai-token", "cookie", "set-cookie");
    private static final Set<String> SECRET_FIELDS = Set.of("password", "old_password", "new_password",
            "new_password2", "secret_key", "secretkey", "session_token", "sessiontoken", "token", "otp", "stoken");
    private static final Pattern SIGNATURE = Pattern.compile("(credential=[^:,\\s]+:)[^,\\s]+");
    /** A secret in a query string: the storage proxy's transfer token travels as {@code ?token=<JWT>}. */
    private static final Pattern QUERY_SECRET = Pattern.compile("([?&](?:token|secret_key|password)=)[^&#\\s]*",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_BODY_CHARS = 4096;

    private Redaction() {
    }

    /** A header value safe to print: signatures and tokens hidden, the access key kept. */
    public static String header(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("authorization")) {
            return SIGNATURE.matcher(value).replaceAll("$1" + HIDDEN);
        }
        return SECRET_HEADERS.contains(lower) ? HIDDEN : value;
    }

    /**
     * A URI (or any text holding one) safe to print: the values of {@code token}, {@code secret_key}
     * and {@code password} query parameters hidden, everything else kept.
     */
    public static String uri(String uri) {
        return uri == null ? null : QUERY_SECRET.matcher(uri).replaceAll("$1" + HIDDEN);
    }

    /** A body safe to print: secret JSON fields hidden at any depth, then truncated. */
    public static String body(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            text = redactJson(body);
        } else if (looksLikeText(body)) {
            text = new String(body, StandardCharsets.UTF_8);
        } else {
            text = "<" + body.length + " bytes of binary data>";
        }
        return truncate(text);
    }

    private static String redactJson(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            hideSecrets(tree);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException notJson) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static void hideSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(field -> {
                if (SECRET_FIELDS.contains(field.toLowerCase(Locale.ROOT)) && !object.get(field).isNull()) {
                    object.put(field, HIDDEN);
                }
            });
        }
        node.forEach(Redaction::hideSecrets);
    }

    private static boolean looksLikeText(byte[] body) {
        for (int i = 0; i < Math.min(body.length, 512); i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String text) {
        return text.length() <= MAX_BODY_CHARS ? text
                : text.substring(0, MAX_BODY_CHARS) + "\n… (" + (text.length() - MAX_BODY_CHARS) + " more characters)";
    }
}
