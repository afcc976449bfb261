package bai.scenarios.emulator.serving;

import bai.scenarios.emulator.sessions.RunnerProcess;
import bai.scenarios.emulator.sessions.ScriptStarter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replica's model service process ({@code model_server.py}): started off-lock, it reports its
 * port on its first line; it exits when its stdin closes (stop, or this JVM dying by any means).
 */
final class ModelProcess {
    private static final Pattern PORT = Pattern.compile("\\{\"port\": *(\\d+)\\}");
    /** What model_server.py imports beyond the fork server's own: imported there once, not per replica. */
    private static final List<String> PRELOAD = List.of("http.server");

    private final RunnerProcess process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private ModelProcess(RunnerProcess process) {
        this.process = process;
    }

    /**
     * Starts a process; its {@link #port()} completes once it listens, or fails with why it could not.
     * The stand-in needs only the standard library ({@code python -S}).
     */
    static ModelProcess start(ScriptStarter starter, Path script, Path root, String healthPath, String model, String route) {
        try {
            RunnerProcess process = starter.start(script, List.of("--root=" + root, "--health=" + healthPath,
                    "--model=" + model, "--route=" + route), PRELOAD);
            ModelProcess started = new ModelProcess(process);
            Thread reader = new Thread(started::readOutput, "emulator-model-" + route.substring(0, 8));
            reader.setDaemon(true);
            reader.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.fromRunner(),
                StandardCharsets.UTF_8))) {
            String first = out.readLine();
            Matcher m = first == null ? null : PORT.matcher(first);
            if (m != null && m.find()) {
                port.complete(Integer.parseInt(m.group(1)));
            } else {
                port.completeExceptionally(new CompletionException(new IllegalStateException(
                        first == null ? "the model service exited before listening" : first)));
            }
            while (out.readLine() != null) {
                // drain
            }
        } catch (IOException | RuntimeException e) {
            port.completeExceptionally(e);
        }
    }

    CompletableFuture<Integer> port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Closes its stdin (it exits by itself) and kills it too: no waiting. */
    void stop() {
        try {
            process.endInput();
        } catch (IOException ignored) {
            // it is being killed anyway
        }
        process.kill();
    }

    /** Writes the bundled server script into {@code dir} once. */
    static Path install(Path dir) {
        try (var in = ModelProcess.class.getResourceAsStream("/bai/scenarios/emulator/model_server.py")) {
            if (in == null) {
                throw new IllegalStateException("model_server.py is missing from the classpath");
            }
            Files.createDirectories(dir);
            Path script = dir.resolve("model_server.py");
            Files.write(script, in.readAllBytes());
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
