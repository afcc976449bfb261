package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static bai.scenarios.emulator.FolderCalls.proxy;
import static bai.scenarios.emulator.FolderCalls.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storage proxy with many transfers at once, for a bounded time, over shared keep-alive
 * connections as the suite's client sends them: chunked uploads of several megabytes, uploads that
 * break off mid-body and resume from the offset {@code HEAD} reports, two PATCHes racing for the
 * same offset of one session, and ranged downloads. Every answer is checked as a tus or HTTP client
 * would read it, every file that lands is compared byte for byte, and a watchdog looks for
 * deadlocked threads. (A receiver started off the IO thread once ended an exchange with an empty
 * {@code 200} here; {@code vfolders.TusUploadTest} pins that moment down.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ResourceLock(value = "bai.unit.heavy", mode = ResourceAccessMode.READ)
class StorageProxyStressTest {
    /** How long the callers churn; {@code -Dbai.stress.storage-seconds=60 -Dtest=StorageProxyStressTest} for a long hunt. */
    private static final Duration CHURN = Duration.ofSeconds(Long.getLong("bai.stress.storage-seconds", 1));
    private static final int CALLERS = 4;
    private static final int MIB = 1024 * 1024;
    private static final int CHUNK = MIB;
    private static final String PROBS = "https://api.backend.ai/probs/";
    private static final Set<String> LOSING_RACE = Set.of(PROBS + "storage/tus-lease-held",
            PROBS + "storage/upload-offset-mismatch", PROBS + "storage/tus-session-not-found");

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private ManagerEmulator emulator;
    private FolderCalls user;
    private String folder;
    private byte[] shared;

    @BeforeEach
    void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        user = new FolderCalls(EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(30)));
        folder = "stress-" + System.nanoTime();
        user.create(folder);
        shared = bytes(3 * MIB + 17, new Random(7));
        user.upload(folder, "shared.bin", shared);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void concurrentTransfersLandWholeAndEveryAnswerIsTheOneItsRequestAsked() throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.scheduleWithFixedDelay(this::lookForDeadlocks, 100, 100, TimeUnit.MILLISECONDS);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        ExecutorService racers = Executors.newFixedThreadPool(2 * CALLERS);
        long deadline = System.nanoTime() + CHURN.toNanos();
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int id = caller;
                running.add(CompletableFuture.runAsync(() -> churn(id, deadline, racers), callers));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } finally {
            callers.shutdownNow();
            racers.shutdownNow();
            watchdog.shutdownNow();
        }
        assertThat(failures).as("failures while transfers ran at once").isEmpty();
        assertThat(done.keySet()).as("every kind of transfer ran")
                .containsExactlyInAnyOrder("chunked", "broken off", "race", "ranges");
        HttpResponse<byte[]> status = proxy("GET", emulator.storageProxyEndpoint() + "/", Map.of(), null);
        assertThat(status.statusCode()).as("the proxy still answers").isEqualTo(200);
    }

    /** One caller: the four kinds of transfer in turn until the deadline (each at least once). */
    private void churn(int caller, long deadline, ExecutorService racers) {
        Random random = new Random(caller);
        int round = caller;
        do {
            try {
                switch (round++ % 4) {
                    case 0 -> chunkedUpload(random);
                    case 1 -> brokenOffUpload(random);
                    case 2 -> racingPatches(random, racers);
                    default -> rangedDownloads(random);
                }
            } catch (RuntimeException | AssertionError failure) {
                failures.add("caller " + caller + ": " + failure);
                return;
            }
        } while (System.nanoTime() < deadline || round - caller < 4);
    }

    /** A few megabytes in 1 MiB PATCHes, each answered 204 with the offset after it. */
    private void chunkedUpload(Random random) {
        byte[] content = bytes((1 + random.nextInt(4)) * MIB + random.nextInt(4096), random);
        String path = "up/chunked-" + counter.incrementAndGet() + ".bin";
        Ticket ticket = requestUpload(path, content.length);
        for (int offset = 0; offset < content.length; offset += CHUNK) {
            int end = Math.min(content.length, offset + CHUNK);
            HttpResponse<byte[]> answer = FolderCalls.patch(ticket.url(), ticket.token(), offset,
                    Arrays.copyOfRange(content, offset, end));
            expectOffset(answer, "PATCH at " + offset + " of " + path, end);
        }
        expectLanded(path, content);
        done.computeIfAbsent("chunked", k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * A PATCH whose connection is reset after part of its body, then the rest from the offset
     * {@code HEAD} reports, repeated while the proxy still holds the broken request's lease.
     */
    private void brokenOffUpload(Random random) {
        byte[] content = bytes(2 * MIB + random.nextInt(4096), random);
        String path = "up/broken-" + counter.incrementAndGet() + ".bin";
        Ticket ticket = requestUpload(path, content.length);
        int keep = 64 * 1024 + random.nextInt(MIB);
        sendPartOfPatchAndReset(ticket, content, keep);
        HttpResponse<byte[]> head = proxy("HEAD", withToken(ticket.url(), ticket.token()),
                Map.of("Tus-Resumable", "1.0.0"), null);
        assertThat(head.statusCode()).as("HEAD after the break").isEqualTo(200);
        int offset = Integer.parseInt(head.headers().firstValue("Upload-Offset").orElseThrow());
        assertThat(offset).as("offset after %s bytes of a broken PATCH", keep).isBetween(0, keep);
        AtomicReference<String> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        HttpResponse<byte[]> answer = FolderCalls.patch(ticket.url(), ticket.token(), offset,
                                Arrays.copyOfRange(content, offset, content.length));
                        last.set(describe(answer));
                        if (answer.statusCode() == 409 && problemType(answer).equals(PROBS + "storage/tus-lease-held")) {
                            return false;
                        }
                        expectOffset(answer, "resumed PATCH at " + offset + " of " + path, content.length);
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the lease of the broken PATCH to " + path + " was never released; last: "
                    + last.get());
        }
        expectLanded(path, content);
        done.computeIfAbsent("broken off", k -> new AtomicInteger()).incrementAndGet();
    }

    /** Two PATCHes of the whole file at offset 0 at once: one lands, the other is refused as a tus server must. */
    private void racingPatches(Random random, ExecutorService racers) {
        byte[] content = bytes(MIB + random.nextInt(MIB), random);
        String path = "up/race-" + counter.incrementAndGet() + ".bin";
        Ticket ticket = requestUpload(path, content.length);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<byte[]>>> racing = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> {
                awaitQuietly(go);
                return FolderCalls.patch(ticket.url(), ticket.token(), 0, content);
            }, racers));
        }
        go.countDown();
        List<HttpResponse<byte[]>> answers = racing.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<byte[]>> landed = answers.stream().filter(a -> a.statusCode() == 204).toList();
        assertThat(landed).as("PATCHes of %s that landed: %s", path, answers.stream().map(this::describe).toList())
                .hasSize(1);
        expectOffset(landed.get(0), "the winning PATCH of " + path, content.length);
        HttpResponse<byte[]> lost = answers.stream().filter(a -> a != landed.get(0)).findFirst().orElseThrow();
        assertThat(problemType(lost)).as("the losing PATCH of %s: %s", path, describe(lost)).isIn(LOSING_RACE);
        expectLanded(path, content);
        done.computeIfAbsent("race", k -> new AtomicInteger()).incrementAndGet();
    }

    /** Slices of the shared file by {@code Range}, each the bytes it names. */
    private void rangedDownloads(Random random) {
        Answer session = user.call("POST", "/folders/" + folder + "/request-download", Map.of("path", "shared.bin"));
        assertThat(session.status()).as("request-download: %s", session.body()).isEqualTo(200);
        String url = withToken(session.path("url").asText(), session.path("token").asText());
        for (int i = 0; i < 3; i++) {
            int from = random.nextInt(shared.length - 1);
            int to = Math.min(shared.length - 1, from + random.nextInt(MIB));
            HttpResponse<byte[]> slice = proxy("GET", url, Map.of("Range", "bytes=" + from + "-" + to), null);
            assertThat(slice.statusCode()).as("GET bytes=%s-%s: %s", from, to, describe(slice)).isEqualTo(206);
            assertThat(Arrays.mismatch(slice.body(), Arrays.copyOfRange(shared, from, to + 1)))
                    .as("first wrong byte of the slice %s-%s (-1: none)", from, to).isEqualTo(-1);
        }
        done.computeIfAbsent("ranges", k -> new AtomicInteger()).incrementAndGet();
    }

    private record Ticket(String url, String token) {
    }

    private Ticket requestUpload(String path, long size) {
        Answer session = user.call("POST", "/folders/" + folder + "/request-upload", Map.of("path", path, "size", size));
        assertThat(session.status()).as("request-upload %s: %s", path, session.body()).isEqualTo(200);
        return new Ticket(session.path("url").asText(), session.path("token").asText());
    }

    /** The request line, headers and {@code keep} bytes of a PATCH at 0, then a reset connection. */
    private static void sendPartOfPatchAndReset(Ticket ticket, byte[] content, int keep) {
        URI uri = URI.create(withToken(ticket.url(), ticket.token()));
        String head = "PATCH " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                + "Content-Type: application/offset+octet-stream\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoLinger(true, 0); // close sends a reset, as a client that dies does
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, keep);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the PATCH to break off could not be sent", e);
        }
    }

    private void expectOffset(HttpResponse<byte[]> answer, String what, long offset) {
        assertThat(answer.statusCode()).as("%s: %s", what, describe(answer)).isEqualTo(204);
        assertThat(answer.headers().firstValue("Upload-Offset")).as("%s: %s", what, describe(answer))
                .contains(String.valueOf(offset));
    }

    private void expectLanded(String path, byte[] content) {
        byte[] landed = user.download(folder, path);
        assertThat(landed.length).as("bytes of %s", path).isEqualTo(content.length);
        assertThat(Arrays.mismatch(landed, content)).as("first wrong byte of %s (-1: none)", path).isEqualTo(-1);
    }

    private String describe(HttpResponse<byte[]> answer) {
        return answer.statusCode() + " " + answer.headers().map().keySet() + " "
                + new String(answer.body(), 0, Math.min(answer.body().length, 200), StandardCharsets.UTF_8);
    }

    private static String problemType(HttpResponse<byte[]> answer) {
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return "(not a problem: " + answer.statusCode() + ")";
        }
        JsonNode problem = FolderCalls.json(answer);
        return problem.path("type").asText();
    }

    private void lookForDeadlocks() {
        long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (deadlocked != null) {
            failures.add("deadlocked threads: " + Arrays.toString(deadlocked));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(int size, Random random) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
