package bai.scenarios.client.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the suite handled in this run (secret keys, signatures, passwords, tokens),
 * remembered only as a SHA-256 digest, so that the report hygiene check can prove none of them
 * reached a report or log without the secrets themselves ever being written down.
 */
public final class SecretsSeen {
    /** Where the digests go at the end of a run, for {@code bai.scenarios.hygiene.ReportHygiene}. */
    public static final Path DIGESTS = Path.of("target", "bai-secret-digests.txt");
    private static final Set<String> DIGESTS_SEEN = ConcurrentHashMap.newKeySet();
    private static final int SHORTEST = 8;

    private SecretsSeen() {
    }

    /** Remembers a secret (too-short values would match ordinary words, so they are skipped). */
    public static void remember(String secret) {
        if (secret != null && secret.length() >= SHORTEST) {
            DIGESTS_SEEN.add(digest(secret));
        }
    }

    public static String digest(String text) {
        return HEX.formatHex(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: looking the algorithm up per call cost the hygiene scan ~0.1 s. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    /** Writes the digests of this run (sorted, one per line). */
    public static void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n", new TreeSet<>(DIGESTS_SEEN)) + "\n");
    }

    static int count() {
        return DIGESTS_SEEN.size();
    }
}
