package bai.scenarios.emulator.http;

import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.threads.Futures;
import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;


import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Undertow's side of the emulator, built so that nothing a caller sends can stall other callers:
 * <ul>
 *   <li>the IO threads only move bytes; every request is handed to a worker at once;</li>
 *   <li>a request is routed, authenticated and rate-limited from its headers alone; only an
 *       admitted request's body is read, asynchronously and up to its route's limit;</li>
 *   <li>an answer that comes later (a create waiting for RUNNING, an execute waiting for output)
 *       and an event stream hold no thread: they are written from the IO thread when there is
 *       something to write.</li>
 * </ul>
 */
public final class HttpFront implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(HttpFront.class.getName());
    /** Completes once the emulator's initialisation has built the pipeline (or failed); never reset. */
    private final CompletableFuture<ManagerPipeline> started;
    /** Requests that arrived before {@link #started} completed and have not been resumed yet. */
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * A front that listens before the emulator has finished starting: a request that arrives
     * before {@code started} completes waits for it, holding no thread (its head is parsed, its
     * body stays unread meanwhile), and is then handled as any other. If the start failed, it is
     * answered with a 500 that names the failure, never with an answer of a half-built emulator.
     */
    public HttpFront(CompletableFuture<ManagerPipeline> started) {
        this.started = started;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (started.isDone() && !started.isCompletedExceptionally()) {
            ManagerPipeline pipeline = started.join();
            exchange.dispatch(() -> admit(exchange, pipeline));
            return;
        }
        // Dispatched, so Undertow neither ends the exchange nor reads on; resumed on a worker once started.
        waiting.incrementAndGet();
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> started.whenComplete((pipeline, failure) -> {
            waiting.decrementAndGet();
            try {
                exchange.getConnection().getWorker().execute(() -> {
                    if (pipeline != null) {
                        admit(exchange, pipeline);
                    } else {
                        if (hasBody(exchange)) {
                            exchange.setPersistent(false); // not read, so not kept
                        }
                        answer(exchange, ApiResponse.problem(Problems.emulatorStartFailed(Futures.cause(failure))));
                    }
                });
            } catch (RejectedExecutionException stopping) {
                IoUtils.safeClose(exchange.getConnection()); // the server is stopping: no worker will answer it
            }
        }));
    }

    /** How many requests are waiting for the emulator's start to finish (for tests and diagnostics). */
    public int waitingForStart() {
        return waiting.get();
    }

    private void admit(HttpServerExchange exchange, ManagerPipeline pipeline) {
        try {
            ApiRequest request = headersOnly(exchange);
            ManagerPipeline.Admission admission = pipeline.admit(request);
            if (!admission.admitted()) {
                if (hasBody(exchange)) {
                    // Not read, so not kept: the connection closes after the answer.
                    exchange.setPersistent(false);
                }
                answer(exchange, admission.rejection());
                return;
            }
            if (!hasBody(exchange)) {
                answer(exchange, pipeline.handle(admission, new byte[0]));
                return;
            }
            exchange.setMaxEntitySize(admission.bodyLimit());
            exchange.getRequestReceiver().receiveFullBytes(
                    (ex, body) -> onWorker(ex, () -> answer(ex, pipeline.handle(admission, body))),
                    (ex, error) -> onWorker(ex, () -> {
                        ex.setPersistent(false);
                        answer(ex, error instanceof Receiver.RequestToLargeException
                                ? pipeline.handleWithRefusedBody(admission)
                                : ManagerPipeline.failure(request, Problems.requestTooLarge()));
                    }));
        } catch (Throwable unexpected) {
            LOG.log(Level.WARNING, "could not answer a request", unexpected);
            answer(exchange, ApiResponse.problem(Problems.internalServerError()));
        }
    }

    private static void onWorker(HttpServerExchange exchange, Runnable work) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(work);
        } else {
            work.run();
        }
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() > 0
                || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    /** Writes {@code response} now, later (a deferred answer), as a stream or a WebSocket; never throws. */
    private void answer(HttpServerExchange exchange, ApiResponse response) {
        try {
            if (response.isDeferred()) {
                response.deferred().whenComplete((ready, failure) -> exchange.getIoThread().execute(() -> {
                    if (exchange.getConnection().isOpen() && !exchange.isComplete()) {
                        answer(exchange, failure == null ? ready : ApiResponse.problem(Problems.internalServerError()));
                    }
                }));
                return;
            }
            if (response.webSocket() != null) {
                upgrade(exchange, response);
                return;
            }
            exchange.setStatusCode(response.status());
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.contentType());
            response.headers().forEach((name, value) ->
                    exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
            if (response.stream() != null) {
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
                // A stream's connection is not reused afterwards, so its close listener is its own.
                exchange.setPersistent(false);
                StreamSink sink = new StreamSink(exchange);
                exchange.getConnection().addCloseListener(connection -> sink.disconnected());
                response.stream().open(sink);
                return;
            }
            exchange.setResponseContentLength(response.body().length);
            exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
        } catch (Throwable unexpected) {
            LOG.log(Level.WARNING, "could not write an answer", unexpected);
            exchange.endExchange();
        }
    }

    /**
     * Completes a WebSocket handshake and hands the socket to the handler's session. A request
     * that is no upgrade gets what aiohttp's {@code ws.prepare()} raises, which the manager's
     * exception middleware turns into a plain {@code 400 generic-bad-request}.
     */
    private void upgrade(HttpServerExchange exchange, ApiResponse response) throws Exception {
        WebSocketSession session = response.webSocket();
        WebSocketConnectionCallback connected =
                (httpExchange, channel) -> {
                    ChannelSocket socket = new ChannelSocket(channel);
                    try {
                        session.open(socket);
                    } catch (RuntimeException failure) {
                        LOG.log(Level.WARNING, "a WebSocket could not be opened", failure);
                        socket.close(1011);
                        return;
                    }
                    // Only now: a frame read before the session's handlers are set would be lost.
                    channel.resumeReceives();
                };
        HttpHandler notAnUpgradeRequest = notAnUpgrade -> {
                    ApiResponse refusal = ApiResponse.problem(Problems.genericBadRequest(null));
                    refusal.headers().putAll(response.headers());
                    answer(notAnUpgrade, refusal);
                };
        // The 101 carries the pipeline's headers (rate limit, Server) like any other answer.
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        new WebSocketProtocolHandshakeHandler(connected, notAnUpgradeRequest).handleRequest(exchange);
    }

    /**
     * One WebSocket as a {@link WebSocketSession.Socket}: frames from the client are read on the IO
     * thread and handed, one at a time and in order, to a request worker; sends only queue frames.
     */
    static final class ChannelSocket implements WebSocketSession.Socket {
        /** aiohttp's default {@code max_msg_size} for the manager's WebSockets. */
        private static final long MAX_MESSAGE = 16L * 1024 * 1024;

        private final WebSocketChannel channel;
        private final Executor serial;
        private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
        private volatile Consumer<String> onText = text -> { };
        private final AtomicBoolean closed = new AtomicBoolean();

        ChannelSocket(WebSocketChannel channel) {
            this.channel = channel;
            this.serial = new SerialExecutor(channel.getWorker());
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    String text = message.getData();
                    serial.execute(() -> onText.accept(text));
                }

                @Override
                protected long getMaxTextBufferSize() {
                    return MAX_MESSAGE;
                }
            });
            channel.addCloseTask(ch -> fireClose());
        }

        @Override
        public boolean sendText(String text) {
            if (!channel.isOpen() || channel.isCloseFrameSent()) {
                return false;
            }
            WebSockets.sendText(text, channel, null);
            return true;
        }

        @Override
        public void close(int code) {
            if (!channel.isOpen() || channel.isCloseFrameSent()) {
                return;
            }
            WebSockets.sendClose(code, "", channel, null);
        }

        @Override
        public void onText(Consumer<String> handler) {
            onText = handler;
        }

        @Override
        public void onClose(Runnable action) {
            onClose.add(action);
            if (closed.get() && onClose.remove(action)) {
                action.run();
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen() && !channel.isCloseFrameSent() && !channel.isCloseFrameReceived();
        }

        @Override
        public void later(Runnable task) {
            serial.execute(task);
        }

        private void fireClose() {
            if (closed.compareAndSet(false, true)) {
                for (Runnable action : onClose) {
                    if (onClose.remove(action)) {
                        serial.execute(Background.guarded("a WebSocket's close action", action));
                    }
                }
            }
        }
    }

    /** Runs tasks one at a time, in submission order, on a pool's threads. */
    static final class SerialExecutor implements Executor {
        private final Executor pool;
        private final Deque<Runnable> tasks = new ArrayDeque<>();
        private boolean running;

        SerialExecutor(Executor pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                tasks.add(task);
                if (running) {
                    return;
                }
                running = true;
            }
            schedule();
        }

        private void schedule() {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                synchronized (this) {
                    tasks.clear();
                    running = false;
                }
            }
        }

        private void drain() {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "a WebSocket task failed", failure);
            }
            schedule();
        }
    }

    private static ApiRequest headersOnly(HttpServerExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString(), values.getFirst());
        }
        String target = exchange.getRequestURI();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            target = URI.create(target).getRawPath();
        }
        String remote = exchange.getSourceAddress() == null ? null
                : exchange.getSourceAddress().getAddress().getHostAddress();
        return new ApiRequest(exchange.getRequestMethod().toString(), target, exchange.getQueryString(), headers,
                new byte[0], remote);
    }

    /**
     * An event stream's writer: chunks queue up and are written by the exchange's IO thread, one
     * send at a time. A subscriber that falls more than {@link #MAX_PENDING_BYTES} behind is dropped.
     */
    static final class StreamSink implements EventStream.Sink {
        static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;

        private final HttpServerExchange exchange;
        private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
        private final Deque<ByteBuffer> pending = new ArrayDeque<>();
        private long pendingBytes;
        private boolean writing;
        private boolean closed;
        private boolean ending;

        StreamSink(HttpServerExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public boolean send(String chunk) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                if (closed) {
                    return false;
                }
                if (pendingBytes + bytes.length > MAX_PENDING_BYTES) {
                    LOG.fine("dropping an event stream subscriber that fell too far behind");
                } else {
                    pending.add(ByteBuffer.wrap(bytes));
                    pendingBytes += bytes.length;
                    if (!writing) {
                        writing = true;
                        onIoThread(this::pump);
                    }
                    return true;
                }
            }
            close();
            return false;
        }

        /** On the IO thread: writes everything queued so far in one send (and closes once a finish is written). */
        private void pump() {
            ByteBuffer[] batch = null;
            boolean finished = false;
            synchronized (this) {
                if (closed) {
                    writing = false;
                    end();
                    return;
                }
                if (pending.isEmpty()) {
                    writing = false;
                    if (!ending) {
                        return;
                    }
                    finished = true;
                } else {
                    batch = pending.toArray(ByteBuffer[]::new);
                    pending.clear();
                    pendingBytes = 0;
                }
            }
            if (finished) {
                close();
                return;
            }
            Sender sender = exchange.getResponseSender();
            sender.send(batch, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender s) {
                    onIoThread(StreamSink.this::pump);
                }

                @Override
                public void onException(HttpServerExchange ex, Sender s, IOException gone) {
                    synchronized (StreamSink.this) {
                        writing = false;
                    }
                    close();
                }
            });
        }

        @Override
        public void finish() {
            boolean idle;
            synchronized (this) {
                if (closed || ending) {
                    return;
                }
                ending = true;
                idle = !writing;
                if (idle) {
                    writing = true;
                }
            }
            if (idle) {
                onIoThread(this::pump);
            }
        }

        @Override
        public void onClose(Runnable action) {
            boolean already;
            synchronized (this) {
                already = closed;
                if (!already) {
                    onClose.add(action);
                }
            }
            if (already) {
                action.run();
            }
        }

        /** The client (or the server's shutdown) closed the connection: nothing left to end. */
        void disconnected() {
            synchronized (this) {
                writing = true; // so close() does not try to end the exchange
            }
            close();
        }

        @Override
        public void close() {
            boolean idle;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                pending.clear();
                idle = !writing;
            }
            for (Runnable action : onClose) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "an event stream's close action failed", e);
                }
            }
            if (idle) {
                // Otherwise the write under way ends the exchange when it completes.
                onIoThread(this::end);
            }
        }

        private void onIoThread(Runnable task) {
            try {
                exchange.getIoThread().execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                // the server is stopping; the connection goes with it
            }
        }

        private void end() {
            if (!exchange.isComplete()) {
                exchange.endExchange();
            }
        }
    }
}
