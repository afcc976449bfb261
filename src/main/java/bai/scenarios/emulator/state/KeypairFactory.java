package bai.scenarios.emulator.state;

import bai.scenarios.emulator.state.Entities.Keypair;

import java.security.SecureRandom;
import java.util.UUID;

/** New keypairs in the manager's format: "AKIA" + 16 upper-case characters, 40-character secret. */
public final class KeypairFactory {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ACCESS_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private KeypairFactory() {
    }

    public static Keypair create(UUID userId, boolean isAdmin, boolean isDefault, String resourcePolicy, int rateLimit) {
        return new Keypair("AKIA" + random(ACCESS_CHARS, 16), random(SECRET_CHARS, 40), userId, true, isAdmin,
                isDefault, resourcePolicy, rateLimit, 0, Records.now(), null);
    }

    private static String random(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
