package bai.scenarios.emulator.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The manager's side of request signing: recomputes the signature from what arrived.
 * Written independently of the suite's signer so that each keeps the other honest.
 */
public final class HmacVerifier {
    /** hashlib names the manager accepts, mapped to the JDK's algorithm names. */
    private static final Map<String, String> HASHES = Map.of(
            "md5", "MD5", "sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256", "sha384", "SHA-384",
            "sha512", "SHA-512", "sha3_224", "SHA3-224", "sha3_256", "SHA3-256", "sha3_384", "SHA3-384",
            "sha3_512", "SHA3-512");

    private HmacVerifier() {
    }

    /**
     * Whether the JDK can compute this hashlib hash. The manager also accepts blake2b/blake2s, which
     * the emulator refuses as an unsupported hash type (no client is known to use them).
     */
    public static boolean supports(String hashName) {
        return HASHES.containsKey(hashName.toLowerCase(Locale.ROOT));
    }

    /** Hex digest of {@code body} (the manager hashes the empty body for every current version). */
    public static String bodyHash(String hashName, byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdkHash(hashName)).digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported hash " + hashName, e);
        }
    }

    /**
     * The expected signature: key chain secret → header day (YYYYMMDD) → host, then the
     * string to sign.
     */
    public static String signature(String hashName, String secretKey, String yyyymmdd, String host,
                                   String stringToSign) {
        byte[] dayKey = hmac(hashName, secretKey.getBytes(StandardCharsets.UTF_8), yyyymmdd);
        byte[] hostKey = hmac(hashName, dayKey, host);
        return HexFormat.of().formatHex(hmac(hashName, hostKey, stringToSign));
    }

    /** The seven signed lines, joined by newlines without a trailing one. */
    public static String stringToSign(String method, String rawTarget, String rawDate, String host,
                                      String mediaType, String versionHeaderName, String version, String bodyHash) {
        return String.join("\n", method, rawTarget, rawDate, "host:" + host, "content-type:" + mediaType,
                versionHeaderName + ":" + version, bodyHash);
    }

    /** Constant-time comparison, like Python's {@code secrets.compare_digest}. */
    public static boolean matches(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(String hashName, byte[] key, String message) {
        String algorithm = "Hmac" + jdkHash(hashName).replace("-", "");
        if (algorithm.startsWith("HmacSHA3")) {
            algorithm = "HmacSHA3-" + algorithm.substring("HmacSHA3".length());
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported HMAC " + algorithm, e);
        }
    }

    private static String jdkHash(String hashName) {
        String jdk = HASHES.get(hashName.toLowerCase(Locale.ROOT));
        if (jdk == null) {
            throw new IllegalArgumentException("unsupported hash " + hashName);
        }
        return jdk;
    }
}
