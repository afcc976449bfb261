package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kernel runner and the agent's code runner in front of it: real code, persistent state,
 * exit codes, continued runs, input, interrupts at any moment, queued runs, bootstrap, bounds.
 * Nothing here depends on how fast a process starts: every wait is for a state, never a guess.
 */
@Order(2) // a long class: started early (pom.xml, surefire)
class PythonKernelTest {
    /** How long an answer may take on a loaded machine; a passing test never waits for it. */
    private static final long ANSWER_SECONDS = 30;
    /** Flush timeout for runs that finish quickly; long enough to rarely see "continued". */
    private static final Duration FLUSH = Duration.ofSeconds(5);
    /** Flush timeout for runs that are known to be still going. */
    private static final Duration SHORT = Duration.ofMillis(50);

    // One host for the class (its fork server starts once); each test stops the kernels it launched.
    private static Background background;
    private static KernelHost host;
    private final List<Map.Entry<UUID, PythonKernel>> launched = new CopyOnWriteArrayList<>();
    private final List<Integer> batchExits = new CopyOnWriteArrayList<>();
    private final List<String> deaths = new CopyOnWriteArrayList<>();
    private final KernelLog log = new KernelLog(KernelLog.DEFAULT_CAP);
    private UUID kernelId;
    private PythonKernel kernel;

    @BeforeEach
    void start() throws Exception {
        kernel = launch(null);
    }

    @BeforeAll
    static void startHost() {
        background = new Background(2);
        host = new KernelHost("python3", KernelHost.Limits.DEFAULT, background);
    }

    @AfterAll
    static void stopHost() {
        host.close();
        background.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (Map.Entry<UUID, PythonKernel> each : launched) {
            host.stop(each.getValue(), each.getKey()).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        }
    }

    private PythonKernel launch(String bootstrap) throws Exception {
        kernelId = UUID.randomUUID();
        PythonKernel.Listener listener = new PythonKernel.Listener() {
            @Override
            public void batchExited(int exitCode) {
                batchExits.add(exitCode);
            }

            @Override
            public void died(String reason) {
                deaths.add(reason);
            }
        };
        PythonKernel started = host.launch(new KernelHost.Spec(kernelId, Map.of("GREETING", "hello"), bootstrap, log,
                listener)).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        launched.add(Map.entry(kernelId, started));
        return started;
    }

    private static PythonKernel.RunResult answer(CompletableFuture<PythonKernel.RunResult> result) throws Exception {
        return result.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    /** Follows a run until it finishes, collecting every console item on the way. */
    private PythonKernel.RunResult finish(PythonKernel.RunResult first, StringBuilder all) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
        PythonKernel.RunResult result = first;
        append(result, all);
        while (!result.status().equals("finished")) {
            assertThat(System.nanoTime()).as("the run finished within %d s; output so far: %s", ANSWER_SECONDS, all)
                    .isLessThan(deadline);
            result = answer(kernel.resume(FLUSH));
            append(result, all);
        }
        return result;
    }

    private static void append(PythonKernel.RunResult result, StringBuilder all) {
        result.console().forEach(item -> all.append(item.get(1)));
    }

    private Path workdir() {
        return host.workdir(kernelId);
    }

    @Test
    void keepsStateBetweenRunsAndMergesOutput() throws Exception {
        assertThat(answer(kernel.query(null, "x = 21", FLUSH)).exitCode()).isZero();
        PythonKernel.RunResult result = finish(answer(kernel.query(null, "print(x * 2); print('again')", FLUSH)),
                new StringBuilder());
        assertThat(result.console()).containsExactly(List.of("stdout", "42\nagain\n"));
    }

    @Test
    void reportsExitCodesAndErrorsFromTheUsersCodeOnly() throws Exception {
        assertThat(answer(kernel.query(null, "import sys; sys.exit(4)", FLUSH)).exitCode()).isEqualTo(4);
        PythonKernel.RunResult error = answer(kernel.query(null, "1/0", FLUSH));
        assertThat(error.exitCode()).isEqualTo(1);
        assertThat(error.console().get(0).get(0)).isEqualTo("stderr");
        assertThat((String) error.console().get(0).get(1)).contains("ZeroDivisionError").doesNotContain("kernel_runner");
    }

    @Test
    void runsInTheKernelsWorkingDirectoryWithTheSessionsEnvironment() throws Exception {
        StringBuilder out = new StringBuilder();
        finish(answer(kernel.query(null, "import os; open('note.txt', 'w').write('hi'); print(os.environ['GREETING'])",
                FLUSH)), out);
        assertThat(workdir().resolve("note.txt")).hasContent("hi");
        assertThat(out.toString()).isEqualTo("hello\n");
    }

