package bai.scenarios.contract;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where tests find the real manager's schemas: {@code ../shared/reference} beside the project. */
final class ReferenceFiles {
    static final Path DIR = Path.of(System.getProperty("bai.reference.dir", "../shared/reference"));

    private ReferenceFiles() {
    }

    /** The file, or the calling test is skipped with the reason. */
    static Path require(String name) {
        Path path = DIR.resolve(name);
        assumeTrue(Files.isRegularFile(path), path + " is not present; contract tests need ../shared beside the project");
        return path;
    }
}
