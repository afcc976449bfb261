package bai.scenarios.emulator.serving;

import bai.scenarios.emulator.state.Records;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** The app proxy's endpoint tokens: HS256 JWTs carrying the endpoint {@code id} and {@code exp}, as PyJWT checks them. */
final class Tokens {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Tokens() {
    }

    static String sign(byte[] secret, Map<String, Object> claims) {
        try {
            String header = ENCODER.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = ENCODER.encodeToString(Records.JSON.writeValueAsBytes(claims));
            return header + "." + payload + "." + ENCODER.encodeToString(mac(secret, header + "." + payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a valid, unexpired token; otherwise an exception with PyJWT's message. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> verify(byte[] secret, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not enough segments");
        }
        byte[] signature;
        Map<String, Object> claims;
        try {
            signature = DECODER.decode(parts[2]);
            claims = Records.JSON.readValue(DECODER.decode(parts[1]), Map.class);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new IllegalArgumentException("Invalid payload padding");
        }
        if (!MessageDigest.isEqual(signature, mac(secret, parts[0] + "." + parts[1]))) {
            throw new IllegalArgumentException("Signature verification failed");
        }
        Object exp = claims.get("exp");
        if (exp instanceof Number n && n.longValue() <= Instant.now().getEpochSecond()) {
            throw new IllegalArgumentException("Signature has expired");
        }
        return claims;
    }

    private static byte[] mac(byte[] secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