    @Test
    void aRunThatIsStillGoingIsContinuedUnderTheSameRunIdAndNoOutputIsLost() throws Exception {
        PythonKernel.RunResult first = answer(kernel.query("my-run", """
                import os, time
                print('before')
                while not os.path.exists('go'):
                    time.sleep(0.01)
                print('after')
                """, SHORT));
        assertThat(first.status()).isEqualTo("continued");
        assertThat(first.runId()).isEqualTo("my-run");
        StringBuilder all = new StringBuilder();
        append(first, all);
        Files.writeString(workdir().resolve("go"), "");
        PythonKernel.RunResult last = finish(answer(kernel.resume(FLUSH)), all);
        assertThat(last.runId()).isEqualTo("my-run");
        assertThat(all.toString()).isEqualTo("before\nafter\n");
    }

    @Test
    void inputRequestsWaitForAnAnswer() throws Exception {
        PythonKernel.RunResult asking = answer(kernel.query(null, "print('hi', input('name? '))", FLUSH));
        assertThat(asking.status()).isEqualTo("waiting-input");
        assertThat(asking.prompt()).isEqualTo("name? ");
        StringBuilder out = new StringBuilder();
        finish(answer(kernel.input("Bob", FLUSH)), out);
        assertThat(out.toString()).isEqualTo("hi Bob\n");
    }

    @Test
    void anInterruptStopsTheRunningCodeWithKeyboardInterrupt() throws Exception {
        PythonKernel.RunResult started = answer(kernel.query(null, "import time; time.sleep(60)", SHORT));
        kernel.interrupt();
        StringBuilder all = new StringBuilder();
        PythonKernel.RunResult interrupted = finish(started, all);
        assertThat(interrupted.exitCode()).isEqualTo(1);
        assertThat(all.toString()).contains("KeyboardInterrupt").doesNotContain("kernel_runner");
    }

    @Test
    void anInterruptSentTheMomentARunStartsStillReachesIt() throws Exception {
        CompletableFuture<PythonKernel.RunResult> run = kernel.query(null, "import time; time.sleep(60)", SHORT);
        kernel.interrupt();
        StringBuilder all = new StringBuilder();
        assertThat(finish(answer(run), all).exitCode()).isEqualTo(1);
        assertThat(all.toString()).contains("KeyboardInterrupt");
    }

    @Test
    void interruptsBeforeAnyCodeAndBetweenRunsAreHarmless() throws Exception {
        kernel.interrupt();
        kernel.interrupt();
        assertThat(answer(kernel.query(null, "x = 1", FLUSH)).exitCode()).isZero();
        kernel.interrupt();
        StringBuilder out = new StringBuilder();
        assertThat(finish(answer(kernel.query(null, "print(x + 1)", FLUSH)), out).exitCode()).isZero();
        assertThat(out.toString()).isEqualTo("2\n");
    }

    @Test
    void anInterruptDuringInputEndsThatRunAndTheKernelCarriesOn() throws Exception {
        assertThat(answer(kernel.query(null, "input('? ')", FLUSH)).status()).isEqualTo("waiting-input");
        kernel.interrupt();
        StringBuilder all = new StringBuilder();
        assertThat(finish(answer(kernel.resume(FLUSH)), all).exitCode()).isEqualTo(1);
        assertThat(all.toString()).contains("KeyboardInterrupt");
        StringBuilder out = new StringBuilder();
        finish(answer(kernel.query(null, "print('still here')", FLUSH)), out);
        assertThat(out.toString()).isEqualTo("still here\n");
    }

    @Test
    void aSecondRunWaitsUntilTheFirstHasFinishedAndBeenCollected() throws Exception {
        PythonKernel.RunResult first = answer(kernel.query(null, """
                import os, time
                while not os.path.exists('go'):
                    time.sleep(0.01)
                print('first')
                """, SHORT));
        CompletableFuture<PythonKernel.RunResult> second = kernel.query(null, "print('second')", FLUSH);
        assertThat(second).isNotDone();
        Files.writeString(workdir().resolve("go"), "");
        StringBuilder firstOut = new StringBuilder();
        finish(first, firstOut);
        StringBuilder secondOut = new StringBuilder();
        PythonKernel.RunResult secondResult = finish(answer(second), secondOut);
        assertThat(firstOut.toString()).isEqualTo("first\n");
        assertThat(secondOut.toString()).isEqualTo("second\n");
        assertThat(secondResult.runId()).isNotEqualTo(first.runId());
    }

