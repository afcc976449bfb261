package bai.scenarios.emulator.vfolders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whole-tree file operations that never follow a symbolic link: a link is copied or removed as
 * the link itself, so no tree operation ever reads or writes what a link points to. Slow: callers
 * run them on the storage or agents' pool, never under the state lock.
 */
public final class Trees {
    private static final Logger LOG = Logger.getLogger(Trees.class.getName());
    private static final Set<PosixFilePermission> OWNER_RWX = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private Trees() {
    }

    /**
     * Removes {@code top} and everything below it, best effort: directories made read-only (a
     * read-only mount's snapshot) are made writable for their owner first; a link is removed, never
     * followed. What cannot be removed (a process still writing) is logged at FINE and left for the
     * next start's reaper.
     */
    public static void deleteTree(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    makeOwnerWritable(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    quietlyDelete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) {
                    quietlyDelete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) {
                    quietlyDelete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "could not remove " + top, e);
        }
    }

    /**
     * Copies the tree at {@code source} into {@code target} (created; existing directories are
     * merged into, as {@code shutil.copytree(..., dirs_exist_ok=True)}), keeping modification
     * times. Links are recreated as links with the same target text: their targets are never read.
     * Stops early, leaving a partial copy, once {@code cancelled} says so.
     */
    public static void copyTree(Path source, Path target, BooleanSupplier cancelled) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (cancelled.getAsBoolean()) {
                    return FileVisitResult.TERMINATE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (cancelled.getAsBoolean()) {
                    return FileVisitResult.TERMINATE;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.deleteIfExists(copy);
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                }
                // sockets, fifos and devices are not copied
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.setLastModifiedTime(copy, Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Takes write permission away from everything under {@code top} (links are left alone). */
    public static void makeReadOnly(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isSymbolicLink()) {
                    dropWrite(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) {
                dropWrite(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void dropWrite(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_WRITE));
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            path.toFile().setWritable(false, false);
        }
    }

    private static void makeOwnerWritable(Path dir) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!permissions.containsAll(OWNER_RWX)) {
                permissions.addAll(OWNER_RWX);
                Files.setPosixFilePermissions(dir, permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            dir.toFile().setWritable(true, true);
        }
    }

    private static void quietlyDelete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException busy) {
            LOG.log(Level.FINE, "could not remove " + path, busy);
        }
    }
}
