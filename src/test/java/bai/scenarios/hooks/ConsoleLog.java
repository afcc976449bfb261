package bai.scenarios.hooks;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps what the scenario run printed (suite and embedded emulator) in {@code reports/console.log}
 * as well as on the console: the log QA reads after the fact, and part of what the report hygiene
 * check scans for secrets. Only for runs of the Cucumber scenarios, not the unit tests.
 */
public final class ConsoleLog implements TestExecutionListener {
    static final Path FILE = Path.of("reports", "console.log");
    private PrintStream originalOut;
    private PrintStream originalErr;
    private OutputStream file;

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        boolean scenarios = plan.getRoots().stream().anyMatch(root -> isCucumber(UniqueId.parse(root.getUniqueId())))
                || plan.getRoots().stream().anyMatch(root -> plan.getChildren(root).stream()
                .anyMatch(child -> child.getUniqueId().contains("[engine:cucumber]")));
        if (!scenarios || file != null) {
            return;
        }
        try {
            Files.createDirectories(FILE.getParent());
            file = Files.newOutputStream(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, file), true));
        System.setErr(new PrintStream(new Tee(originalErr, file), true));
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (file == null) {
            return;
        }
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
        try {
            file.close();
        } catch (IOException ignored) {
            // the log is as complete as it got
        }
        file = null;
    }

    private static boolean isCucumber(UniqueId id) {
        return id.getSegments().stream().anyMatch(s -> s.getType().equals("engine") && s.getValue().equals("cucumber"));
    }

    /** Writes to the console and the log; the log's failures never silence the console. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final OutputStream log;

        Tee(OutputStream console, OutputStream log) {
            this.console = console;
            this.log = log;
        }

        @Override
        public void write(int b) throws IOException {
            console.write(b);
            synchronized (log) {
                log.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            console.write(bytes, offset, length);
            synchronized (log) {
                log.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            console.flush();
            synchronized (log) {
                log.flush();
            }
        }
    }
}
