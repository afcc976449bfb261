package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.ConcurrentCallers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TusUpload} on a real Undertow connection, started the way the storage proxy starts it:
 * from a worker thread, after the request was dispatched off the IO thread.
 *
 * <p>The harness makes the moment that once went wrong under load happen on every upload: the
 * worker starts only once megabytes of the body are waiting (as when it starts late on a busy
 * machine), one read takes more than {@link TusUpload#HIGH_WATER} (a large buffer), and the disk
 * writer runs on the thread that hands it bytes (a direct executor). So the first read pauses the
 * receiver, and the writer has caught up and resumed it on the IO thread before that read's
 * loop looks at the pause. A receiver started on the worker then reads on two threads at once:
 * Undertow ended such exchanges by itself with an empty {@code 200} ("PATCH answered 200 without
 * a valid Upload-Offset"), or bytes went missing.
 */
class TusUploadTest {
    private static final int BODY = 4 * 1024 * 1024;
    private static final HttpString UPLOAD_OFFSET = HttpString.tryFromString("Upload-Offset");

    @TempDir
    static Path scratch;

    private static Undertow server;
    private static ExecutorService workers;
    private static HttpClient http;
    private static URI uri;
    private static final AtomicInteger FILES = new AtomicInteger();

    @BeforeAll
    static void start() {
        workers = Executors.newFixedThreadPool(4);
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setBufferSize(2 * TusUpload.HIGH_WATER)
                .setHandler(exchange -> exchange.dispatch(workers, () -> receive(exchange)))
                .build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        uri = URI.create("http://127.0.0.1:" + bound.getPort() + "/upload");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.stop();
        workers.shutdownNow();
    }

    /** The proxy's PATCH, reduced to the upload: a file per request, 204 and the bytes written. */
    private static void receive(HttpServerExchange exchange) {
        awaitBodyInFlight(exchange.getRequestHeaders().getFirst("X-Upload"));
        Path file = scratch.resolve("upload-" + FILES.incrementAndGet());
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getResponseHeaders().put(HttpString.tryFromString("X-File"), file.getFileName().toString());
        new TusUpload(exchange, channel, 0, Runnable::run, new TusUpload.Outcome() {
            @Override
            public void finished(HttpServerExchange ex, long written) {
                Transfers.onIoThread(ex, () -> {
                    ex.setStatusCode(204);
                    ex.getResponseHeaders().put(UPLOAD_OFFSET, written);
                    ex.endExchange();
                });
            }

            @Override
            public void failed(HttpServerExchange ex, Throwable failure) {
                Transfers.onIoThread(ex, () -> {
                    ex.setPersistent(false);
                    ex.setStatusCode(500);
                    ex.endExchange();
                });
            }
        }).start();
    }

    @Test
    void everyBodyLandsWholeAndIsAnsweredWithItsLengthWhenTheWriterKeepsPausingTheReader() throws Exception {
        byte[] body = new byte[BODY];
        new Random(42).nextBytes(body);
        List<String> wrong = ConcurrentCallers.problems(3, 2, client -> () -> upload(body, 8));
        assertThat(wrong).as("uploads answered or stored wrongly").isEmpty();
    }

    /** Sends {@code times} PATCHes one after another; returns what went wrong with each. */
    private static List<String> upload(byte[] body, int times) throws IOException, InterruptedException {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            String id = Integer.toString(UPLOADS.incrementAndGet());
            CountDownLatch inFlight = new CountDownLatch(1);
            IN_FLIGHT.put(id, inFlight);
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(uri).header("X-Upload", id)
                                .method("PATCH", new SignallingBody(body, inFlight)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException broken) {
                wrong.add("broke off: " + broken);
                continue;
            }
            String offset = answer.headers().firstValue("Upload-Offset").orElse(null);
            String file = answer.headers().firstValue("X-File").orElse(null);
            if (answer.statusCode() != 204 || !String.valueOf(BODY).equals(offset)) {
                wrong.add("answered " + answer.statusCode() + " with Upload-Offset " + offset);
            } else if (Files.mismatch(scratch.resolve(file), writeExpected(body)) != -1) {
                wrong.add(file + " differs from the body sent");
            }
        }
        return wrong;
    }

    private static Path expected;
    private static final AtomicInteger UPLOADS = new AtomicInteger();
    private static final Map<String, CountDownLatch> IN_FLIGHT = new ConcurrentHashMap<>();

    /**
     * Holds the worker until the client has handed over more than {@link #IN_FLIGHT_BYTES} of the
     * body: as on a loaded machine, where the worker starts late and megabytes are already waiting.
     */
    private static void awaitBodyInFlight(String id) {
        CountDownLatch latch = IN_FLIGHT.remove(id);
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("body of upload " + id + " in flight").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final int IN_FLIGHT_BYTES = 2 * 1024 * 1024;

    /**
     * A body in 64 KiB pieces that opens {@code inFlight} once more than {@link #IN_FLIGHT_BYTES}
     * were asked for: the JDK client asks for a piece only once it has written the ones before.
     */
    private record SignallingBody(byte[] body, CountDownLatch inFlight) implements HttpRequest.BodyPublisher {
        @Override
        public long contentLength() {
            return body.length;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private int position;
                private boolean done;

                @Override
                public synchronized void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        if (position > IN_FLIGHT_BYTES) {
                            inFlight.countDown();
                        }
                        if (position == body.length) {
                            done = true;
                            inFlight.countDown();
                            subscriber.onComplete();
                            return;
                        }
                        int length = Math.min(64 * 1024, body.length - position);
                        ByteBuffer piece = ByteBuffer.wrap(body, position, length);
                        position += length;
                        subscriber.onNext(piece);
                    }
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }

    private static synchronized Path writeExpected(byte[] body) throws IOException {
        if (expected == null) {
            expected = Files.write(scratch.resolve("expected"), body);
        }
        return expected;
    }
}
