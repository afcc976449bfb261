package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.threads.ScratchOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The emulator's one storage volume, {@code local:volume1}: real directories under the data root,
 * laid out as the vfs backend lays them out ({@code <volume>/<scope type>/<scope id>/ab/cd/<rest of
 * the folder id>}), and the storage proxy's file operations on them with its rules and answers.
 *
 * <p><b>Safety.</b> Every path a caller names is resolved as the proxy's {@code sanitize_vfpath}
 * does (symlinks followed component by component, {@code ..} applied after them) and refused
 * unless the result stays inside the folder; tree operations never follow links ({@link Trees}).
 * So nothing outside a folder is read or written through any operation here.
 *
 * <p>The data root belongs to one emulator: created at start with an owner file (pid and start
 * time), removed on close, and reaped by the next emulator to start when its owner is gone.
 * Every method here does disk I/O: call it on the storage pool, never under the state lock.
 */
public final class Volume implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Volume.class.getName());
    public static final String PROXY = "local";
    public static final String NAME = "volume1";
    public static final String HOST = PROXY + ":" + NAME;
    /** The vfs backend's scandir limit in the halfstack storage-proxy configuration. */
    static final int SCANDIR_LIMIT = 1000;
    private static final String ROOT_PREFIX = "bai-emulator-data-";

    private final Path root;
    private final Path volumePath;

    private Volume(Path root) {
        this.root = root;
        this.volumePath = root.resolve("volumes").resolve(NAME);
    }

    /**
     * Makes a fresh data root under {@code parent} (the system temporary directory unless the
     * {@code bai.emulator.data-root} setting names another). The roots of emulators that died
     * without cleaning up are removed by {@link #reapStaleRoots}, which the emulator runs in the
     * background meanwhile.
     */
    public static Volume create(Path parent) {
        try {
            Files.createDirectories(parent);
            Path root = Files.createTempDirectory(parent, ROOT_PREFIX).toRealPath();
            ScratchOwner.claim(root);
            Volume volume = new Volume(root);
            Files.createDirectories(volume.volumePath);
            return volume;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the emulator's data root under " + parent, e);
        }
    }

    /** The emulator's data root (one per emulator). */
    public Path root() {
        return root;
    }

    /** {@code mangle_vfpath}: where a folder's files live. */
    Path folderPath(String quotaScopeId, UUID folderId) {
        String[] scope = quotaScopeId.split(":", 2);
        String hex = PyPaths.hex(folderId);
        return volumePath.resolve(scope[0]).resolve(scope[1].replace("-", ""))
                .resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex.substring(4));
    }

    /** The proxy's {@code vfid} of a folder, {@code <quota scope>/<folder hex>}. */
    static String vfid(String quotaScopeId, UUID folderId) {
        return quotaScopeId + "/" + PyPaths.hex(folderId);
    }

    /** The folder directory of a {@code vfid}, or empty if it is not one. */
    Optional<Path> folderOf(String vfid) {
        if (vfid == null) {
            return Optional.empty();
        }
        int slash = vfid.lastIndexOf('/');
        int colon = vfid.indexOf(':');
        if (slash < 0 || colon < 0) {
            return Optional.empty();
        }
        String type = vfid.substring(0, colon);
        UUID scope = PyPaths.uuid(vfid.substring(colon + 1, slash));
        UUID folder = PyPaths.uuid(vfid.substring(slash + 1));
        if (scope == null || folder == null || !(type.equals("user") || type.equals("project"))) {
            return Optional.empty();
        }
        return Optional.of(folderPath(type + ":" + scope, folder));
    }

    // --- folders --------------------------------------------------------------------------------

    void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
    }

    /** {@code delete_vfolder}: the folder's tree, then its empty prefix directories. */
    void deleteFolder(Path folder) {
        Trees.deleteTree(folder);
        Path dir = folder.getParent();
        for (int i = 0; i < 2 && dir != null && dir.startsWith(volumePath); i++) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException notEmpty) {
                return;
            }
            dir = dir.getParent();
        }
    }

    /** {@code copy_tree} for a clone (links copied as links, never followed). */
    void copyFolder(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            Trees.copyTree(source, target, () -> Thread.currentThread().isInterrupted());
        }
    }

    // --- path resolution ------------------------------------------------------------------------

    /** A failure as the storage proxy reports it; the manager turns it into its own error. */
    static final class StorageException extends RuntimeException {
        enum Kind {
            /** 404 with the vfolder domain: the folder's directory is missing. */
            FOLDER_NOT_FOUND,
            /** 400: a parameter check, an escaping path, or an OS error. */
            BAD_REQUEST
        }

        final Kind kind;

        StorageException(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        static StorageException badRequest(String message) {
            return new StorageException(Kind.BAD_REQUEST, message);
        }
    }

    /** The folder's real path; FOLDER_NOT_FOUND if it is not a directory any more. */
    Path base(Path folder) {
        try {
            Path real = folder.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new StorageException(StorageException.Kind.FOLDER_NOT_FOUND, "VFolder not found: " + folder);
            }
            return real;
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.FOLDER_NOT_FOUND, "VFolder not found: " + folder);
        }
    }

    /**
     * {@code sanitize_vfpath}: {@code relpath} (already checked to be relative) resolved inside
     * the folder; an escape (by {@code ..} or through a link) is a bad request.
     */
    Path sanitize(Path folder, String relpath) {
        requireNoNul(relpath);
        Path base = base(folder);
        Path target = PyPaths.realpath(base, relpath);
        if (!target.startsWith(base)) {
            throw StorageException.badRequest("Invalid Subpath (relpath=" + PyPaths.pure(relpath) + ")");
        }
        return target;
    }

    /** Whether Python would refuse {@code path} before any system call ({@code ValueError: embedded null byte}). */
    static boolean hasNul(String path) {
        return path != null && path.indexOf('\0') >= 0;
    }

    /**
     * A path with a NUL byte is a bad request. (Python raises {@code ValueError} on it; the real
     * proxy lets that out of most handlers as a 500, which the manager passes through: here it is
     * the 400 of any other path the proxy will not use.)
     */
    static void requireNoNul(String path) {
        if (hasNul(path)) {
            throw StorageException.badRequest("embedded null byte");
        }
    }

    /** The trafaret {@code PurePath(relative_only=True)} check of the proxy's manager API. */
    static void requireRelative(String relpath) {
        if (relpath == null || PyPaths.isAbsolute(relpath)) {
            throw StorageException.badRequest("expected relative path but the value is absolute");
        }
    }

    /**
     * The download handler's resolution: {@code vfpath / dst_dir / relpath} (an absolute part
     * restarts from the root, as Python's path join does), which must stay inside the folder.
     */
    Optional<Path> resolveForDownload(Path folder, String dstDir, String relpath) {
        if (hasNul(dstDir) || hasNul(relpath)) {
            return Optional.empty(); // resolve() raises ValueError, which the handler answers as not found
        }
        Path base;
        try {
            base = base(folder);
        } catch (StorageException gone) {
            return Optional.empty();
        }
        Path current = base;
        for (String part : dstDir == null ? new String[] {relpath} : new String[] {dstDir, relpath}) {
            current = PyPaths.isAbsolute(part) ? PyPaths.realpath(base.getRoot(), part) : PyPaths.realpath(current, part);
        }
        return current.startsWith(base) ? Optional.of(current) : Optional.empty();
    }

    // --- file operations --------------------------------------------------------------------------

    /** {@code scandir(recursive=False)} as the proxy lists it: name, type, lstat, at most {@value #SCANDIR_LIMIT}. */
    List<Map<String, Object>> list(Path folder, String relpath) {
        requireRelative(relpath);
        Path dir = sanitize(folder, relpath);
        List<Map<String, Object>> items = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (items.size() >= SCANDIR_LIMIT) {
                    break;
                }
                Map<String, Object> item = describe(entry);
                if (item != null) {
                    items.add(item);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw StorageException.badRequest(strerror(unwrap(e)));
        }
        return items;
    }

    private static Map<String, Object> describe(Path entry) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String type = attrs.isSymbolicLink() ? "SYMLINK" : attrs.isDirectory() ? "DIRECTORY" : "FILE";
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", entry.getFileName().toString());
            item.put("type", type);
            item.put("size", attrs.size());
            item.put("mode", mode(entry, attrs));
            item.put("created", PyTime.isoformat(ctime(entry, attrs)));
            item.put("modified", PyTime.isoformat(attrs.lastModifiedTime().toInstant()));
            return item;
        } catch (IOException vanished) {
            return null; // the file system changed during the scan, as the proxy skips it
        }
    }

    private static int mode(Path entry, BasicFileAttributes attrs) {
        try {
            return (Integer) Files.getAttribute(entry, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            int type = attrs.isSymbolicLink() ? 0120000 : attrs.isDirectory() ? 0040000 : 0100000;
            return type | (attrs.isDirectory() ? 0755 : 0644);
        }
    }

    private static Instant ctime(Path entry, BasicFileAttributes attrs) {
        try {
            return ((FileTime) Files.getAttribute(entry, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return attrs.lastModifiedTime().toInstant();
        }
    }

    /**
     * {@code Path.mkdir(0o755, parents, exist_ok)} of one path; null on success, else the repr of
     * the exception the proxy reports for it in its {@code failed} list.
     */
    String mkdir(Path folder, String relpath, boolean parents, boolean existOk) {
        if (hasNul(relpath)) {
            return "ValueError('embedded null byte')";
        }
        Path target;
        try {
            target = sanitize(folder, relpath);
        } catch (StorageException e) {
            if (e.kind == StorageException.Kind.FOLDER_NOT_FOUND) {
                return "<VFolderNotFoundError(404): VFolder Not Found (" + e.getMessage() + ")>";
            }
            String detail = "Invalid Subpath (vfid=" + folder.getFileName() + ", relpath=" + PyPaths.pure(relpath) + ")";
            return "<InvalidSubpathError(400): Invalid Subpath (" + detail + ")>\n -> extra_data: '" + detail + "'";
        }
        try {
            if (Files.exists(target)) {
                if (existOk && Files.isDirectory(target)) {
                    return null;
                }
                return "FileExistsError(17, 'File exists')";
            }
            if (parents) {
                Files.createDirectories(target);
            } else {
                Files.createDirectory(target);
            }
            return null;
        } catch (IOException e) {
            return pythonRepr(e);
        }
    }

    /** {@code move_file}: {@code shutil.move} between two resolved paths inside the folder. */
    void move(Path folder, String src, String dst) {
        requireRelative(src);
        requireRelative(dst);
        Path from = sanitize(folder, src);
        Path to = sanitize(folder, dst);
        try {
            Path realTo = to;
            if (Files.isDirectory(to)) {
                if (Files.exists(from) && Files.isSameFile(from, to)) {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
                realTo = to.resolve(from.getFileName().toString());
                if (PyPaths.lexists(realTo)) {
                    throw StorageException.badRequest("Destination path '" + realTo.getFileName() + "' already exists");
                }
            }
            if (realTo.startsWith(from) && !realTo.equals(from)) {
                throw StorageException.badRequest("Cannot move a directory into itself");
            }
            Files.move(from, realTo, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw StorageException.badRequest(strerror(e));
        }
    }

    /**
     * {@code delete_files}: every path is resolved first (an escape refuses the whole request);
     * then a directory goes only when {@code recursive}, a file always, and anything else (a
     * missing path, a directory without {@code recursive}) is passed over without a word.
     */
    void delete(Path folder, List<String> relpaths, boolean recursive) {
        relpaths.forEach(Volume::requireRelative);
        List<Path> targets = relpaths.stream().map(relpath -> sanitize(folder, relpath)).toList();
        for (Path target : targets) {
            try {
                if (Files.isDirectory(target) && recursive) {
                    Trees.deleteTree(target);
                    if (PyPaths.lexists(target)) {
                        throw StorageException.badRequest("Directory not empty");
                    }
                } else if (Files.isRegularFile(target)) {
                    Files.delete(target);
                }
            } catch (IOException e) {
                throw StorageException.badRequest(strerror(e));
            }
        }
    }

    /** {@code get_folder_usage}: every entry below the folder, counted and summed (lstat sizes). */
    record Usage(long fileCount, long usedBytes) {
    }

    Usage usage(Path folder) {
        Path base = base(folder);
        long[] totals = new long[2];
        try {
            Files.walkFileTree(base, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(base)) {
                        totals[0]++;
                        totals[1] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    totals[0]++;
                    totals[1] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw StorageException.badRequest(strerror(e));
        }
        return new Usage(totals[0], totals[1]);
    }

    /** The file system's used share of capacity, in percent (the halfstack's exposed volume info). */
    double usedPercentage() {
        try {
            FileStore store = Files.getFileStore(root);
            long total = store.getTotalSpace();
            return total == 0 ? 0.0 : (total - store.getUsableSpace()) * 100.0 / total;
        } catch (IOException e) {
            return 0.0;
        }
    }

    // --- Python's error texts ------------------------------------------------------------------

    private static IOException unwrap(Exception e) {
        if (e instanceof UncheckedIOException unchecked) {
            return unchecked.getCause();
        }
        return (IOException) e;
    }

    /** {@code e.strerror} of the OSError Python would raise for {@code e}. */
    static String strerror(IOException e) {
        return pythonError(e)[1];
    }

    /** {@code repr(e)} of that OSError, e.g. {@code FileExistsError(17, 'File exists')}. */
    static String pythonRepr(IOException e) {
        String[] error = pythonError(e);
        return error[0] + "(" + error[2] + ", '" + error[1] + "')";
    }

    private static String[] pythonError(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return new String[] {"FileExistsError", "File exists", "17"};
        }
        if (e instanceof NoSuchFileException) {
            return new String[] {"FileNotFoundError", "No such file or directory", "2"};
        }
        if (e instanceof NotDirectoryException) {
            return new String[] {"NotADirectoryError", "Not a directory", "20"};
        }
        if (e instanceof DirectoryNotEmptyException) {
            return new String[] {"OSError", "Directory not empty", "39"};
        }
        if (e instanceof AccessDeniedException) {
            return new String[] {"PermissionError", "Permission denied", "13"};
        }
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : String.valueOf(e.getMessage());
        if (reason.contains("Not a directory")) {
            return new String[] {"NotADirectoryError", "Not a directory", "20"};
        }
        if (reason.contains("Is a directory")) {
            return new String[] {"IsADirectoryError", "Is a directory", "21"};
        }
        if (reason.contains("Invalid argument")) {
            return new String[] {"OSError", "Invalid argument", "22"};
        }
        return new String[] {"OSError", reason, "5"};
    }

    // --- the data root's life ------------------------------------------------------------------

    /** Removes the whole data root (every folder's files). Takes no lock, waits for nothing else. */
    @Override
    public void close() {
        Trees.deleteTree(root);
    }

    /**
     * Removes the data roots under {@code parent} whose owner process is gone. Safe beside live
     * emulators, this one included: a root whose owner runs, or whose owner file is not written
     * yet or unreadable, is left alone.
     */
    static void reapStaleRoots(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> entries = Files.list(parent)) {
            entries.filter(p -> p.getFileName().toString().startsWith(ROOT_PREFIX) && Files.isDirectory(p))
                    .filter(ScratchOwner::isGone)
                    .forEach(Trees::deleteTree);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not look for stale data roots", e);
        }
    }

}
