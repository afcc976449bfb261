package bai.scenarios.config;

/**
 * The target is not usable: one readable line saying which endpoint, what failed and what to
 * check. Carries no stack trace, so reports show the sentence and nothing else.
 */
public final class PreflightFailure extends RuntimeException {
    public PreflightFailure(String message) {
        super(message, null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
