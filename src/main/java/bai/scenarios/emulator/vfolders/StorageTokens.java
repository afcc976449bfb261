package bai.scenarios.emulator.vfolders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storage proxy's session tokens: HS256 JSON Web Tokens, as the real proxy mints them, signed
 * with a secret of this emulator (random per start, never written anywhere) and carrying the
 * operation, volume, folder ({@code vfid}), path, size and expiry ({@code exp}, seconds). Opaque
 * to clients; a token the proxy did not sign, or one past its expiry, is refused.
 */
final class StorageTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final String HEADER = ENCODE.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final byte[] secret = new byte[32];
    private final Duration lifetime;
    private final Clock clock;

    /** Why a token was refused, with PyJWT's words for it. */
    static final class Refused extends Exception {
        enum Reason { MALFORMED, SIGNATURE, EXPIRED }

        final Reason reason;

        Refused(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    StorageTokens(Duration lifetime, Clock clock) {
        new SecureRandom().nextBytes(secret);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A token for {@code claims} plus {@code exp} (now + the session lifetime, in whole seconds). */
    String mint(Map<String, Object> claims) {
        Map<String, Object> payload = new LinkedHashMap<>(claims);
        payload.put("exp", clock.instant().plus(lifetime).getEpochSecond());
        try {
            String body = ENCODE.encodeToString(JSON.writeValueAsBytes(payload));
            return HEADER + "." + body + "." + ENCODE.encodeToString(sign(HEADER + "." + body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("token claims are not serialisable", e);
        }
    }

    /** The claims of a token this proxy signed and that has not expired. */
    JsonNode verify(String token) throws Refused {
        if (token == null) {
            throw new Refused(Refused.Reason.MALFORMED, "Not enough segments");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused(Refused.Reason.MALFORMED, "Not enough segments");
        }
        JsonNode header;
        JsonNode payload;
        byte[] signature;
        try {
            header = JSON.readTree(DECODE.decode(parts[0]));
            payload = JSON.readTree(DECODE.decode(parts[1]));
            signature = DECODE.decode(parts[2]);
        } catch (IllegalArgumentException | IOException e) {
            throw new Refused(Refused.Reason.MALFORMED, "Invalid token encoding");
        }
        if (header == null || !"HS256".equals(header.path("alg").asText())) {
            throw new Refused(Refused.Reason.MALFORMED, "The specified alg value is not allowed");
        }
        if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
            throw new Refused(Refused.Reason.SIGNATURE, "Signature verification failed");
        }
        if (payload == null || !payload.isObject()) {
            throw new Refused(Refused.Reason.MALFORMED, "Invalid payload string: must be a json object");
        }
        JsonNode exp = payload.get("exp");
        if (exp != null) {
            if (!exp.isNumber()) {
                throw new Refused(Refused.Reason.MALFORMED, "Expiration Time claim (exp) must be an integer.");
            }
            if (exp.asLong() <= clock.instant().getEpochSecond()) {
                throw new Refused(Refused.Reason.EXPIRED, "Signature has expired");
            }
        }
        return payload;
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
