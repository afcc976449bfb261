package bai.scenarios.hygiene;

import bai.scenarios.client.transport.SecretsSeen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The suite's own hygiene: after a run, looks through everything it wrote ({@code reports/}: the
 * living report, the machine reports, the console log) for any secret the run handled — secret
 * keys, signatures, passwords, tokens, known only by their digests ({@link SecretsSeen}) — also
 * inside base64 attachments. Runs in {@code mvn verify} after the scenarios; fails the build on a
 * find and names the file, never the secret.
 */
public final class ReportHygiene {
    /**
     * Runs of at least {@link #SHORTEST} characters a key, signature, password or token is made of
     * ({@code [A-Za-z0-9+/=_.:~-]}); a table, not a regex: the reports are megabytes (~0.5 s saved).
     */
    private static final boolean[] TOKEN = table("+/=_.:~-");
    /** The characters of the standard and the URL-safe base64 alphabets (padding aside). */
    private static final boolean[] BASE64 = table("+/");
    private static final boolean[] BASE64_URL = table("-_");
    private static final int SHORTEST = 8;
    private static final int BASE64_DEPTH = 2;

    private ReportHygiene() {
    }

    /** A secret's digest found in a file (the secret itself is never shown). */
    public record Finding(Path file, String digest) {
        @Override
        public String toString() {
            return file + " holds a secret of this run (sha256 " + digest.substring(0, 12) + "…)";
        }
    }

    public static void main(String[] args) throws IOException {
        Path reports = Path.of(args.length > 0 ? args[0] : "reports");
        if (!Files.exists(SecretsSeen.DIGESTS) || !Files.isDirectory(reports)) {
            System.out.println("bai-scenarios report hygiene: no run to check (" + SecretsSeen.DIGESTS + " or "
                    + reports + " missing)");
            return;
        }
        Set<String> digests = new HashSet<>(Files.readAllLines(SecretsSeen.DIGESTS));
        digests.remove("");
        List<Finding> findings = scan(reports, digests);
        if (!findings.isEmpty()) {
            findings.forEach(f -> System.err.println("bai-scenarios report hygiene: " + f));
            throw new IllegalStateException("report hygiene failed: " + findings.size() + " secret(s) of this run in "
                    + reports + " (see above)");
        }
        System.out.println("bai-scenarios report hygiene: none of the run's " + digests.size()
                + " secrets (keys, signatures, passwords, tokens) appears in " + reports);
    }

    /** Every file under {@code directory} that holds a secret with one of these digests. */
    public static List<Finding> scan(Path directory, Set<String> digests) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> tree = Files.walk(directory)) {
            files = tree.filter(Files::isRegularFile).sorted().toList();
        }
        // The reports repeat themselves (the HTML embeds the same messages as the NDJSON, ids recur
        // in every step): each distinct token is hashed and decoded once, its finds remembered.
        Map<String, Set<String>> looked = new HashMap<>();
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            Set<String> found = new HashSet<>();
            look(text, digests, found, BASE64_DEPTH, looked);
            found.stream().sorted().forEach(d -> findings.add(new Finding(file, d)));
        }
        return findings;
    }

    private static boolean[] table(String extra) {
        boolean[] table = new boolean[128];
        for (char c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            table[c] = true;
            table[c - 'a' + 'A'] = true;
        }
        for (char c : extra.toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    private static boolean in(boolean[] table, char c) {
        return c < 128 && table[c];
    }

    private static void look(String text, Set<String> digests, Set<String> found, int depth,
                             Map<String, Set<String>> looked) {
        int length = text.length();
        int start = 0;
        while (start < length) {
            while (start < length && !in(TOKEN, text.charAt(start))) {
                start++;
            }
            int end = start;
            while (end < length && in(TOKEN, text.charAt(end))) {
                end++;
            }
            if (end - start >= SHORTEST) {
                lookAt(text.substring(start, end), digests, found, depth, looked);
            }
            start = end;
        }
    }

    /** One token: itself, its parts and what it decodes to, each distinct token looked at once. */
    private static void lookAt(String token, Set<String> digests, Set<String> found, int depth,
                               Map<String, Set<String>> looked) {
        Set<String> inToken = looked.get(depth + token);
        if (inToken == null) {
            inToken = new HashSet<>();
            check(token, digests, inToken);
            // and its parts between separators, e.g. credential=KEY:SIGNATURE
            int from = 0;
            for (int i = 0; i <= token.length(); i++) {
                if (i == token.length() || isSeparator(token.charAt(i))) {
                    if (from > 0 || i < token.length()) {
                        check(token.substring(from, i), digests, inToken);
                    }
                    from = i + 1;
                }
            }
            if (depth > 0 && token.length() >= 16) {
                Set<String> inner = inToken;
                decoded(token).ifPresent(text -> look(text, digests, inner, depth - 1, looked));
            }
            looked.put(depth + token, inToken.isEmpty() ? Set.of() : inToken);
        }
        found.addAll(inToken);
    }

    private static boolean isSeparator(char c) {
        return c == '=' || c == '.' || c == ':';
    }

    private static void check(String candidate, Set<String> digests, Set<String> found) {
        if (candidate.length() >= SHORTEST) {
            String digest = SecretsSeen.digest(candidate);
            if (digests.contains(digest)) {
                found.add(digest);
            }
        }
    }

    private static String withoutPadding(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        return token.substring(0, end);
    }

    /**
     * The text a base64 token (either alphabet, padding optional) stands for, when it decodes to
     * mostly printable UTF-8. The alphabet is told from the characters, not from the decoder's
     * exceptions: most tokens are no base64, and an exception per token cost more than the scan.
     */
    private static java.util.Optional<String> decoded(String token) {
        String bare = withoutPadding(token);
        if (bare.length() % 4 == 1) {
            return java.util.Optional.empty();
        }
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            if (!all(bare, decoder == Base64.getDecoder() ? BASE64 : BASE64_URL)) {
                continue;
            }
            try {
                byte[] bytes = decoder.decode(bare + "===".substring(0, (4 - bare.length() % 4) % 4));
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (mostlyPrintable(text)) {
                    return java.util.Optional.of(text);
                }
            } catch (IllegalArgumentException notBase64) {
                // try the other alphabet
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean all(String text, boolean[] alphabet) {
        for (int i = 0; i < text.length(); i++) {
            if (!in(alphabet, text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean mostlyPrintable(String text) {
        long printable = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f || c == '\n' || c == '\t') {
                printable++;
            }
        }
        return !text.isEmpty() && printable * 10 >= text.length() * 9L;
    }
}
