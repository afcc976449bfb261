package bai.scenarios.emulator.threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Marks a scratch directory with the emulator process that owns it (pid and start time, so a
 * reused pid does not count), and tells later emulators whether that owner is gone and the
 * directory may be reaped.
 */
public final class ScratchOwner {
    /** The marker file in the directory. */
    public static final String FILE = "owner";

    private ScratchOwner() {
    }

    /** Writes this process as the owner of {@code root}. */
    public static void claim(Path root) throws IOException {
        Files.writeString(root.resolve(FILE), ProcessHandle.current().pid() + " "
                + ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("?"));
    }

    /** Whether the process that claimed {@code root} no longer runs (false when unreadable: leave it alone). */
    public static boolean isGone(Path root) {
        try {
            String[] owner = Files.readString(root.resolve(FILE)).trim().split(" ", 2);
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
            return process.isEmpty() || owner.length > 1 && !process.get().info().startInstant()
                    .map(Instant::toString).orElse("?").equals(owner[1]);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
