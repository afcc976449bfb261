package bai.scenarios.steps;

import bai.scenarios.client.FoldersApi;
import bai.scenarios.client.FoldersApi.Entry;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.FolderScene;
import bai.scenarios.world.FolderScene.OwnedFolder;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about the files of a virtual folder: uploads, downloads, directories, renames, moves, deletions. */
@Glossary(value = "Files in a folder", order = 150)
public class FolderFileSteps {
    /** What the Tester's uploads hold; each file gets its own path appended so contents differ. */
    static final String TEST_CONTENT = "This is a test file for VFolder download.";
    private static final AtomicInteger DOWNLOADS = new AtomicInteger();

    private final Cast cast;
    private final FolderScene scene;
    private final LastOutcome outcome;

    public FolderFileSteps(Cast cast, FolderScene scene, LastOutcome outcome) {
        this.cast = cast;
        this.scene = scene;
        this.outcome = outcome;
    }

    private OwnedFolder folderOf(String actor) {
        return scene.of(cast.actor(actor).name());
    }

    private FoldersApi foldersOf(String actor) {
        return cast.actor(actor).client().folders();
    }

    /** Uploads small text files as {@code actor} into {@code folder}, remembering what went up. */
    private void upload(String actor, OwnedFolder folder, String path, String content) {
        foldersOf(actor).upload(folder.name(), path, content.getBytes(StandardCharsets.UTF_8));
        scene.uploaded(path, content);
    }

