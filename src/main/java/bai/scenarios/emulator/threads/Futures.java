package bai.scenarios.emulator.threads;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failed future failed with. */
public final class Futures {
    private Futures() {
    }

    /** The failure inside the {@link CompletionException} / {@link ExecutionException} wrappers futures add. */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
