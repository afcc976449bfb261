package bai.scenarios.emulator.vfolders;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One tus PATCH body streamed to its staging file without holding it in memory and without a
 * thread waiting for the network.
 *
 * <p>How: Undertow's asynchronous receiver hands over the body chunk by chunk on the connection's
 * IO thread, where this class only queues the chunk. Writing happens on the storage pool, one
 * drain task at a time, positional writes in order. When more than {@link #HIGH_WATER} bytes are
 * queued the receiver is paused (no more reads from the socket: TCP flow control slows the
 * client down) and it is resumed, on the IO thread, once the writer has caught up below
 * {@link #LOW_WATER}. So memory per upload stays around {@link #HIGH_WATER} plus what the socket
 * had already buffered, and no thread is held while the client is slow.
 *
 * <p>Undertow ends an exchange after a callback it ran on the IO thread unless reads were resumed
 * or the exchange was dispatched; so while reading is paused, and at the end of the body, a
 * callback marks the exchange dispatched (without a task) to keep it open for the answer. The
 * receiver runs only on the IO thread (see {@link #start}), and the pause flag is changed only
 * there, where the receiver's own flag is, so the two never disagree.
 */
final class TusUpload implements Receiver.PartialBytesCallback, Receiver.ErrorCallback {
    private static final Logger LOG = Logger.getLogger(TusUpload.class.getName());
    static final int HIGH_WATER = 1024 * 1024;
    static final int LOW_WATER = 256 * 1024;

    /** What happens when the body ended ({@code written} bytes) or broke off ({@code failure}). */
    interface Outcome {
        void finished(HttpServerExchange exchange, long written);

        void failed(HttpServerExchange exchange, Throwable failure);
    }

    private final HttpServerExchange exchange;
    private final FileChannel channel;
    private final Executor storage;
    private final Outcome outcome;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private long position;
    private long written;
    private long queuedBytes;
    private boolean draining;
    private boolean ended;
    /** Whether the receiver is paused; changed on the IO thread only. */
    private boolean paused;
    private boolean resumeScheduled;
    private boolean over;

    TusUpload(HttpServerExchange exchange, FileChannel channel, long startOffset, Executor storage, Outcome outcome) {
        this.exchange = exchange;
        this.channel = channel;
        this.position = startOffset;
        this.storage = storage;
        this.outcome = outcome;
    }

    /**
     * Starts receiving (call once, from any thread). The receiver starts on the connection's IO
     * thread, inside a handler call, so that every callback, pause and resume happens there. Started
     * on a worker, the receiver's first read loop runs on the worker; a resume from the disk writer
     * in the moment between a pause and that loop's check of it leaves two threads reading one
     * connection, and Undertow ending the exchange on its own with an empty {@code 200}.
     */
    void start() {
        try {
            exchange.dispatch(exchange.getIoThread(), ex -> ex.getRequestReceiver().receivePartialBytes(this, this));
        } catch (RejectedExecutionException stopping) {
            error(exchange, new IOException("the emulator is stopping"));
        }
    }

    /** A chunk arrived (or the body ended): queue it, pause reading if far ahead of the disk. */
    @Override
    public void handle(HttpServerExchange ex, byte[] chunk, boolean last) {
        boolean startDrain;
        boolean keepOpen;
        synchronized (this) {
            if (over) {
                return;
            }
            if (chunk.length > 0) {
                queue.add(chunk);
                queuedBytes += chunk.length;
            }
            if (last) {
                ended = true;
            }
            if (!ended && !paused && queuedBytes >= HIGH_WATER) {
                paused = true;
                ex.getRequestReceiver().pause();
            }
            // On the IO thread, Undertow ends the exchange after this callback unless reads resume
            // (they do not while paused, nor after the last chunk) or it is dispatched.
            keepOpen = ex.isInIoThread() && (paused || last);
            startDrain = !draining && (!queue.isEmpty() || ended);
            if (startDrain) {
                draining = true;
            }
        }
        if (keepOpen) {
            ex.dispatch();
        }
        if (startDrain) {
            submit(this::drain);
        }
    }

    /** The body broke off (the client went away, or the server is stopping). */
    @Override
    public void error(HttpServerExchange ex, IOException failure) {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            queue.clear();
        }
        closeChannel();
        outcome.failed(ex, failure);
    }

    /** On the storage pool: writes what is queued, in order; resumes reading once caught up. */
    private void drain() {
        while (true) {
            byte[] chunk;
            boolean resume = false;
            boolean finish = false;
            synchronized (this) {
                if (over) {
                    draining = false;
                    return;
                }
                chunk = queue.poll();
                if (chunk != null) {
                    queuedBytes -= chunk.length;
                }
                if (paused && !resumeScheduled && queuedBytes <= LOW_WATER && !ended) {
                    resumeScheduled = true;
                    resume = true;
                }
                if (chunk == null) {
                    draining = false;
                    if (ended) {
                        over = true;
                        finish = true;
                    }
                }
            }
            if (resume) {
                onIoThread(() -> {
                    synchronized (this) {
                        paused = false;
                        resumeScheduled = false;
                        if (over) {
                            return;
                        }
                    }
                    exchange.getRequestReceiver().resume();
                });
            }
            if (chunk == null) {
                if (finish) {
                    closeChannel();
                    outcome.finished(exchange, written);
                }
                return;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                written += chunk.length;
            } catch (IOException | RuntimeException failure) {
                synchronized (this) {
                    over = true;
                    queue.clear();
                    draining = false;
                }
                closeChannel();
                outcome.failed(exchange, failure);
                return;
            }
        }
    }

    private void submit(Runnable task) {
        try {
            storage.execute(task);
        } catch (RejectedExecutionException stopping) {
            error(exchange, new IOException("the emulator is stopping"));
        }
    }

    private void onIoThread(Runnable task) {
        Consumer<Runnable> io = exchange.getIoThread()::execute;
        try {
            io.accept(task);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping; the connection goes with it
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing an upload's staging file failed", e);
        }
    }
}
