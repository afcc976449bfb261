package bai.scenarios.steps;

import java.util.Arrays;

/**
 * Why the manager refuses a call, in the words scenarios use, and how the manager says so: an
 * HTTP status and a problem type (never the free-text title or message, which vary by release).
 */
public enum Refusal {
    UNAUTHENTICATED("as unauthenticated", 401, "auth-failed"),
    CLOCK_OUT_OF_SYNC("because the clocks are out of sync", 400, "invalid-auth-params"),
    UNSUPPORTED_API_VERSION("as speaking an unsupported API version", 400, "generic-bad-request");

    private final String phrase;
    private final int status;
    private final String typeSlug;

    Refusal(String phrase, int status, String typeSlug) {
        this.phrase = phrase;
        this.status = status;
        this.typeSlug = typeSlug;
    }

    public int status() {
        return status;
    }

    public String typeSlug() {
        return typeSlug;
    }

    static Refusal fromPhrase(String phrase) {
        return Arrays.stream(values()).filter(r -> r.phrase.equals(phrase)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown refusal: " + phrase));
    }

    /** The alternatives for the {@code {refusal}} parameter type. */
    static final String PATTERN = "as unauthenticated|because the clocks are out of sync"
            + "|as speaking an unsupported API version";
}