    @Test
    void twoCallersFollowingOneRunBothGetAnAnswerAndTheQueuedRunStillStarts() throws Exception {
        String first = answer(kernel.query(null, """
                import os, time
                while not os.path.exists('go'):
                    time.sleep(0.01)
                """, SHORT)).runId();
        CompletableFuture<PythonKernel.RunResult> queued = kernel.query(null, "print('queued')", FLUSH);
        CompletableFuture<PythonKernel.RunResult> one = kernel.resume(first, FLUSH);
        Files.writeString(workdir().resolve("go"), "");
        CompletableFuture<PythonKernel.RunResult> two = kernel.resume(first, FLUSH);
        assertThat(List.of(answer(one).status(), answer(two).status())).contains("finished");
        StringBuilder out = new StringBuilder();
        finish(answer(queued), out);
        assertThat(out.toString()).isEqualTo("queued\n");
    }

    @Test
    void runawayOutputIsHeldBackNotBufferedAndCanBeInterrupted() throws Exception {
        PythonKernel.RunResult result = answer(kernel.query(null, "while True: print('y' * 1000)", SHORT));
        for (int i = 0; i < 3; i++) {
            assertThat(result.status()).isEqualTo("continued");
            // At most the buffer's cap (1 MiB) plus the line that crossed it, however long it ran.
            assertThat(result.console().stream().mapToInt(item -> ((String) item.get(1)).length()).sum())
                    .isLessThanOrEqualTo(1024 * 1024 + 64 * 1024);
            result = answer(kernel.resume(SHORT));
        }
        kernel.interrupt();
        assertThat(finish(result, new StringBuilder()).exitCode()).isEqualTo(1);
    }

    @Test
    void memoryBeyondTheKernelsLimitIsAMemoryErrorNotACrash() throws Exception {
        StringBuilder all = new StringBuilder();
        assertThat(finish(answer(kernel.query(null, "x = bytearray(64 * 1024 ** 3)", FLUSH)), all).exitCode())
                .isEqualTo(1);
        assertThat(all.toString()).contains("MemoryError");
        assertThat(answer(kernel.query(null, "pass", FLUSH)).exitCode()).isZero();
    }

    @Test
    void theBootstrapScriptHasRunWhenTheKernelIsReady() throws Exception {
        PythonKernel booted = launch("echo booted > boot.txt; echo 'bootstrap says hi'");
        assertThat(workdir().resolve("boot.txt")).hasContent("booted");
        assertThat(log.toString()).contains("bootstrap says hi");
        assertThat(answer(booted.query(null, "print(open('boot.txt').read())", FLUSH)).exitCode()).isZero();
    }

    @Test
    void aBootstrapScriptThatFloodsItsOutputFailsTheKernelWithAReason() {
        assertThatThrownBy(() -> launch("yes"))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining("bootstrap script output exceeded");
    }

    @Test
    void aBatchCommandReportsItsExitCodeAndItsOutputGoesToTheLog() throws Exception {
        kernel.startBatch("echo from-batch; exit 3");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(ANSWER_SECONDS)).until(() -> !batchExits.isEmpty());
        assertThat(batchExits).containsExactly(3);
        assertThat(log.toString()).contains("from-batch");
    }

    @Test
    void aKernelWhoseProcessEndsIsReportedAndRefusesFurtherRuns() throws Exception {
        CompletableFuture<PythonKernel.RunResult> dying = kernel.query(null, "import os; os._exit(3)", FLUSH);
        assertThat(finish(answer(dying), new StringBuilder()).exitCode()).isEqualTo(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(ANSWER_SECONDS)).until(() -> !deaths.isEmpty());
        assertThat(deaths.get(0)).contains("exited with code 3");
        assertThatThrownBy(() -> kernel.query(null, "pass", FLUSH)).isInstanceOf(PythonKernel.KernelGone.class);
    }

    @Test
    void stoppingAKernelEndsEveryProcessItStartedAndRemovesItsScratchDirectory() throws Exception {
        PythonKernel.RunResult started = answer(kernel.query(null,
                "import subprocess; child = subprocess.Popen(['sleep', '300']); print(child.pid)", FLUSH));
        StringBuilder out = new StringBuilder();
        finish(started, out);
        long child = Long.parseLong(out.toString().strip());
        host.stop(kernel, kernelId).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        assertThat(kernel.process().isAlive()).isFalse();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true) || isZombie(child));
        assertThat(workdir()).doesNotExist();
    }

    /** A killed child whose parent is gone waits to be reaped by init; it is not running any more. */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException gone) {
            return true;
        }
    }
}
