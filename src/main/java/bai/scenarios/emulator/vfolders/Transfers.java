package bai.scenarios.emulator.vfolders;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Response bodies streamed from disk in bounded steps: each step reads at most {@link #CHUNK}
 * bytes on the storage pool, hands them to the connection's IO thread, and the next step is
 * scheduled only when that write has completed. One buffer per transfer, no thread held while the
 * client reads slowly, and a client that goes away ends the transfer.
 */
final class Transfers {
    private static final Logger LOG = Logger.getLogger(Transfers.class.getName());
    static final int CHUNK = 256 * 1024;

    private Transfers() {
    }

    /** A producer of the next piece of a body: empty at the end. */
    private interface Source {
        ByteBuffer next() throws IOException;

        void close();
    }

    /** Streams {@code count} bytes of {@code file} from {@code start} (the response head is already set). */
    static void sendFile(HttpServerExchange exchange, Path file, long start, long count, Executor storage)
            throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(count, 1)));
        long[] position = {start};
        long end = start + count;
        pump(exchange, storage, new Source() {
            @Override
            public ByteBuffer next() throws IOException {
                buffer.clear();
                long left = end - position[0];
                if (left <= 0) {
                    return null;
                }
                buffer.limit((int) Math.min(buffer.capacity(), left));
                int read = channel.read(buffer, position[0]);
                if (read <= 0) {
                    return null; // the file shrank meanwhile: end the body where the data ends
                }
                position[0] += read;
                buffer.flip();
                return buffer;
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "closing a download failed", e);
                }
            }
        });
    }

    /** One member of a zip archive: a file's content, or an (empty) directory. */
    record ZipMember(String name, Path file, boolean directory) {
    }

    /**
     * Streams a deflated zip of {@code members}, built step by step: each step feeds the zip
     * writer at most {@link #CHUNK} bytes of input and sends what it produced.
     */
    static void sendZip(HttpServerExchange exchange, List<ZipMember> members, Executor storage) {
        ByteArrayOutputStream produced = new ByteArrayOutputStream(CHUNK + 1024);
        ZipOutputStream zip = new ZipOutputStream(produced);
        Iterator<ZipMember> pending = members.iterator();
        byte[] input = new byte[64 * 1024];
        pump(exchange, storage, new Source() {
            private InputStream current;
            private boolean finished;

            @Override
            public ByteBuffer next() throws IOException {
                int fed = 0;
                // Stop once a chunk's worth is produced or read (but never hand over nothing before the end).
                while (!finished && produced.size() < CHUNK && (fed < CHUNK || produced.size() == 0)) {
                    if (current == null) {
                        if (!pending.hasNext()) {
                            zip.finish();
                            finished = true;
                            break;
                        }
                        ZipMember member = pending.next();
                        ZipEntry entry = new ZipEntry(member.directory() ? member.name() + "/" : member.name());
                        if (member.file() != null && !member.directory()) {
                            try {
                                entry.setLastModifiedTime(Files.getLastModifiedTime(member.file()));
                            } catch (IOException gone) {
                                entry.setLastModifiedTime(FileTime.fromMillis(System.currentTimeMillis()));
                            }
                        }
                        zip.putNextEntry(entry);
                        if (member.directory()) {
                            zip.closeEntry();
                            continue;
                        }
                        current = Files.newInputStream(member.file());
                    }
                    int read = current.read(input);
                    if (read < 0) {
                        current.close();
                        current = null;
                        zip.closeEntry();
                    } else {
                        zip.write(input, 0, read);
                        fed += read;
                    }
                }
                if (produced.size() == 0) {
                    return null;
                }
                ByteBuffer out = ByteBuffer.wrap(produced.toByteArray());
                produced.reset();
                return out;
            }

            @Override
            public void close() {
                try {
                    if (current != null) {
                        current.close();
                    }
                } catch (IOException e) {
                    LOG.log(Level.FINE, "closing an archive member failed", e);
                }
            }
        });
    }

    /** Step, send, and step again when the send completed; ends the exchange at the end or on failure. */
    private static void pump(HttpServerExchange exchange, Executor storage, Source source) {
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            ByteBuffer piece;
            try {
                piece = source.next();
            } catch (IOException | RuntimeException failure) {
                LOG.log(Level.FINE, "a transfer broke off", failure);
                source.close();
                onIoThread(exchange, () -> {
                    exchange.setPersistent(false);
                    try {
                        exchange.getConnection().close();
                    } catch (IOException closing) {
                        LOG.log(Level.FINE, "closing a broken transfer's connection failed", closing);
                    }
                });
                return;
            }
            if (piece == null) {
                source.close();
                onIoThread(exchange, exchange::endExchange);
                return;
            }
            onIoThread(exchange, () -> exchange.getResponseSender().send(piece, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    try {
                        storage.execute(step[0]);
                    } catch (RejectedExecutionException stopping) {
                        source.close();
                        ex.endExchange();
                    }
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException gone) {
                    source.close();
                    IoCallback.END_EXCHANGE.onException(ex, sender, gone);
                }
            }));
        };
        try {
            storage.execute(step[0]);
        } catch (RejectedExecutionException stopping) {
            source.close();
            onIoThread(exchange, exchange::endExchange);
        }
    }

    static void onIoThread(HttpServerExchange exchange, Runnable task) {
        try {
            exchange.getIoThread().execute(task);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping; the connection goes with it
        }
    }
}
