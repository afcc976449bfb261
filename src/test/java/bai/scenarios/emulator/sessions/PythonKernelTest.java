package bai.scenarios.emulator.sessions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel runner: real code, persistent state, exit codes, continued runs, input, interrupt. */
class PythonKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private PythonKernel kernel;
    private Path workdir;

    @BeforeEach
    void start() throws IOException {
        workdir = Files.createTempDirectory("kernel-test");
        kernel = PythonKernel.start(workdir);
    }

    @AfterEach
    void stop() {
        kernel.close();
    }

    @Test
    void keepsStateBetweenRunsAndMergesOutput() throws Exception {
        assertThat(kernel.run("x = 21", WAIT).exitCode()).isZero();
        PythonKernel.RunResult result = kernel.run("print(x * 2); print('again')", WAIT);
        assertThat(result.status()).isEqualTo("finished");
        assertThat(result.console()).containsExactly(List.of("stdout", "42\nagain\n"));
    }

    @Test
    void reportsExitCodesAndErrors() throws Exception {
        assertThat(kernel.run("import sys; sys.exit(4)", WAIT).exitCode()).isEqualTo(4);
        PythonKernel.RunResult error = kernel.run("1/0", WAIT);
        assertThat(error.exitCode()).isEqualTo(1);
        assertThat(error.console().get(0).get(0)).isEqualTo("stderr");
        assertThat((String) error.console().get(0).get(1)).contains("ZeroDivisionError").doesNotContain("kernel_runner");
    }

    @Test
    void runsInTheKernelsWorkingDirectory() throws Exception {
        kernel.run("open('note.txt', 'w').write('hi')", WAIT);
        assertThat(workdir.resolve("note.txt")).hasContent("hi");
    }

    @Test
    void longRunsAreContinuedWithTheSameRunId() throws Exception {
        PythonKernel.RunResult first = kernel.run("import time; time.sleep(0.5); print('done')", Duration.ofMillis(100));
        assertThat(first.status()).isEqualTo("continued");
        PythonKernel.RunResult last = kernel.resume(WAIT);
        assertThat(last.status()).isEqualTo("finished");
        assertThat(last.runId()).isEqualTo(first.runId());
        assertThat(last.console()).containsExactly(List.of("stdout", "done\n"));
    }

    @Test
    void inputRequestsWaitForAnAnswer() throws Exception {
        PythonKernel.RunResult asking = kernel.run("print('hi', input('name? '))", WAIT);
        assertThat(asking.status()).isEqualTo("waiting-input");
        assertThat(asking.prompt()).isEqualTo("name? ");
        assertThat(kernel.input("Bob", WAIT).console()).containsExactly(List.of("stdout", "hi Bob\n"));
    }

    @Test
    void anInterruptStopsTheRun() throws Exception {
        assertThat(kernel.run("import time; time.sleep(30)", Duration.ofMillis(200)).status()).isEqualTo("continued");
        kernel.interrupt();
        PythonKernel.RunResult interrupted = kernel.resume(WAIT);
        assertThat(interrupted.exitCode()).isEqualTo(1);
        assertThat((String) interrupted.console().get(0).get(1)).contains("KeyboardInterrupt");
    }
}
