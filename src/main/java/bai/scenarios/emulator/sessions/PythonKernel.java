package bai.scenarios.emulator.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A kernel's persistent host {@code python3} interpreter, running {@code kernel_runner.py} in
 * the kernel's scratch directory (its {@code /home/work}). Runs are serialised: one at a time,
 * as in a real kernel. The emulator executes whatever code it is sent, as the user's own process.
 */
public final class PythonKernel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RUNNER = extractRunner();

    private final Process process;
    private final Writer stdin;
    private final List<String[]> console = new ArrayList<>();
    private String runId;
    private Integer exitCode;
    private String waitingPrompt;
    private boolean ended;

    private PythonKernel(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(process.getInputStream()), "kernel-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The interpreter to run: {@code python3}, or what {@code bai.emulator.python} names. */
    public static String interpreter() {
        return System.getProperty("bai.emulator.python", "python3");
    }

    /** Starts the interpreter in {@code workdir}; an IOException when there is none. */
    public static PythonKernel start(Path workdir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(interpreter(), "-u", RUNNER.toString())
                .directory(workdir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HOME", workdir.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return new PythonKernel(builder.start());
    }

    /** What one execute call answers (§4.8): status, run id, exit code, console items. */
    public record RunResult(String status, String runId, Integer exitCode, List<List<Object>> console,
                            String prompt) {
    }

    /** Starts running {@code code} and waits up to {@code wait} for it to finish. */
    public synchronized RunResult run(String code, Duration wait) throws InterruptedException {
        if (runId != null && exitCode == null) {
            throw new IllegalStateException("a run is still going on: " + runId);
        }
        runId = UUID.randomUUID().toString().replace("-", "");
        exitCode = null;
        waitingPrompt = null;
        console.clear();
        send("code", code);
        return collect(wait);
    }

    /** More output of the current run ({@code continue} mode). */
    public synchronized RunResult resume(Duration wait) throws InterruptedException {
        return collect(wait);
    }

    /** Answers a {@code waiting-input} run ({@code input} mode). */
    public synchronized RunResult input(String text, Duration wait) throws InterruptedException {
        waitingPrompt = null;
        send("input", text);
        return collect(wait);
    }

    /** Interrupts the running code, like Ctrl+C. */
    public void interrupt() throws IOException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    }

    public synchronized String currentRunId() {
        return runId;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RunResult collect(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (exitCode == null && waitingPrompt == null && !ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            // Woken by the output reader on every message.
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<List<Object>> items = merged();
        console.clear();
        if (ended && exitCode == null) {
            exitCode = 1;
        }
        if (exitCode != null) {
            return new RunResult("finished", runId, exitCode, items, null);
        }
        if (waitingPrompt != null) {
            return new RunResult("waiting-input", runId, null, items, waitingPrompt);
        }
        return new RunResult("continued", runId, null, items, null);
    }

    /** Consecutive stdout (or stderr) chunks merged, as the agent does. */
    private List<List<Object>> merged() {
        List<List<Object>> items = new ArrayList<>();
        for (String[] item : console) {
            if (!items.isEmpty() && items.get(items.size() - 1).get(0).equals(item[0])) {
                List<Object> last = items.get(items.size() - 1);
                last.set(1, last.get(1) + item[1]);
            } else {
                items.add(new ArrayList<>(List.of(item[0], item[1])));
            }
        }
        return items;
    }

    private void send(String key, String value) {
        try {
            stdin.write(JSON.createObjectNode().put(key, value).toString() + "\n");
            stdin.flush();
        } catch (IOException e) {
            ended = true;
        }
    }

    private void read(InputStream output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode message = JSON.readTree(line);
                synchronized (this) {
                    switch (message.path("t").asText()) {
                        case "out" -> console.add(new String[] {"stdout", message.path("d").asText()});
                        case "err" -> console.add(new String[] {"stderr", message.path("d").asText()});
                        case "input" -> waitingPrompt = message.path("prompt").asText();
                        case "done" -> exitCode = message.path("exit").asInt();
                        default -> { }
                    }
                    notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The process went away; the run ends below.
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }

    private static Path extractRunner() {
        try (var in = PythonKernel.class.getResourceAsStream("/bai/scenarios/emulator/kernel_runner.py")) {
            if (in == null) {
                throw new IllegalStateException("kernel_runner.py is missing from the classpath");
            }
            Path file = Files.createTempFile("bai-kernel-runner", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
