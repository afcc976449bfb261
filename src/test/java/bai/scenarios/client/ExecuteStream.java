package bai.scenarios.client;

import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.HmacSigner;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Running code over the manager's WebSocket, {@code GET /stream/session/{name}/execute}, as
 * {@code backend.ai run} does: the upgrade request is signed like every other call, the first
 * text frame names the mode and the code, then the manager sends one JSON frame per flush
 * ({@code continued}, {@code waiting-input}, {@code finished}, or {@code error} with a
 * {@code msg}) and closes the socket when the run is over; a {@code waiting-input} frame is
 * answered with a plain text frame. Streaming is outside REST Assured's reach, so it uses the
 * JDK's WebSocket client. Close it when done.
 */
public final class ExecuteStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One frame from the manager, as sent; {@code msg} only on {@code error} frames. */
    public record Frame(String status, JsonNode console, Integer exitCode, JsonNode options, String msg, String raw) {
        static Frame parse(String text) {
            try {
                JsonNode node = JSON.readTree(text);
                JsonNode exit = node.path("exitCode");
                return new Frame(node.path("status").asText(null), node.path("console"),
                        exit.isNumber() ? exit.asInt() : null, node.path("options"),
                        node.path("msg").isTextual() ? node.path("msg").asText() : null, text);
            } catch (JsonProcessingException e) {
                return new Frame(null, JSON.missingNode(), null, JSON.missingNode(), null, text);
            }
        }

        /** The prompt of a {@code waiting-input} frame. */
        public String prompt() {
            return options.path("prompt").asText(null);
        }
    }

    /** How a streamed run ended: its last frame's status, output, and how the socket closed. */
    public record Outcome(String status, Integer exitCode, String stdout, String stderr, String errorMsg,
                          Integer closeCode, List<Frame> frames) {
        /** One line for failure messages. */
        public String describe() {
            return "the stream ended with " + status + " (exit code " + exitCode + ", close code " + closeCode
                    + (errorMsg == null ? "" : ", error " + errorMsg) + "); frames: "
                    + frames.stream().map(Frame::raw).toList();
        }
    }

    private final WebSocket socket;
    private final Reader reader;

    private ExecuteStream(WebSocket socket, Reader reader) {
        this.socket = socket;
        this.reader = reader;
    }

    /**
     * Opens the stream to a session named by name or id. A manager that refuses the upgrade
     * (unknown session, bad signature) is a {@link ManagerRejection} carrying its status; the JDK
     * client does not keep the refusal's body, so the problem has no type.
     */
    public static ExecuteStream open(URI endpoint, Credentials credentials, String sessionNameOrId, Duration timeout) {
        String path = "/stream/session/" + URLEncoder.encode(sessionNameOrId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/execute";
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
        String signature = HmacSigner.signature(credentials.secretKey(),
                new HmacSigner.Signable("GET", path, date, HmacSigner.host(endpoint), null));
        URI target = URI.create(endpoint.toString().replaceFirst("^http", "ws") + path);
        Reader reader = new Reader();
        CompletableFuture<WebSocket> opening = HTTP.newWebSocketBuilder()
                .connectTimeout(timeout)
                .header("Date", date)
                .header("X-BackendAI-Version", HmacSigner.API_VERSION)
                .header("Authorization", HmacSigner.authorization(credentials.accessKey(), signature))
                .buildAsync(target, reader);
        try {
            return new ExecuteStream(opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS), reader);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                throw new ManagerRejection("GET " + path, new Problem(status, null, null, null,
                        "the WebSocket upgrade was refused with HTTP " + status));
            }
            throw new ManagerUnreachable("cannot open " + target + " (" + e.getCause() + ")", e.getCause());
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new ManagerUnreachable("no WebSocket to " + target + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerUnreachable("interrupted while opening " + target, e);
        }
    }

    /** Sends the first frame: {@code {"mode", "code", "options"}}. */
    public void start(String mode, String code, Map<String, Object> options) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("mode", mode);
        params.put("code", code);
        params.put("options", options);
        try {
            sendText(JSON.writeValueAsString(params));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the stream parameters are not serialisable", e);
        }
    }

    /** Sends one text frame as it is (an answer to {@code waiting-input}, or a raw first frame). */
    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The next frame, waiting at most {@code timeout}; empty when none came (or the socket closed). */
    public Optional<Frame> next(Duration timeout) throws InterruptedException {
        String text = reader.frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (text == Reader.CLOSED) {
            reader.frames.add(Reader.CLOSED); // for the next caller too
            return Optional.empty();
        }
        return text == null ? Optional.empty() : Optional.of(Frame.parse(text));
    }

    /** The close code the manager sent, once it closed the socket (waiting at most {@code timeout}). */
    public Optional<Integer> closeCode(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(reader.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException failed) {
            return Optional.empty();
        } catch (TimeoutException notYet) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code code} and follows the stream to its end, answering each {@code waiting-input}
     * with the next of {@code answers}; then waits for the manager's close.
     */
    public Outcome run(String mode, String code, Map<String, Object> options, List<String> answers, Duration timeout)
            throws InterruptedException {
        start(mode, code, options);
        return follow(answers, timeout);
    }

    /**
     * Follows a started run to the manager's close, answering each {@code waiting-input} with the
     * next of {@code answers}.
     */
    public Outcome follow(List<String> answers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Iterator<String> replies = answers.iterator();
        List<Frame> frames = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Frame last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            Optional<Frame> frame = left <= 0 ? Optional.empty() : next(Duration.ofNanos(left));
            if (frame.isEmpty()) {
                if (reader.closed.isDone()) {
                    break;
                }
                throw new AssertionError("the stream was still open after " + timeout.toSeconds() + " s; frames so far: "
                        + frames.stream().map(Frame::raw).toList());
            }
            last = frame.get();
            frames.add(last);
            last.console().forEach(item -> {
                String type = item.path(0).asText();
                if (type.equals("stdout")) {
                    out.append(item.path(1).asText());
                } else if (type.equals("stderr")) {
                    err.append(item.path(1).asText());
                }
            });
            if ("waiting-input".equals(last.status())) {
                if (!replies.hasNext()) {
                    throw new AssertionError("the code asked for input nobody gave it: " + last.raw());
                }
                sendText(replies.next());
            } else if (!"continued".equals(last.status())) {
                break;
            }
        }
        long left = Math.max(0, deadline - System.nanoTime());
        Integer closeCode = closeCode(Duration.ofNanos(left)).orElse(null);
        return new Outcome(last == null ? null : last.status(), last == null ? null : last.exitCode(),
                out.toString(), err.toString(), last == null ? null : last.msg(), closeCode, List.copyOf(frames));
    }

    /** Closes the socket from this side (normal closure), as a client leaving mid-run does. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | CompletionException e) {
                socket.abort();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                socket.abort();
            }
        }
    }

    /** Drops the connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    /** Queues whole text frames; completes {@link #closed} with the manager's close code. */
    private static final class Reader implements WebSocket.Listener {
        /** Marks the end of the frames (compared by identity). */
        static final String CLOSED = new String("closed");

        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            frames.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error instanceof IOException ? error : new IOException(error));
            frames.add(CLOSED);
        }
    }
}
