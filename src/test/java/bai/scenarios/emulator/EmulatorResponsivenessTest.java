package bai.scenarios.emulator;

import bai.scenarios.client.transport.HmacSigner;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing a caller sends can stall other callers: waiting creates and event subscribers hold no
 * worker, bodies are not read before the caller is authenticated, and oversized bodies are
 * refused without being read. The bounds here are generous liveness limits (seconds), not speed
 * measurements: a pinned worker pool never answers at all.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ResourceLock("bai.unit.heavy") // times answers under load it makes: never beside another heavy class
class EmulatorResponsivenessTest {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private ManagerEmulator emulator;
    private EmulatorCaller admin;

    @BeforeEach
    void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofMinutes(1));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void aHundredWaitingCreatesAndTwoHundredSubscribersLeaveTheEmulatorAnswering() throws Exception {
        List<BufferedReader> subscribers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            subscribers.add(admin.events(null));
        }
        List<CompletableFuture<Answer>> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // 64 CPUs fit no agent: each create waits (max_wait_seconds 0: for ever) for RUNNING.
            waiting.add(admin.callAsync("POST", "/session", Map.of("session_name", "waiting-" + i, "image", "python",
                    "config", Map.of("resources", Map.of("cpu", "64")))));
        }
        org.awaitility.Awaitility.await("100 sessions to be enqueued").atMost(Duration.ofSeconds(60))
                .until(() -> admin.call("GET", "/session/waiting-99", null).status() == 200);

        for (int i = 0; i < 20; i++) {
            long started = System.nanoTime();
            Answer health = admin.call("GET", "/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWER_WITHIN);
        }
        Answer info = admin.call("GET", "/session/waiting-0", null);
        assertThat(info.path("status").asText()).isEqualTo("PENDING");
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        // Every subscriber hears about a session event.
        admin.call("DELETE", "/session/waiting-0", null);
        for (BufferedReader subscriber : subscribers) {
            assertThat(skipTo(subscriber, "event: session_cancelled")).isTrue();
        }
        // The waiting create of the cancelled session is answered, the others still wait.
        Answer cancelled = waiting.get(0).get(30, TimeUnit.SECONDS);
        assertThat(cancelled.status()).isEqualTo(404);
        assertThat(waiting.subList(1, 100)).noneMatch(CompletableFuture::isDone);
        for (BufferedReader subscriber : subscribers) {
            subscriber.close();
        }
    }

    /** Reads the stream up to {@code wanted}; false if the stream ends first. */
    private static boolean skipTo(BufferedReader stream, String wanted) throws IOException {
        String line;
        while ((line = stream.readLine()) != null) {
            if (line.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anUnauthenticatedCallerGetsItsAnswerWithoutTheEmulatorReadingItsBody() throws Exception {
        try (Socket socket = new Socket(emulator.endpoint().getHost(), emulator.endpoint().getPort())) {
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis() * 6);
            OutputStream out = socket.getOutputStream();
            // Announces 60 MB, sends 1 KB: the answer must come without the rest.
            out.write(("POST /admin/gql HTTP/1.1\r\nHost: " + emulator.endpoint().getAuthority()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 60000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 401");
            assertThat(head.toLowerCase()).contains("connection: close");
        }
    }

    @Test
    void aBodyLargerThanTheRouteReadsIsRefusedWithoutBeingRead() throws Exception {
        String target = "/admin/gql";
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
        String signature = HmacSigner.signature(EmulatorCaller.SUPERADMIN_SK, new HmacSigner.Signable("POST", target,
                date, HmacSigner.host(emulator.endpoint()), "application/json"));
        try (Socket socket = new Socket(emulator.endpoint().getHost(), emulator.endpoint().getPort())) {
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis() * 6);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + target + " HTTP/1.1\r\nHost: " + emulator.endpoint().getAuthority()
                    + "\r\nContent-Type: application/json\r\nDate: " + date + "\r\nX-BackendAI-Version: "
                    + HmacSigner.API_VERSION + "\r\nAuthorization: "
                    + HmacSigner.authorization(EmulatorCaller.SUPERADMIN_AK, signature)
                    + "\r\nContent-Length: 60000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            String head = readHead(socket.getInputStream());
            // The manager's answer: aiohttp's "entity too large", turned into a 400 by its exception middleware.
            assertThat(head).startsWith("HTTP/1.1 400");
            assertThat(head.toLowerCase()).contains("application/problem+json");
        }
        // And the emulator keeps answering.
        assertThat(admin.call("GET", "/health", null).status()).isEqualTo(200);
    }

    @Test
    void aJsonBodyOverOneMebibyteGetsTheManagersAnswerAndSmallerOnesWork() {
        String big = "x".repeat(1024 * 1024 + 1);
        Answer refused = admin.call("POST", "/admin/gql", Map.of("query", "{ domains { name } }", "padding", big));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.path("type").asText()).endsWith("generic-bad-request");
        Answer fine = admin.call("POST", "/admin/gql", Map.of("query", "{ domains { name } }", "padding", "x"));
        assertThat(fine.status()).isEqualTo(200);
    }

    /** The status line and headers of an HTTP answer. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
