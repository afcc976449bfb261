package bai.scenarios.emulator.sessions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts a Python script as a process of the agents' kernel host ({@link KernelHost#startScript}:
 * forked by its fork server when it can); {@code preload}: modules the script imports, imported
 * there once.
 */
@FunctionalInterface
public interface ScriptStarter {
    RunnerProcess start(Path script, List<String> args, List<String> preload) throws IOException;
}
