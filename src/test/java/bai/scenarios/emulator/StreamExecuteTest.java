package bai.scenarios.emulator;

import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ExecuteStream;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.ManagerRejection;
import bai.scenarios.client.SessionsApi;
import bai.scenarios.client.SessionsApi.SessionRequest;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /stream/session/{name}/execute} through the suite's own WebSocket client
 * ({@link ExecuteStream}): the frames of a run, input, errors in user code and in the parameters,
 * refusals before the upgrade, and a client that leaves mid-run (the run is interrupted and the
 * kernel stays usable).
 */
@Order(5) // a long class: started early (pom.xml, surefire)
class StreamExecuteTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ManagerEmulator emulator;
    private static ManagerClient client;
    private static EmulatorCaller caller;
    private static UUID sessionId;
    private static String sessionName;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        client = new ManagerClient(emulator.endpoint(),
                new Credentials(EmulatorCaller.USER_AK, EmulatorCaller.USER_SK), ClientOptions.plain(RUN));
        caller = EmulatorCaller.user(emulator.endpoint(), RUN);
        sessionName = "stream-" + System.nanoTime();
        SessionsApi.Created created = client.sessions().createAndWait(
                SessionRequest.interactive(sessionName, "python", null, null), 60);
        assertThat(created.status()).isEqualTo("RUNNING");
        sessionId = created.id();
    }

    @AfterAll
    static void stop() {
        if (sessionId != null) {
            client.sessions().destroy(sessionId, true);
        }
        emulator.close();
    }

    private static ExecuteStream.Outcome run(String code, List<String> answers) {
        return client.sessions().streamRun(sessionName, code, answers, RUN);
    }

    @Test
    void aRunSendsItsOutputAndFinishedThenTheManagerCloses() {
        ExecuteStream.Outcome outcome = run("print(6*7)", List.of());
        assertThat(outcome.status()).as(outcome.describe()).isEqualTo("finished");
        assertThat(outcome.stdout()).isEqualTo("42\n");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.closeCode()).isEqualTo(1000);
        ExecuteStream.Frame last = outcome.frames().get(outcome.frames().size() - 1);
        assertThat(last.raw()).startsWith("{\"status\":\"finished\",\"console\":")
                .contains("\"options\":null", "\"files\":[]");
    }

    @Test
    void theSessionMayBeNamedByItsId() {
        ExecuteStream.Outcome outcome = client.sessions().streamRun(sessionId.toString(), "print('by id')",
                List.of(), RUN);
        assertThat(outcome.stdout()).as(outcome.describe()).isEqualTo("by id\n");
    }

    @Test
    void aLongRunIsSentInPiecesInOrder() {
        // Long next to the 0.2 s flush: it is sent in one piece only if the emulator's flush timer
        // fires over 2 s late (0.15 s sleeps, 0.75 s in all, once came in one piece on a busy machine).
        ExecuteStream.Outcome outcome = run("""
                import time
                for i in range(5):
                    print(i, flush=True)
                    time.sleep(0.5)
                """, List.of());
        assertThat(outcome.status()).as(outcome.describe()).isEqualTo("finished");
        assertThat(outcome.stdout()).isEqualTo("0\n1\n2\n3\n4\n");
        assertThat(outcome.frames()).as(outcome.describe()).hasSizeGreaterThan(1);
        assertThat(outcome.frames().subList(0, outcome.frames().size() - 1))
                .allSatisfy(frame -> assertThat(frame.status()).isEqualTo("continued"));
    }

    @Test
    void inputIsAskedForWithItsPromptAndAnsweredWithAPlainTextFrame() {
        ExecuteStream.Outcome outcome = run("name = input('who? ')\nprint('hello', name)", List.of("bob"));
        assertThat(outcome.status()).as(outcome.describe()).isEqualTo("finished");
        assertThat(outcome.stdout()).endsWith("hello bob\n");
        assertThat(outcome.frames()).anySatisfy(frame -> {
            assertThat(frame.status()).isEqualTo("waiting-input");
            assertThat(frame.prompt()).isEqualTo("who? ");
        });
    }

    @Test
    void anAnswerSentBeforeThePromptAnswersIt() throws InterruptedException {
        try (ExecuteStream stream = client.sessions().openStream(sessionName)) {
            stream.start("query", "import time\ntime.sleep(0.5)\nprint('got', input())", Map.of());
            stream.sendText("early");
            List<ExecuteStream.Frame> frames = new ArrayList<>();
            Optional<ExecuteStream.Frame> frame;
            while ((frame = stream.next(RUN)).isPresent()) {
                frames.add(frame.get());
            }
            assertThat(frames.get(frames.size() - 1).status()).isEqualTo("finished");
            assertThat(frames.stream().map(f -> f.console().toString()).toList().toString()).contains("got early");
        }
    }

    @Test
    void anErrorInTheUserCodeEndsTheRunWithItsTraceback() {
        ExecuteStream.Outcome outcome = run("print('before')\n1/0", List.of());
        assertThat(outcome.status()).as(outcome.describe()).isEqualTo("finished");
        assertThat(outcome.stdout()).isEqualTo("before\n");
        assertThat(outcome.stderr()).contains("ZeroDivisionError");
        assertThat(outcome.errorMsg()).isNull();
        assertThat(outcome.closeCode()).isEqualTo(1000);
    }

    @Test
    void aBadModeIsAnErrorFrameThenANormalClose() throws InterruptedException {
        try (ExecuteStream stream = client.sessions().openStream(sessionName)) {
            ExecuteStream.Outcome outcome = stream.run("continue", "", Map.of(), List.of(), RUN);
            assertThat(outcome.status()).isEqualTo("error");
            assertThat(outcome.errorMsg()).isEqualTo("BackendError: <InvalidStreamMode(400): "
                    + "Invalid or missing stream mode parameter. (mode has an invalid value.)>");
            assertThat(outcome.closeCode()).isEqualTo(1000);
        }
        try (ExecuteStream stream = client.sessions().openStream(sessionName)) {
            stream.sendText("{\"code\": \"print(1)\"}");
            ExecuteStream.Frame frame = stream.next(RUN).orElseThrow();
            assertThat(frame.msg()).contains("mode is missing or empty!");
            assertThat(stream.closeCode(RUN)).contains(1000);
        }
        try (ExecuteStream stream = client.sessions().openStream(sessionName)) {
            stream.sendText("not json");
            ExecuteStream.Frame frame = stream.next(RUN).orElseThrow();
            assertThat(frame.status()).isEqualTo("error");
            assertThat(frame.msg()).startsWith("Invalid API parameters: JSONDecodeError(");
            assertThat(stream.closeCode(RUN)).contains(1000);
        }
    }

    @Test
    void anUnknownSessionIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> client.sessions().openStream("no-such-session-" + System.nanoTime()))
                .isInstanceOfSatisfying(ManagerRejection.class, refused -> assertThat(refused.status()).isEqualTo(404));
        Answer plain = caller.call("GET", "/stream/session/no-such-session/execute", null);
        assertThat(plain.status()).isEqualTo(404);
        assertThat(plain.path("type").asText()).endsWith("/entity-not-found");
        assertThatThrownBy(() -> client.sessions().openStream(UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(ManagerRejection.class, refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void theUpgradeIsSignedAndAnUpgradeIsRequired() throws Exception {
        ManagerClient stranger = client.as(new Credentials(EmulatorCaller.USER_AK, "not-the-secret-key"));
        assertThatThrownBy(() -> stranger.sessions().openStream(sessionName))
                .isInstanceOfSatisfying(ManagerRejection.class, refused -> assertThat(refused.status()).isEqualTo(401));
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(emulator.endpoint() + "/stream/session/" + sessionName + "/execute")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        Answer notAnUpgrade = caller.call("GET", "/stream/session/" + sessionName + "/execute", null);
        assertThat(notAnUpgrade.status()).isEqualTo(400);
        assertThat(notAnUpgrade.path("type").asText()).endsWith("/generic-bad-request");
    }

    @Test
    void aFrozenManagerStillStreams() {
        EmulatorCaller admin = EmulatorCaller.superadmin(emulator.endpoint(), RUN);
        assertThat(admin.call("PUT", "/manager/status", Map.of("status", "frozen")).status()).isEqualTo(204);
        try {
            ExecuteStream.Outcome outcome = run("print('frozen')", List.of());
            assertThat(outcome.stdout()).as(outcome.describe()).isEqualTo("frozen\n");
        } finally {
            assertThat(admin.call("PUT", "/manager/status", Map.of("status", "running")).status()).isEqualTo(204);
        }
    }

    @Test
    void aClientLeavingMidRunInterruptsItAndTheKernelRunsTheNextCode() throws InterruptedException {
        try (ExecuteStream stream = client.sessions().openStream(sessionName)) {
            stream.start("query", "import time\nwhile True:\n    print('tick', flush=True)\n    time.sleep(0.05)",
                    Map.of());
            ExecuteStream.Frame first = stream.next(RUN).orElseThrow();
            assertThat(first.status()).isEqualTo("continued");
        }
        SessionsApi.Run after = client.sessions().run(sessionId, "print('after')", RUN);
        assertThat(after.stdout()).as(after.describe()).isEqualTo("after\n");
    }

    @Test
    void aClientLeavingWhileAskedForInputFreesTheKernelToo() throws InterruptedException {
        try (ExecuteStream stream = client.sessions().openStream(sessionName)) {
            stream.start("query", "input('never answered? ')\nprint('not reached')", Map.of());
            ExecuteStream.Frame frame;
            do {
                frame = stream.next(RUN).orElseThrow();
            } while (frame.status().equals("continued"));
            assertThat(frame.status()).isEqualTo("waiting-input");
        }
        ExecuteStream.Outcome next = run("print('free')", List.of());
        assertThat(next.stdout()).as(next.describe()).isEqualTo("free\n");
    }

    @Test
    void aDroppedConnectionInterruptsTheRun() throws InterruptedException {
        ExecuteStream stream = client.sessions().openStream(sessionName);
        stream.start("query", "import time\nwhile True:\n    time.sleep(0.05)", Map.of());
        assertThat(stream.next(RUN).orElseThrow().status()).isEqualTo("continued");
        stream.abort();
        SessionsApi.Run after = client.sessions().run(sessionId, "print('still here')", RUN);
        assertThat(after.stdout()).as(after.describe()).isEqualTo("still here\n");
    }

    @Test
    void aSessionDestroyedUnderAStreamEndsItAsTheManagerCancelsItsHandlers() throws InterruptedException {
        String name = "stream-doomed-" + System.nanoTime();
        UUID doomed = client.sessions().createAndWait(SessionRequest.interactive(name, "python", null, null), 60).id();
        try (ExecuteStream stream = client.sessions().openStream(name)) {
            stream.start("query", "input('waiting for ever? ')", Map.of());
            ExecuteStream.Frame frame;
            do {
                frame = stream.next(RUN).orElseThrow();
            } while (frame.status().equals("continued"));
            assertThat(frame.status()).isEqualTo("waiting-input");
            client.sessions().destroy(doomed, true);
            ExecuteStream.Frame last = stream.next(RUN).orElseThrow();
            assertThat(last.status()).isEqualTo("server-restarting");
            assertThat(last.msg()).contains("Please connect again with the same run ID.");
            assertThat(stream.closeCode(RUN)).contains(1000);
        }
    }

    @Test
    void streamsWaitingForTheKernelHoldNoRequestWorker() throws Exception {
        // More streams than the emulator has request workers (16), all queued behind one slow run.
        int count = 24;
        List<ExecuteStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ExecuteStream stream = client.sessions().openStream(sessionName);
                streams.add(stream);
                stream.start("query", i == 0 ? "import time\ntime.sleep(1)\nprint(0)" : "print(" + i + ")", Map.of());
            }
            long before = System.nanoTime();
            Answer info = caller.call("GET", "/session/" + sessionId, null);
            assertThat(info.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
            for (int i = 0; i < count; i++) {
                ExecuteStream.Outcome outcome = streams.get(i).follow(List.of(), RUN);
                assertThat(outcome.stdout()).as(outcome.describe()).isEqualTo(i + "\n");
                assertThat(outcome.closeCode()).isEqualTo(1000);
            }
        } finally {
            streams.forEach(ExecuteStream::close);
        }
    }
}
