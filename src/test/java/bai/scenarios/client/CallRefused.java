package bai.scenarios.client;

/**
 * The manager refused a call, over REST (an HTTP problem) or GraphQL (an error entry, or a
 * mutation answering {@code ok: false}). Scenarios match refusals on {@link #status()} and
 * {@link #code()} (a problem type slug or GraphQL error code), never on message text alone.
 */
public abstract class CallRefused extends RuntimeException {
    protected CallRefused(String message) {
        super(message, null, false, false);
    }

    /** The HTTP status (200 for GraphQL refusals, which the manager answers with 200). */
    public abstract int status();

    /** Problem type slug (REST) or {@code extensions.code} (GraphQL); null for an ok=false mutation. */
    public abstract String code();

    /** The problem's {@code error_code} (REST), e.g. {@code api_parsing_invalid-parameters}; null if none. */
    public String errorCode() {
        return null;
    }

    /** The manager's own words, for reports. */
    public abstract String reason();
}
