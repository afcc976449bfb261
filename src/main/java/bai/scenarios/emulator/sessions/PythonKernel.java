package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One kernel's persistent {@code python3} process running {@code kernel_runner.py} in the
 * kernel's scratch directory (its {@code /home/work}), and the agent's code runner in front of
 * it: runs are serialised as the real agent serialises them (a new run waits until the current
 * one has finished and its result was collected), results wait at most the flush timeout, and
 * nothing here blocks a caller: every answer is a future.
 *
 * <p>Locking: this object's monitor guards the run state. It is a leaf lock: nothing else is
 * taken while holding it except the stdin pipe's (writes of a few bytes to a runner that always
 * reads). Futures are completed and listeners called only after the monitor is released.
 */
public final class PythonKernel {
    private static final Logger LOG = Logger.getLogger(PythonKernel.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the kernel tells its session about, from its reader thread (no lock held). */
    public interface Listener {
        void batchExited(int exitCode);

        /** The runner process is gone without having been asked to stop. */
        void died(String reason);
    }

    /** What one execute call answers (§4.8): status, run id, exit code, console items. */
    public record RunResult(String status, String runId, Integer exitCode, List<List<Object>> console,
                            String prompt) {
    }

    /** The kernel cannot run code any more (its process is gone or being stopped). */
    public static final class KernelGone extends RuntimeException {
        KernelGone(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Run {
        final String id;
        final List<String[]> console = new ArrayList<>();
        long bytes;
        Integer exitCode;
        String prompt;
        boolean delivered;

        Run(String id) {
            this.id = id;
        }
    }

    private record Queued(String runId, String code, Duration flush, CompletableFuture<RunResult> answer) {
    }

    private record Poll(CompletableFuture<RunResult> answer, ScheduledFuture<?> deadline) {
    }

    private final RunnerProcess process;
    private final OutputStream stdin;
    /** The session's, from the start or from {@link #claim}: a pooled runner has none before. */
    private volatile KernelLog log;
    private volatile Listener listener;
    private final Background background;
    private final long consoleCap;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** A pooled runner ({@code --pooled}) waiting for its session (its "idle"); never completes otherwise. */
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private final Object stdinLock = new Object();

    // Guarded by this.
    private Run current;
    private Integer lastExitCode;
    private final Deque<Queued> queued = new ArrayDeque<>();
    private Poll poll;
    private boolean stopping;
    private boolean ended;
    private String fatal;

    PythonKernel(RunnerProcess process, KernelLog log, Listener listener, Background background, long consoleCap) {
        this.process = process;
        this.stdin = process.toRunner();
        this.log = log;
        this.listener = listener;
        this.background = background;
        this.consoleCap = consoleCap;
        Thread reader = new Thread(this::read, "kernel-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Completes once the runner announced it can execute (after the bootstrap script). */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public long pid() {
        return process.pid();
    }

    /** Completes once a pooled runner waits for its session ({@code --pooled}). */
    CompletableFuture<Void> idle() {
        return idle;
    }

    /**
     * Makes a pooled runner the kernel of a session: its log and listener from now on, then the
     * claim (working directory, environment, bootstrap, read-only mounts, argv) sent to the
     * runner, which becomes ready as a cold-started one does. Called once, before any run.
     */
    void claim(KernelLog sessionLog, Listener sessionListener, JsonNode claim) {
        this.log = sessionLog;
        this.listener = sessionListener;
        synchronized (this) {
            requireUsable();
            send(JSON.createObjectNode().set("claim", claim));
        }
    }

    RunnerProcess process() {
        return process;
    }

    // --- runs ------------------------------------------------------------------------------

    /**
     * Runs {@code code} ({@code query} mode) under {@code runId} (a fresh 32-hex id when null);
     * waits behind an unfinished run, as the agent does.
     */
    public CompletableFuture<RunResult> query(String runId, String code, Duration wait) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<RunResult> answer;
        synchronized (this) {
            requireUsable();
            if (current != null && !current.delivered && current.id.equals(runId)) {
                answer = poll(wait, after);
            } else if (current != null && !current.delivered || !queued.isEmpty()) {
                answer = new CompletableFuture<>();
                queued.add(new Queued(runId, code, wait, answer));
            } else {
                answer = begin(runId, code, wait, after);
            }
        }
        after.forEach(Runnable::run);
        return answer;
    }

    /** More of the current run ({@code continue} mode). */
    public CompletableFuture<RunResult> resume(Duration wait) {
        return resume(null, wait);
    }

    /**
     * More of run {@code runId} ({@code continue} mode; null: the current run). A run that is
     * over, or not the current one, answers "finished" with no output: it never takes the output
     * of a run queued after it.
     */
    public CompletableFuture<RunResult> resume(String runId, Duration wait) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<RunResult> answer;
        synchronized (this) {
            requireUsable();
            if (current == null || current.delivered || runId != null && !runId.equals(current.id)) {
                String id = runId != null ? runId : current == null ? null : current.id;
                answer = CompletableFuture.completedFuture(new RunResult("finished", id,
                        lastExitCode == null ? 0 : lastExitCode, List.of(), null));
            } else {
                answer = poll(wait, after);
            }
        }
        after.forEach(Runnable::run);
        return answer;
    }

    /** Answers the current run's {@code input()} ({@code input} mode). */
    public CompletableFuture<RunResult> input(String text, Duration wait) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<RunResult> answer;
        synchronized (this) {
            requireUsable();
            if (current == null || current.delivered) {
                return resume(wait);
            }
            current.prompt = null;
            send(JSON.createObjectNode().put("input", text));
            answer = poll(wait, after);
        }
        after.forEach(Runnable::run);
        return answer;
    }

    /** Interrupts the current run, like Ctrl+C; does nothing between runs. */
    public void interrupt() {
        synchronized (this) {
            if (!ended && !stopping) {
                send(JSON.createObjectNode().put("interrupt", true));
            }
        }
    }

    /** Starts the batch task's startup command; its end is reported to the listener. */
    public void startBatch(String command) {
        synchronized (this) {
            if (!ended && !stopping) {
                send(JSON.createObjectNode().put("batch", command));
            }
        }
    }

    /**
     * Asks the runner to end: closing its stdin makes it kill every process of the kernel.
     * Returns at once; pending answers end as "finished" with exit code 1.
     */
    public CompletableFuture<Integer> stop() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            endRuns(after);
            notifyAll();
        }
        after.forEach(Runnable::run);
        try {
            process.endInput();
        } catch (IOException alreadyClosed) {
            // the runner is gone already
        }
        return process.onExit();
    }

    /** Kills the runner and every process it started, without asking (the emulator is ending). */
    public void kill() {
        stop();
        process.kill();
    }

    // --- inside the monitor ------------------------------------------------------------------

    private void requireUsable() {
        if (ended || stopping) {
            throw new KernelGone(fatal != null ? fatal : "the kernel has ended");
        }
    }

    private CompletableFuture<RunResult> begin(String runId, String code, Duration wait, List<Runnable> after) {
        current = new Run(runId != null && !runId.isEmpty() ? runId : newRunId());
        send(JSON.createObjectNode().put("code", code));
        return poll(wait, after);
    }

    private CompletableFuture<RunResult> poll(Duration wait, List<Runnable> after) {
        Run run = current;
        if (poll != null) {
            // A second caller takes over; the first one gets what there is so far.
            answerPoll(after);
        }
        CompletableFuture<RunResult> answer = new CompletableFuture<>();
        if (run.delivered) {
            // The first caller took this run's end (and the next queued run may have started).
            RunResult end = new RunResult("finished", run.id, run.exitCode, List.of(), null);
            after.add(() -> answer.complete(end));
            return answer;
        }
        if (hasNews()) {
            RunResult now = drain(after);
            after.add(() -> answer.complete(now));
            return answer;
        }
        Poll waiting = new Poll(answer, background.after(wait, () -> expire(answer)));
        poll = waiting;
        return answer;
    }

    /** Something to answer now: the run ended or asks for input, or its output filled the buffer. */
    /** Gives the waiting caller what there is now. */
    private void answerPoll(List<Runnable> after) {
        Poll waiting = poll;
        poll = null;
        waiting.deadline().cancel(false);
        RunResult now = drain(after);
        after.add(() -> waiting.answer().complete(now));
    }

    private boolean hasNews() {
        return current.exitCode != null || current.prompt != null || ended || current.bytes >= consoleCap;
    }

    private void expire(CompletableFuture<RunResult> answer) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (poll == null || poll.answer() != answer) {
                return;
            }
            poll = null;
            RunResult sofar = drain(after);
            after.add(() -> answer.complete(sofar));
        }
        after.forEach(Runnable::run);
    }

    /** Hands the current run's news to a caller; a finished run lets the next queued one start. */
    private RunResult drain(List<Runnable> after) {
        Run run = current;
        List<List<Object>> items = merged(run.console);
        run.console.clear();
        run.bytes = 0;
        notifyAll();
        if (ended && run.exitCode == null) {
            run.exitCode = 1;
        }
        if (run.exitCode != null) {
            run.delivered = true;
            lastExitCode = run.exitCode;
            startNextQueued(after);
            return new RunResult("finished", run.id, run.exitCode, items, null);
        }
        if (run.prompt != null) {
            return new RunResult("waiting-input", run.id, null, items, run.prompt);
        }
        return new RunResult("continued", run.id, null, items, null);
    }

    private void startNextQueued(List<Runnable> after) {
        Queued next = queued.poll();
        if (next == null || ended || stopping) {
            return;
        }
        CompletableFuture<RunResult> started = begin(next.runId(), next.code(), next.flush(), after);
        started.whenComplete((result, failure) -> {
            if (failure != null) {
                next.answer().completeExceptionally(failure);
            } else {
                next.answer().complete(result);
            }
        });
    }

    private void endRuns(List<Runnable> after) {
        if (current != null && !current.delivered) {
            if (current.exitCode == null) {
                current.exitCode = 1;
            }
            if (poll != null) {
                answerPoll(after);
            }
        }
        KernelGone gone = new KernelGone(fatal != null ? fatal : "the kernel has ended");
        for (Queued waiting : queued) {
            after.add(() -> waiting.answer().completeExceptionally(gone));
        }
        queued.clear();
    }

    private void send(JsonNode message) {
        byte[] line = (message.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (stdinLock) {
            try {
                stdin.write(line);
                stdin.flush();
            } catch (IOException gone) {
                // The runner has ended; the reader thread notices and reports it.
            }
        }
    }

    private static String newRunId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Consecutive stdout (or stderr) chunks merged, as the agent does. */
    private static List<List<Object>> merged(List<String[]> console) {
        List<List<Object>> items = new ArrayList<>();
        String stream = null;
        StringBuilder text = new StringBuilder();
        for (String[] item : console) {
            if (!item[0].equals(stream) && stream != null) {
                items.add(List.of(stream, text.toString()));
                text.setLength(0);
            }
            stream = item[0];
            text.append(item[1]);
        }
        if (stream != null) {
            items.add(List.of(stream, text.toString()));
        }
        return items;
    }

    // --- the reader thread -------------------------------------------------------------------

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.fromRunner(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode message;
                try {
                    message = JSON.readTree(line);
                } catch (IOException notJson) {
                    continue;
                }
                if (message != null) {
                    handle(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable closed) {
            // the runner went away (or this reader failed): either way the kernel has ended
            LOG.log(Level.FINE, "kernel output reader ended", closed);
        }
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            ended = true;
            endRuns(after);
            notifyAll();
        }
        after.forEach(Runnable::run);
        // Everything the runner said has been read (a "fatal" reason included); now its end.
        process.onExit().thenAccept(this::exited);
    }

    private void handle(JsonNode message) throws InterruptedException {
        String kind = message.path("t").asText();
        switch (kind) {
            case "out", "err" -> console(kind.equals("out") ? "stdout" : "stderr", message.path("d").asText());
            case "input", "done" -> news(kind, message);
            case "log" -> log.append(message.path("d").asText());
            case "batch-exit" -> listener.batchExited(message.path("exit").asInt(1));
            case "fatal" -> {
                synchronized (this) {
                    fatal = message.path("reason").asText();
                }
            }
            case "ready" -> ready.complete(null);
            case "idle" -> idle.complete(null);
            default -> { }
        }
    }

    /**
     * Output of the current run. A full buffer is handed to the waiting caller at once; until
     * someone collects it, the reader stops reading, which holds the runner back (bounded memory).
     */
    private void console(String stream, String text) throws InterruptedException {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (current == null || current.delivered) {
                return;
            }
            current.console.add(new String[] {stream, text});
            current.bytes += text.length();
            if (current.bytes >= consoleCap && poll != null) {
                answerPoll(after);
            }
        }
        after.forEach(Runnable::run);
        synchronized (this) {
            while (current.bytes >= consoleCap && !stopping && !ended && !current.delivered) {
                wait();
            }
        }
    }

    private void news(String kind, JsonNode message) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (current == null || current.delivered) {
                return;
            }
            if (kind.equals("done")) {
                current.exitCode = message.path("exit").asInt();
            } else {
                current.prompt = message.path("prompt").asText();
            }
            if (poll != null) {
                answerPoll(after);
            }
        }
        after.forEach(Runnable::run);
    }

    private void exited(int exitCode) {
        String reason;
        boolean expected;
        synchronized (this) {
            expected = stopping;
            reason = fatal != null ? fatal : "the kernel runner exited with code " + exitCode;
        }
        if (!ready.isDone()) {
            ready.completeExceptionally(new KernelGone(reason));
        }
        if (!idle.isDone()) {
            idle.completeExceptionally(new KernelGone(reason));
        }
        if (!expected) {
            try {
                listener.died(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "kernel listener failed", e);
            }
        }
    }
}
