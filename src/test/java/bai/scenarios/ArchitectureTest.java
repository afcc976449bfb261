package bai.scenarios;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layering rules that keep the suite honest: the client (signer included) shares no code with the
 * emulator, steps never speak HTTP, and nothing sleeps.
 */
class ArchitectureTest {
    private static final Path TEST_SOURCES = Path.of("src/test/java/bai/scenarios");

    @Test
    void clientNeverUsesEmulatorCode() throws IOException {
        assertThat(filesContaining(TEST_SOURCES.resolve("client"), "bai.scenarios.emulator")).isEmpty();
    }

    @Test
    void stepsDoNotBuildHttpRequests() throws IOException {
        assertThat(filesContaining(TEST_SOURCES.resolve("steps"), "io.restassured")).isEmpty();
        assertThat(filesContaining(TEST_SOURCES.resolve("steps"), "java.net.http")).isEmpty();
    }

    @Test
    void nothingInTheSuiteSleeps() throws IOException {
        // Spelled in two parts so this file does not match its own search.
        assertThat(filesContaining(TEST_SOURCES, "Thread." + "sleep")).isEmpty();
    }

    private static List<Path> filesContaining(Path root, String text) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains(text))
                    .toList();
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
