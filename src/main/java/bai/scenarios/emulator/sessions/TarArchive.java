package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.PythonRepr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the agent hands the manager for a session download: a tar archive of one path under
 * {@code /home/work} (Docker's {@code get_archive}: the entry is named by the path's last element,
 * a folder comes with its contents), at most 1 MiB. Failures are the agent's, as the manager passes
 * them on: {@code 500 kernel-execution-failed} naming the agent's exception.
 */
final class TarArchive {
    private static final int LIMIT = 1024 * 1024;
    private static final String HOME = "/home/work";

    private TarArchive() {
    }

    /** The archive of {@code path} (relative to /home/work, or absolute inside it) in the kernel's {@code workdir}. */
    static byte[] of(Path workdir, String path) {
        String absolute = normalise(path.startsWith("/") ? path : HOME + "/" + path);
        if (!absolute.equals(HOME) && !absolute.startsWith(HOME + "/")) {
            throw agentFailure("PermissionError", "You cannot download files outside /home/work");
        }
        Path target = workdir.resolve(absolute.substring(HOME.length()).replaceFirst("^/", "")).normalize();
        if (!Files.exists(target)) {
            throw agentFailure("RuntimeError", "Could not download the archive to: " + absolute);
        }
        String top = absolute.substring(absolute.lastIndexOf('/') + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (Files.isDirectory(target)) {
                List<Path> tree;
                try (Stream<Path> walk = Files.walk(target)) {
                    tree = walk.sorted().toList();
                }
                for (Path entry : tree) {
                    String name = top + (entry.equals(target) ? "" : "/" + target.relativize(entry).toString()
                            .replace('\\', '/'));
                    append(out, entry, name);
                    if (out.size() > LIMIT) {
                        throw tooLarge();
                    }
                }
            } else {
                append(out, target, top);
            }
        } catch (IOException e) {
            throw agentFailure("RuntimeError", "Could not download the archive to: " + absolute);
        }
        out.writeBytes(new byte[1024]);
        if (out.size() > LIMIT) {
            throw tooLarge();
        }
        return out.toByteArray();
    }

    private static RuntimeException tooLarge() {
        return agentFailure("ValueError", "Too large archive file exceeding 1 MiB");
    }

    private static RuntimeException agentFailure(String exception, String message) {
        return Problems.kernelExecutionFailed(exception + "(" + PythonRepr.string(message) + ")");
    }

    /** {@code os.path.normpath} of an absolute POSIX path. */
    private static String normalise(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static void append(ByteArrayOutputStream out, Path file, String name) throws IOException {
        boolean directory = Files.isDirectory(file);
        byte[] content = directory ? new byte[0] : Files.size(file) > LIMIT ? null : Files.readAllBytes(file);
        if (content == null) {
            throw tooLarge();
        }
        String entryName = directory ? name + "/" : name;
        long mtime = Files.getLastModifiedTime(file).toMillis() / 1000;
        byte[] nameBytes = entryName.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            // A PAX extended header carries names the ustar header cannot.
            int body = (" path=" + entryName + "\n").getBytes(StandardCharsets.UTF_8).length;
            int total = body + 1;
            while (total != body + Integer.toString(total).length()) {
                total = body + Integer.toString(total).length();
            }
            byte[] pax = (total + " path=" + entryName + "\n").getBytes(StandardCharsets.UTF_8);
            header(out, "././@PaxHeader", pax.length, mtime, 'x', 0644);
            out.writeBytes(pax);
            pad(out, pax.length);
            entryName = entryName.substring(0, Math.min(entryName.length(), 99));
        }
        header(out, entryName, content.length, mtime, directory ? '5' : '0', directory ? 0755 : 0644);
        out.writeBytes(content);
        pad(out, content.length);
    }

    private static void header(ByteArrayOutputStream out, String name, long size, long mtime, char type, int mode) {
        byte[] header = new byte[512];
        put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        put(header, 100, 8, octal(mode, 7));
        put(header, 108, 8, octal(1000, 7));
        put(header, 116, 8, octal(1000, 7));
        put(header, 124, 12, octal(size, 11));
        put(header, 136, 12, octal(mtime, 11));
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        header[156] = (byte) type;
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 265, 32, "work".getBytes(StandardCharsets.US_ASCII));
        put(header, 297, 32, "work".getBytes(StandardCharsets.US_ASCII));
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, 8, (String.format("%06o", checksum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(header);
    }

    private static byte[] octal(long value, int digits) {
        return (String.format("%0" + digits + "o", value) + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
    }

    private static void pad(ByteArrayOutputStream out, long length) {
        int remainder = (int) (length % 512);
        if (remainder != 0) {
            out.writeBytes(new byte[512 - remainder]);
        }
    }
}
