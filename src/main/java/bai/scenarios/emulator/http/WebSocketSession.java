package bai.scenarios.emulator.http;

import java.util.function.Consumer;

/**
 * A WebSocket conversation a handler answers with ({@link ApiResponse#webSocket}): opened once the
 * upgrade is done, it reacts to the client's text frames and sends its own, holding no thread
 * while it waits for either side.
 */
@FunctionalInterface
public interface WebSocketSession {
    void open(Socket socket);

    /** The server's end of one WebSocket; thread-safe, never blocks. */
    interface Socket {
        /** Queues a text frame; false once the socket is closed. */
        boolean sendText(String text);

        /** Sends a close frame with this status code, then closes. */
        void close(int code);

        /**
         * Where the client's text frames go: one at a time and in order, on a request worker (so
         * the handler may call into kernels, as a request handler may), never on an IO thread.
         */
        void onText(Consumer<String> handler);

        /** Runs {@code action} once when the socket closes, whoever closed it. */
        void onClose(Runnable action);

        boolean isOpen();

        /** Runs {@code task} after the frames already delivered, in the same order (on a request worker). */
        void later(Runnable task);
    }
}