    private String download(String actor, OwnedFolder folder, String path) {
        // The local name never comes from the remote path (which may try to leave the folder).
        Path target = scene.workspace().resolve("download-" + DOWNLOADS.incrementAndGet());
        foldersOf(actor).download(folder.name(), path, target);
        try {
            return Files.readString(target, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String testContent(String path) {
        return TEST_CONTENT + " (" + path + ")";
    }

    @Glossary(value = "someone uploads small text files (the Tester's text plus the path) to these paths of her"
            + " folder, through the storage proxy", reads = "her/his folder")
    @Given("{actor} has uploaded the files {quotedList} to her/his/their folder")
    @When("{actor} uploads the files {quotedList} to her/his/their folder")
    public void uploadsFiles(String actor, List<String> paths) {
        OwnedFolder folder = folderOf(actor);
        paths.forEach(path -> upload(actor, folder, path, testContent(path)));
    }

    @Glossary(value = "someone uploads a small text file to this path of her folder (sub-folders are created on the"
            + " way)", reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}upload(s) the file {string} containing {string} to her/his/their folder")
    public void uploadsFile(String actor, Attempt attempt, String path, String content) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> upload(actor, folder, path, content));
    }

    @Glossary(value = "as the step above, before what the scenario is about", reads = "her/his folder")
    @Given("{actor} has uploaded the file {string} containing {string} to her/his/their folder")
    public void hasUploadedFile(String actor, String path, String content) {
        upload(actor, folderOf(actor), path, content);
    }

    @Glossary(value = "someone uploads a small text file into another person's folder, as far as her access allows"
            + " (the manager looks the folder up among those she may write to)", reads = "that person's folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}upload(s) the file {string} containing {string} to {actor}'s folder")
    public void uploadsToOthersFolder(String actor, Attempt attempt, String path, String content, String owner) {
        OwnedFolder folder = folderOf(owner);
        outcome.make(attempt, () -> upload(actor, folder, path, content));
    }

    @Glossary(value = "someone makes a directory in her folder (its parent must exist; an existing one is refused)",
            reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}create(s) the directory {string} in her/his/their folder")
    public void mkdir(String actor, Attempt attempt, String path) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> foldersOf(actor).mkdir(folder.name(), List.of(path), false, false));
    }

    @Glossary(value = "as the step above, before what the scenario is about", reads = "her/his folder")
    @Given("{actor} has created the directory {string} in her/his/their folder")
    public void hasMadeDirectory(String actor, String path) {
        foldersOf(actor).mkdir(folderOf(actor).name(), List.of(path), false, false);
    }

    @Glossary(value = "someone makes a directory and any missing parents (`parents`)", reads = "her/his folder")
    @When("{actor} creates the directory {string} and its parents in her/his/their folder")
    public void mkdirWithParents(String actor, String path) {
        foldersOf(actor).mkdir(folderOf(actor).name(), List.of(path), true, false);
    }

    @Glossary(value = "someone makes a directory, accepting one that exists (`exist_ok`)", reads = "her/his folder")
    @When("{actor} creates the directory {string} in her/his/their folder, even if it exists")
    public void mkdirExistOk(String actor, String path) {
        foldersOf(actor).mkdir(folderOf(actor).name(), List.of(path), false, true);
    }

    @Glossary(value = "someone renames a file of her folder (the new name is a name, not a path)",
            reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}rename(s) the file {string} in her/his/their folder to {string}")
    public void renamesFile(String actor, Attempt attempt, String path, String newName) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> foldersOf(actor).renameFile(folder.name(), path, newName));
    }

    @Glossary(value = "someone moves a file of her folder to another path of it", reads = "her/his folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}move(s) the file {string} in her/his/their folder to {string}")
    public void movesFile(String actor, Attempt attempt, String path, String destination) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> foldersOf(actor).moveFile(folder.name(), path, destination));
    }

    @Glossary(value = "someone deletes these files of her folder", reads = "her/his folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}delete(s) the files {quotedList} from her/his/their folder")
    public void deletesFiles(String actor, Attempt attempt, List<String> paths) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> foldersOf(actor).deleteFiles(folder.name(), paths, false));
    }

    @Glossary(value = "someone deletes a directory of her folder and everything in it (`recursive`)",
            reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}delete(s) the directory {string} with everything in it from her/his/their folder")
    public void deletesDirectory(String actor, Attempt attempt, String path) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> foldersOf(actor).deleteFiles(folder.name(), List.of(path), true));
    }

    @Glossary(value = "someone lists one directory of her folder", reads = "her/his folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}list(s) the directory {string} of her/his/their folder")
    public void listsDirectory(String actor, Attempt attempt, String path) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> foldersOf(actor).files(folder.name(), path));
    }

    @Glossary(value = "someone downloads one file of her folder through the storage proxy (to a scratch file here)",
            reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}download(s) the file {string} from her/his/their folder")
    public void downloadsFile(String actor, Attempt attempt, String path) {
        OwnedFolder folder = folderOf(actor);
        outcome.make(attempt, () -> scene.downloaded(path, download(actor, folder, path)));
    }

    @Glossary(value = "someone downloads these files of her folder, one by one", reads = "her/his folder")
    @When("{actor} downloads the files {quotedList} from her/his/their folder")
    public void downloadsFiles(String actor, List<String> paths) {
        OwnedFolder folder = folderOf(actor);
        paths.forEach(path -> scene.downloaded(path, download(actor, folder, path)));
    }

    @Glossary(value = "every file the scenario downloaded reads exactly what the scenario uploaded to its path")
    @Then("each download has the content that was uploaded")
    public void downloadsMatchUploads() {
        assertThat(scene.downloads()).isNotEmpty();
        scene.downloads().forEach((path, content) ->
                assertThat(content).as("content of %s", path).isEqualTo(scene.uploadedContent(path)));
    }

    @Glossary(value = "walking every directory of the last person's folder finds exactly these files (by path;"
            + " directories are not listed)", reads = "the last person named's folder")
    @Then("her/his/their folder holds exactly the files {quotedList}")
    public void holdsExactly(List<String> paths) {
        OwnedFolder folder = folderOf("she");
        assertThat(foldersOf(folder.owner()).allFiles(folder.name())).as("files of %s", folder.name())
                .containsExactlyInAnyOrderElementsOf(paths);
    }

    @Glossary(value = "the directory's parent lists it as a directory", reads = "the last person named's folder")
    @Then("her/his/their folder has the directory {string}")
    public void hasDirectory(String path) {
        OwnedFolder folder = folderOf("she");
        Path dir = Path.of(path);
        String parent = dir.getParent() == null ? "" : dir.getParent().toString();
        List<Entry> entries = foldersOf(folder.owner()).files(folder.name(), parent);
        assertThat(entries).as("entries of '%s' in %s", parent, folder.name())
                .anySatisfy(e -> {
                    assertThat(e.name()).isEqualTo(dir.getFileName().toString());
                    assertThat(e.isDirectory()).as("%s is a directory", e.name()).isTrue();
                });
    }

    @Glossary(value = "the file is listed in its directory of the last person's folder and downloads with this"
            + " content (surrounding blank space ignored)", reads = "the last person named's folder")
    @Then("her/his/their folder has the file {string} containing {string}")
    public void hasFile(String path, String content) {
        folderHasFile(cast.actor("she").name(), path, content);
    }

    @Glossary(value = "as the step above, for that person's folder, looked at by its owner", reads = "her/his folder")
    @Then("{actor}'s folder has the file {string} containing {string}")
    public void folderHasFile(String actor, String path, String content) {
        OwnedFolder folder = folderOf(actor);
        Path file = Path.of(path);
        String parent = file.getParent() == null ? "" : file.getParent().toString();
        assertThat(foldersOf(folder.owner()).files(folder.name(), parent)).extracting(Entry::name)
                .as("entries of '%s' in %s", parent, folder.name()).contains(file.getFileName().toString());
        assertThat(download(folder.owner(), folder, path).strip()).isEqualTo(content);
    }

    @Glossary(value = "someone downloads a file of another person's folder (shared with her) and it reads this",
            reads = "that person's folder")
    @Then("{actor} reads {string} in {actor}'s folder as {string}")
    public void readsInOthersFolder(String reader, String path, String owner, String content) {
        OwnedFolder folder = folderOf(owner);
        assertThat(download(reader, folder, path).strip()).isEqualTo(content);
    }
}
