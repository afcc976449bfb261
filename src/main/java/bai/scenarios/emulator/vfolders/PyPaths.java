package bai.scenarios.emulator.vfolders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Python's path rules as the manager and the storage proxy apply them: {@code PurePosixPath}
 * normalisation and {@code with_name}, {@code os.path.realpath} (symlinks resolved component by
 * component, {@code ..} applied after resolution, missing tails kept), and {@code uuid.UUID}
 * parsing. Pure functions; the only I/O is reading symlinks in {@link #realpath}.
 */
public final class PyPaths {
    private static final int MAX_SYMLINKS = 40;

    private PyPaths() {
    }

    /** {@code str(PurePosixPath(s))}: repeated and trailing slashes and {@code .} parts dropped, {@code ..} kept. */
    static String pure(String s) {
        boolean absolute = s.startsWith("/");
        List<String> parts = parts(s);
        String joined = String.join("/", parts);
        if (absolute) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    static boolean isAbsolute(String s) {
        return s.startsWith("/");
    }

    /** The non-empty, non-{@code .} components of {@code s}. */
    static List<String> parts(String s) {
        List<String> parts = new ArrayList<>();
        for (String part : s.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** {@code PurePosixPath(path).with_name(name)}; null where Python raises ValueError. */
    static String withName(String path, String name) {
        List<String> parts = parts(path);
        if (parts.isEmpty() || name.isEmpty() || name.equals(".") || name.contains("/")) {
            return null;
        }
        String last = parts.get(parts.size() - 1);
        if (last.equals("..")) {
            return null;
        }
        parts.set(parts.size() - 1, name);
        return (isAbsolute(path) ? "/" : "") + String.join("/", parts);
    }

    /** {@code os.path.normpath} of a POSIX path: {@code ..} folded lexically where it can be. */
    static String normpath(String s) {
        boolean absolute = s.startsWith("/");
        Deque<String> out = new ArrayDeque<>();
        for (String part : parts(s)) {
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.removeLast();
                } else if (!absolute) {
                    out.addLast("..");
                }
            } else {
                out.addLast(part);
            }
        }
        String joined = String.join("/", out);
        if (absolute) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /**
     * {@code os.path.realpath(base / relative)} where {@code base} is already a real directory:
     * every existing symlink on the way is followed (an absolute target restarts from the file
     * system root), {@code ..} goes up from where the links led, and the part that does not exist
     * is appended as it is. A symlink loop ends the resolution where it was detected, as Python's
     * non-strict realpath does.
     */
    static Path realpath(Path base, String relative) {
        Path current = base;
        Deque<String> pending = new ArrayDeque<>(parts(relative));
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_SYMLINKS) {
                    current = next;
                    continue;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(next).toString();
                } catch (IOException unreadable) {
                    current = next;
                    continue;
                }
                List<String> targetParts = parts(target);
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetParts.get(i));
                }
                if (target.startsWith("/")) {
                    current = next.getRoot();
                }
                continue;
            }
            current = next;
        }
        return current;
    }

    /** Whether {@code path} exists without following a final symlink. */
    static boolean lexists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@code uuid.UUID(text)}: 32 hex digits, with dashes anywhere, optionally in braces and
     * behind {@code urn:uuid:}; null when Python would raise ValueError.
     */
    static UUID uuid(String text) {
        if (text == null) {
            return null;
        }
        String hex = text.replace("urn:", "").replace("uuid:", "");
        hex = hex.replaceAll("^\\{+|}+$", "").replace("-", "").toLowerCase(Locale.ROOT);
        if (hex.length() != 32 || !hex.matches("[0-9a-f]{32}")) {
            return null;
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** pydantic's UUID parsing of JSON and query strings: dashed or plain 32-hex forms. */
    public static UUID pydanticUuid(String text) {
        if (text == null || !(text.matches("[0-9a-fA-F]{32}")
                || text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
                || text.matches("(?i)urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))) {
            return null;
        }
        return uuid(text);
    }

    static String hex(UUID id) {
        return id.toString().replace("-", "");
    }
}
