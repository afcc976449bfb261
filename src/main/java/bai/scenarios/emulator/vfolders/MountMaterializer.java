package bai.scenarios.emulator.vfolders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a session's mounts into a kernel's scratch directory (its {@code /home/work}), on the
 * agents' pool before the kernel starts:
 * <ul>
 *   <li>a read-write mount is a symbolic link to the folder's directory (or its subpath): the
 *       kernel reads and writes the folder's real files, and sees what others change;</li>
 *   <li>a read-only mount is a snapshot: a copy of the folder (or subpath) taken at kernel start,
 *       with write permission taken away. The kernel runner also refuses, with
 *       {@code OSError(EROFS)} as a read-only bind mount does, every write Python attempts below a
 *       read-only mount point (an audit hook) — needed because file modes do not stop root. A
 *       program that gets past both (root, not Python) writes only into the snapshot: the
 *       folder's own files are never reachable through a read-only mount.</li>
 * </ul>
 * A mount whose kernel path is outside {@code /home/work} has no place in the emulated kernel's
 * file system and is left out (the session still records it). A source that leads out of its
 * folder through a link is refused.
 */
public final class MountMaterializer {
    private static final String HOME = "/home/work/";

    private MountMaterializer() {
    }

    /** A mount could not be put in place; the kernel does not start. */
    public static final class MountFailure extends IOException {
        MountFailure(String message) {
            super(message);
        }
    }

    /** Materialises {@code mounts} under {@code workdir}; returns the read-only mount points (absolute paths). */
    public static List<String> materialize(Path workdir, List<SessionMounts.Mount> mounts) throws IOException {
        List<String> readOnly = new ArrayList<>();
        Path home = workdir.toRealPath();
        for (SessionMounts.Mount mount : mounts) {
            if (!mount.kernelPath().startsWith(HOME)) {
                continue;
            }
            Path target = home;
            for (String part : PyPaths.parts(mount.kernelPath().substring(HOME.length()))) {
                if (part.equals("..")) {
                    target = null;
                    break;
                }
                target = target.resolve(part);
            }
            if (target == null || target.equals(home) || PyPaths.lexists(target)) {
                continue;
            }
            Path folder;
            try {
                folder = mount.folderPath().toRealPath();
            } catch (IOException gone) {
                throw new MountFailure("the files of vfolder " + mount.name() + " are gone");
            }
            Path source = PyPaths.realpath(folder, mount.subpath());
            if (!source.startsWith(folder)) {
                throw new MountFailure("the mount source " + mount.name() + "/" + mount.subpath()
                        + " leads out of the vfolder");
            }
            Files.createDirectories(target.getParent());
            if (!mount.readOnly()) {
                Files.createSymbolicLink(target, source);
                continue;
            }
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
                Trees.copyTree(source, target, () -> Thread.currentThread().isInterrupted());
            } else if (Files.isRegularFile(source)) {
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.createDirectories(target);
            }
            Trees.makeReadOnly(target);
            readOnly.add(target.toString());
        }
        return readOnly;
    }
}
