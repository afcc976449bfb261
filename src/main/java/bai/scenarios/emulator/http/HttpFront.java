package bai.scenarios.emulator.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final ManagerPipeline pipeline;

    public HttpFront(ManagerPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.dispatch(() -> admit(exchange));
    }

    private void admit(HttpServerExchange exchange) {
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
                                : ManagerPipeline.failure(request, Problems.requestTooLarge(
                                        "The request body could not be read: " + error.getMessage())));
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

    /** Writes {@code response} now, later (a deferred answer) or as a stream; never throws. */
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
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
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
