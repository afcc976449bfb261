package bai.scenarios.emulator.http;

/**
 * A server-sent event stream's source: opened once the response has started, it pushes chunks
 * into the sink from any thread for as long as the sink stays open. Holds no thread meanwhile.
 */
@FunctionalInterface
public interface EventStream {
    void open(Sink sink);

    /** Where a stream writes; thread-safe and non-blocking. */
    interface Sink {
        /**
         * Queues {@code chunk} for the client. Returns false once the stream is closed (the client
         * left, or fell so far behind that the emulator dropped it).
         */
        boolean send(String chunk);

        /** Runs {@code action} once when the stream closes, for whatever reason. */
        void onClose(Runnable action);

        /** Closes at once: whatever is still queued is dropped. */
        void close();

        /** Ends the stream once everything queued so far has been written (a stream the server ends). */
        default void finish() {
            close();
        }
    }
}
