package bai.scenarios.world;

import bai.scenarios.client.FoldersApi.Invitation;
import bai.scenarios.client.storage.StorageProxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The virtual folders a scenario talks about ("her folder", "Alice's folder", "the project
 * folder", "the clone"), the latest invitation, what went up and came down (contents by path,
 * the sized file and its checksum, the upload's report), and a scratch directory on this machine
 * for downloads, removed when the scenario ends. Fresh for every scenario (PicoContainer).
 */
public final class FolderScene {
    /** A folder and who created it (or was given it by a step). */
    public record OwnedFolder(String owner, UUID id, String name) {
        public OwnedFolder renamed(String newName) {
            return new OwnedFolder(owner, id, newName);
        }
    }

    /** A file of known size and checksum that went up ("that file"). */
    public record SizedFile(String path, Path local, long size, String crc32c) {
    }

    private final Map<String, OwnedFolder> latestByOwner = new LinkedHashMap<>();
    private final Map<String, String> uploadedContents = new LinkedHashMap<>();
    private final Map<String, String> downloadedContents = new LinkedHashMap<>();
    private OwnedFolder projectFolder;
    private OwnedFolder clone;
    private String previousName;
    private Invitation invitation;
    private OwnedFolder invitedTo;
    private SizedFile sizedFile;
    private StorageProxy.UploadReport lastUpload;
    private StorageProxy.Download lastDownload;
    private List<Map<String, String>> salesFigures;
    private Path workspace;

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException("this scenario has no " + what + " yet; add a Given step that makes it");
        }
        return value;
    }

    public void created(OwnedFolder folder) {
        latestByOwner.put(folder.owner(), folder);
    }

    /** The folder the person created last. */
    public OwnedFolder of(String owner) {
        return required(latestByOwner.get(owner), "folder of " + owner);
    }

    /** Notes a rename: the folder keeps its place; its old name is remembered. */
    public void renamed(OwnedFolder folder, String newName) {
        previousName = folder.name();
        OwnedFolder renamed = folder.renamed(newName);
        latestByOwner.replaceAll((owner, f) -> f.id() != null && f.id().equals(folder.id()) ? renamed : f);
        if (projectFolder != null && projectFolder.id().equals(folder.id())) {
            projectFolder = renamed;
        }
    }

    public String previousName() {
        return required(previousName, "renamed folder");
    }

    public OwnedFolder projectFolder() {
        return required(projectFolder, "project folder");
    }

    public void projectFolder(OwnedFolder folder) {
        projectFolder = folder;
        created(folder);
    }

    public OwnedFolder cloned() {
        return required(clone, "clone");
    }

    public void cloned(OwnedFolder folder) {
        clone = folder;
    }

    /** The folder the latest invitation a step sent was to. */
    public OwnedFolder invitedTo() {
        return required(invitedTo, "invitation sent");
    }

    public void invitedTo(OwnedFolder folder) {
        invitedTo = folder;
    }

    public Invitation invitation() {
        return required(invitation, "invitation");
    }

    public void invitation(Invitation value) {
        invitation = value;
    }

    /** Remembers what went up to a path, for checks on what comes down. */
    public void uploaded(String path, String content) {
        uploadedContents.put(path, content);
    }

    public String uploadedContent(String path) {
        return required(uploadedContents.get(path), "upload to " + path);
    }

    public void downloaded(String path, String content) {
        downloadedContents.put(path, content);
    }

    public Map<String, String> downloads() {
        return Map.copyOf(downloadedContents);
    }

    public SizedFile sizedFile() {
        return required(sizedFile, "sized upload (uploads a … MiB file)");
    }

    public void sizedFile(SizedFile value) {
        sizedFile = value;
    }

    public StorageProxy.UploadReport lastUpload() {
        return required(lastUpload, "upload");
    }

    public void lastUpload(StorageProxy.UploadReport value) {
        lastUpload = value;
    }

    public StorageProxy.Download lastDownload() {
        return required(lastDownload, "download");
    }

    public void lastDownload(StorageProxy.Download value) {
        lastDownload = value;
    }

    public List<Map<String, String>> salesFigures() {
        return required(salesFigures, "sales figures");
    }

    public void salesFigures(List<Map<String, String>> rows) {
        salesFigures = List.copyOf(rows);
    }

    /** A scratch directory on this machine for the scenario's files, made on first use. */
    public synchronized Path workspace() {
        if (workspace == null) {
            try {
                workspace = Files.createTempDirectory("bai-folders-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a scratch directory", e);
            }
        }
        return workspace;
    }

    /** Removes the scratch directory (the folder hooks call this after the scenario). */
    public synchronized void cleanUp() {
        if (workspace == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workspace)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + workspace, e);
        }
        workspace = null;
    }
}
