package bai.scenarios.emulator.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A kernel runner's process as {@link PythonKernel} sees it: the protocol's two streams, an end
 * of input that makes the runner end its kernel, and its exit. Either a process this JVM started
 * ({@link #of(Process)}) or a runner the fork server forked ({@link KernelForkServer}).
 */
public interface RunnerProcess {
    long pid();

    /** What the runner says (JSON lines). */
    InputStream fromRunner();

    /** Requests to the runner (JSON lines). */
    OutputStream toRunner();

    /** End of input: the runner kills every process of its kernel and exits. */
    void endInput() throws IOException;

    /** Completes with the exit code (128 + n when killed by signal n) once the runner has ended. */
    CompletableFuture<Integer> onExit();

    boolean isAlive();

    /** The runner's process, for statistics and killing; empty once it is gone. */
    java.util.Optional<ProcessHandle> handle();

    /** Kills the runner and everything it started, without asking. */
    default void kill() {
        handle().ifPresent(runner -> {
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        });
    }

    static RunnerProcess of(Process process) {
        return new RunnerProcess() {
            @Override
            public long pid() {
                return process.pid();
            }

            @Override
            public InputStream fromRunner() {
                return process.getInputStream();
            }

            @Override
            public OutputStream toRunner() {
                return process.getOutputStream();
            }

            @Override
            public void endInput() throws IOException {
                process.getOutputStream().close();
            }

            @Override
            public CompletableFuture<Integer> onExit() {
                return process.onExit().thenApply(Process::exitValue);
            }

            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public java.util.Optional<ProcessHandle> handle() {
                return java.util.Optional.of(process.toHandle());
            }

            @Override
            public void kill() {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        };
    }
}
