package bai.scenarios.client.storage;

import bai.scenarios.client.ManagerUnreachable;
import bai.scenarios.client.transport.Exchange;
import bai.scenarios.client.transport.Redaction;
import bai.scenarios.client.transport.SharedHttpClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A client of the storage proxy's client-facing API for transfers the manager has authorised
 * ({@link TransferTicket}). Immutable and thread-safe; one per actor and scenario is cheap.
 *
 * <p><b>Uploads</b> speak tus 1.0 without the creation extension, because the manager has
 * already opened the upload session when it hands out the ticket: {@code HEAD} tells the offset
 * the proxy holds, then one {@code PATCH} per chunk carries {@code Upload-Offset} and the bytes,
 * and each {@code 204} answers the new offset. When a {@code PATCH} breaks off (the connection
 * fails) or is refused with {@code 409} (the offsets disagree), the client asks {@code HEAD}
 * again and continues from whatever offset the proxy reports, re-reading the source there; so a
 * proxy that keeps or drops the bytes of a broken request is handled the same way.
 *
 * <p><b>Downloads</b> stream to a file and take a CRC32C on the way (a fingerprint to print;
 * content is compared byte for byte, {@link #sameBytes}); a body shorter than its
 * {@code Content-Length} fails.
 *
 * <p>Why not the tus project's Java client ({@code io.tus.java.client:tus-java-client} 0.5.1):
 * it is built on {@code HttpURLConnection}, which cannot send {@code PATCH}, so it falls back to
 * {@code POST} with {@code X-HTTP-Method-Override: PATCH}; the proxy routes only
 * {@code OPTIONS}/{@code HEAD}/{@code PATCH} on {@code /upload} and honours no override, so every
 * chunk would be refused with 405. Its resume path also wants a fingerprint store for uploads
 * it created itself, and its exchanges would bypass the suite's evidence recording.
 */
public final class StorageProxy {
    private static final String LEASE_HELD = "storage/tus-lease-held";
    /** How long a broken-off PATCH's lease may outlive it before a chunk gives up (the proxy's lease TTL is longer). */
    private static final Duration LEASE_WAIT = Duration.ofSeconds(10);

    /** 4 MiB: small enough to resume cheaply, large enough that tens of MiB take a handful of requests. */
    public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
    static final String TUS_VERSION = "1.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One JDK client per connect timeout, shared by every instance. */
    private static final SharedHttpClients CLIENTS = new SharedHttpClients(
            builder -> builder.version(HttpClient.Version.HTTP_1_1));

    private final HttpClient http;
    private final Duration timeout;
    private final Consumer<Exchange> evidence;

    public StorageProxy(Duration timeout, Consumer<Exchange> evidence) {
        this.timeout = timeout;
        this.evidence = evidence;
        this.http = CLIENTS.forConnectTimeout(timeout);
    }

    /** The JDK client this instance sends through (for tests). */
    HttpClient http() {
        return http;
    }

    /**
     * How to upload: the chunk size (bytes per {@code PATCH}), how many times the upload may
     * resume before giving up, and, for scenarios that prove resumption, an offset at which one
     * {@code PATCH} deliberately breaks off (the client sends the bytes before it, then drops the
     * request), or -1.
     */
    public record UploadPlan(int chunkSize, int maxResumes, long breakOffAt) {
        public UploadPlan {
            if (chunkSize <= 0) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
        }

        public static UploadPlan standard() {
            return new UploadPlan(DEFAULT_CHUNK_SIZE, 5, -1);
        }

        public UploadPlan withChunkSize(int bytes) {
            return new UploadPlan(bytes, maxResumes, breakOffAt);
        }

        /** One {@code PATCH} breaks off once {@code offset} bytes are on their way. */
        public UploadPlan breakingOffAt(long offset) {
            return new UploadPlan(chunkSize, maxResumes, offset);
        }
    }

    /**
     * What an upload took: bytes sent in total (more than the file when a chunk was re-sent), the
     * {@code PATCH} requests the proxy accepted, the offsets the client resumed from (one per
     * resumption, as {@code HEAD} reported them), and the wall time.
     */
    public record UploadReport(long size, long bytesSent, int patches, List<Long> resumedFrom, Duration elapsed) {
        public int resumes() {
            return resumedFrom.size();
        }
    }

    /** A finished download: where, how many bytes, their CRC32C (hex, a fingerprint to print), and the wall time. */
    public record Download(Path file, long bytes, String crc32c, Duration elapsed) {
    }

    /** The offset the proxy holds for the upload session ({@code HEAD}). */
    public long offset(TransferTicket ticket) {
        HttpRequest request = builder(ticket.address(null)).header("Tus-Resumable", TUS_VERSION)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> response = send(request, 0);
        if (response.statusCode() / 100 != 2) {
            throw refusal(request, response);
        }
        return offsetHeader(request, response);
    }

    /** Sends one chunk at {@code offset}; returns the proxy's new offset. */
    public long patch(TransferTicket ticket, long offset, byte[] chunk) {
        HttpRequest request = patchRequest(ticket, offset, HttpRequest.BodyPublishers.ofByteArray(chunk));
        HttpResponse<byte[]> response = send(request, chunk.length);
        if (response.statusCode() != 204 && response.statusCode() != 200) {
            throw refusal(request, response);
        }
        return offsetHeader(request, response);
    }

    /** Uploads the whole source with the standard plan. */
    public UploadReport upload(TransferTicket ticket, ByteSource source) {
        return upload(ticket, source, UploadPlan.standard());
    }

    /** Uploads the whole source, resuming from the proxy's offset whenever a chunk does not land. */
    public UploadReport upload(TransferTicket ticket, ByteSource source, UploadPlan plan) {
        long started = System.nanoTime();
        long size = source.size();
        long offset = offset(ticket);
        List<Long> resumedFrom = new ArrayList<>();
        long sent = 0;
        int patches = 0;
        boolean brokenOff = false;
        while (offset < size || (size == 0 && patches == 0)) {
            if (offset > size) {
                throw new IllegalStateException("the storage proxy holds " + offset + " bytes of a " + size
                        + "-byte upload (" + ticket + ")");
            }
            int length = (int) Math.min(plan.chunkSize(), size - offset);
            byte[] chunk = source.read(offset, length);
            boolean breakHere = !brokenOff && plan.breakOffAt() >= offset && plan.breakOffAt() < offset + length;
            try {
                if (breakHere) {
                    brokenOff = true;
                    sent += (int) (plan.breakOffAt() - offset);
                    breakOff(ticket, offset, chunk, (int) (plan.breakOffAt() - offset));
                }
                sent += chunk.length;
                long next = patchOnceLeaseIsFree(ticket, offset, chunk);
                if (next <= offset && length > 0) {
                    throw new IllegalStateException("the storage proxy did not advance the upload past " + offset
                            + " after a " + length + "-byte chunk (" + ticket + ")");
                }
                offset = next;
                patches++;
            } catch (StorageRefusal refused) {
                if (refused.status() != 409) {
                    throw refused;
                }
                offset = resume(ticket, plan, resumedFrom, refused);
            } catch (ChunkBrokeOff broken) {
                offset = resume(ticket, plan, resumedFrom, broken);
            }
        }
        return new UploadReport(size, sent, patches, List.copyOf(resumedFrom), Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * A PATCH that may meet the write lease of an earlier one still held: after a broken-off
     * chunk the proxy releases its lease only once it notices the dead connection, and until then
     * it answers {@code 409 storage/tus-lease-held}. That is a wait, not a resumption: the same
     * chunk is sent again (bounded by {@link #LEASE_WAIT}) until the lease is free.
     */
    private long patchOnceLeaseIsFree(TransferTicket ticket, long offset, byte[] chunk) {
        AtomicReference<StorageRefusal> lastHeld = new AtomicReference<>();
        AtomicLong next = new AtomicLong();
        try {
            await().atMost(LEASE_WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .ignoreNoExceptions().until(() -> {
                        try {
                            next.set(patch(ticket, offset, chunk));
                            return true;
                        } catch (StorageRefusal refused) {
                            if (!LEASE_HELD.equals(refused.code())) {
                                throw refused;
                            }
                            lastHeld.set(refused);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw lastHeld.get() != null ? lastHeld.get() : new IllegalStateException(e.getMessage(), e);
        }
        return next.get();
    }

    private long resume(TransferTicket ticket, UploadPlan plan, List<Long> resumedFrom, RuntimeException why) {
        if (resumedFrom.size() >= plan.maxResumes()) {
            throw new IllegalStateException("the upload did not finish after " + resumedFrom.size()
                    + " resumptions (" + ticket + "): " + why.getMessage(), why);
        }
        long offset = offset(ticket);
        resumedFrom.add(offset);
        return offset;
    }

    /** A {@code PATCH} the client drops after {@code keep} bytes: the proxy sees the connection fail. */
    private void breakOff(TransferTicket ticket, long offset, byte[] chunk, int keep) {
        HttpRequest request = patchRequest(ticket, offset,
                HttpRequest.BodyPublishers.fromPublisher(new BreakingPublisher(chunk, keep), chunk.length));
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            record(request, keep, response, started);
            // The proxy answered although the body was cut short: treat it like any other answer.
            if (response.statusCode() / 100 != 2) {
                throw refusal(request, response);
            }
        } catch (IOException e) {
            recordBroken(request, keep, e, started);
            throw new ChunkBrokeOff("the PATCH at offset " + offset + " broke off after " + keep + " bytes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        throw new ChunkBrokeOff("the PATCH at offset " + offset + " was cut short after " + keep + " bytes", null);
    }

    /** Streams the file to {@code target}, hashing on the way; fails on a refusal or a short body. */
    public Download download(TransferTicket ticket, Path target) {
        long started = System.nanoTime();
        HttpRequest request = builder(ticket.address(null)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            byte[] body = readAll(response.body());
            HttpResponse<byte[]> failed = new BufferedResponse(response, body);
            record(request, 0, failed, started);
            throw refusal(request, failed);
        }
        CRC32C crc = new CRC32C();
        long bytes;
        try (InputStream in = new CheckedInputStream(response.body(), crc);
             OutputStream out = Files.newOutputStream(target)) {
            bytes = in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("the download from " + Redaction.uri(request.uri().toString())
                    + " broke off", e);
        }
        String hex = hex(crc);
        OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
        evidence.accept(exchange(request, "", response.statusCode(), response.headers(),
                "<" + bytes + " bytes streamed to a file, crc32c " + hex + ">", started));
        if (declared.isPresent() && declared.getAsLong() != bytes) {
            throw new IllegalStateException("the storage proxy announced " + declared.getAsLong() + " bytes but sent "
                    + bytes + " (" + Redaction.uri(request.uri().toString()) + ")");
        }
        return new Download(target, bytes, hex, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * The CRC32C (hex) of a file: a fingerprint a person can compare at a glance in the report. (Not
     * SHA-256: the test JVMs run C1 only, where SHA-256 of a 48 MiB file took 0.6-1.4 s; CRC32C is
     * an intrinsic there too, a few ms.) Whether two files are the same is {@link #sameBytes}.
     */
    public static String crc32cOf(Path file) {
        CRC32C crc = new CRC32C();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return hex(crc);
    }

    /** The CRC32C (hex) of bytes in memory. */
    public static String crc32cOf(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return hex(crc);
    }

    /** The position of the first byte in which the files differ (or the shorter one's size), or -1 when identical. */
    public static long sameBytes(Path expected, Path actual) {
        try {
            return Files.mismatch(expected, actual);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + expected + " with " + actual, e);
        }
    }

    private static String hex(CRC32C crc) {
        return String.format("%08x", crc.getValue());
    }

    private HttpRequest patchRequest(TransferTicket ticket, long offset, HttpRequest.BodyPublisher body) {
        return builder(ticket.address(null))
                .header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", body).build();
    }

    private HttpRequest.Builder builder(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout);
    }

    private HttpResponse<byte[]> send(HttpRequest request, long bodyBytes) {
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            record(request, bodyBytes, response, started);
            return response;
        } catch (IOException e) {
            recordBroken(request, bodyBytes, e, started);
            if (request.method().equals("PATCH")) {
                throw new ChunkBrokeOff("the PATCH to " + Redaction.uri(request.uri().toString()) + " failed", e);
            }
            throw unreachable(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private ManagerUnreachable unreachable(HttpRequest request, IOException e) {
        return new ManagerUnreachable("cannot reach the storage proxy at " + Redaction.uri(request.uri().toString())
                + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Redaction.uri(e.getMessage()))
                + ")", e);
    }

    private static long offsetHeader(HttpRequest request, HttpResponse<byte[]> response) {
        String value = response.headers().firstValue("Upload-Offset").orElse(null);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // What the answer was instead (header names, its type and size; never its bytes): a reader
            // can tell a misrouted answer (a download's, the status page's) from a proxy that forgot.
            throw new IllegalStateException(request.method() + " " + Redaction.uri(request.uri().toString())
                    + " answered " + response.statusCode() + " without a valid Upload-Offset (" + value + "); "
                    + response.version() + ", Content-Type " + response.headers().firstValue("Content-Type").orElse("none")
                    + ", " + (response.body() == null ? 0 : response.body().length) + " body bytes, headers "
                    + response.headers().map().keySet());
        }
    }

    private static StorageRefusal refusal(HttpRequest request, HttpResponse<byte[]> response) {
        String type = null;
        String title = null;
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("json") && response.body().length > 0) {
            try {
                JsonNode problem = JSON.readTree(response.body());
                type = problem.path("type").isTextual() ? problem.path("type").asText() : null;
                title = problem.path("title").isTextual() ? problem.path("title").asText() : null;
            } catch (IOException notJson) {
                // keep the status only
            }
        }
        return new StorageRefusal(request.method() + " " + Redaction.uri(request.uri().toString()),
                response.statusCode(), type, title);
    }

    private void record(HttpRequest request, long bodyBytes, HttpResponse<byte[]> response, long started) {
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        evidence.accept(exchange(request, bodyBytes == 0 ? "" : "<" + bodyBytes + " bytes of binary data>",
                response.statusCode(), response.headers(), Redaction.body(response.body(), contentType), started));
    }

    private void recordBroken(HttpRequest request, long bodyBytes, IOException e, long started) {
        evidence.accept(exchange(request, bodyBytes == 0 ? "" : "<" + bodyBytes + " bytes of binary data>", 0,
                HttpHeaders.of(Map.of(), (a, b) -> true), "(no answer: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + Redaction.uri(e.getMessage())) + ")", started));
    }

    private static Exchange exchange(HttpRequest request, String requestBody, int status, HttpHeaders responseHeaders,
                                     String responseBody, long started) {
        Map<String, String> sent = new LinkedHashMap<>();
        request.headers().map().forEach((name, values) -> sent.put(name, Redaction.header(name, String.join(", ", values))));
        Map<String, String> received = new LinkedHashMap<>();
        responseHeaders.map().forEach((name, values) -> received.put(name, Redaction.header(name, String.join(", ", values))));
        return new Exchange(request.method(), Redaction.uri(request.uri().toString()), sent, requestBody, status, received,
                responseBody, (System.nanoTime() - started) / 1_000_000);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** A chunk that did not arrive: the connection failed while it was on its way. */
    static final class ChunkBrokeOff extends RuntimeException {
        ChunkBrokeOff(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Publishes the first {@code keep} bytes of a chunk, then fails the request body. */
    private static final class BreakingPublisher implements Flow.Publisher<ByteBuffer> {
        private final byte[] chunk;
        private final int keep;

        BreakingPublisher(byte[] chunk, int keep) {
            this.chunk = chunk;
            this.keep = keep;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean done;

                @Override
                public synchronized void request(long n) {
                    if (done) {
                        return;
                    }
                    done = true;
                    if (keep > 0) {
                        subscriber.onNext(ByteBuffer.wrap(chunk, 0, keep));
                    }
                    subscriber.onError(new IOException("the client broke the upload off on purpose after " + keep
                            + " bytes"));
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }

    /** A streamed response whose (error) body was read into memory. */
    private record BufferedResponse(HttpResponse<InputStream> origin, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return origin.statusCode();
        }

        @Override
        public HttpRequest request() {
            return origin.request();
        }

        @Override
        public java.util.Optional<HttpResponse<byte[]>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return origin.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return origin.sslSession();
        }

        @Override
        public URI uri() {
            return origin.uri();
        }

        @Override
        public HttpClient.Version version() {
            return origin.version();
        }

        @Override
        public String toString() {
            return statusCode() + " " + new String(body, StandardCharsets.UTF_8);
        }
    }
}
