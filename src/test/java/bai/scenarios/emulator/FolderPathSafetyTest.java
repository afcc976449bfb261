package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static bai.scenarios.emulator.FolderCalls.proxy;
import static bai.scenarios.emulator.FolderCalls.withToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names and paths are checked as the manager and its storage proxy check them: no {@code ..} out
 * of the folder, no absolute path, no NUL, and no way out through a symbolic link planted in the
 * folder's own directory. Every file operation is tried with every bad path; each must answer
 * 4xx problem+json, and a directory the test owns outside the data root (holding a canary) must be
 * exactly as it was: nothing read from it, written into it, removed from it.
 */
@Order(6) // a long class: started early (pom.xml, surefire)
class FolderPathSafetyTest {
    private static final String PROBS = "https://api.backend.ai/probs/";
    private static final String CANARY_TEXT = "canary: never to be read or changed";
    private static final byte[] CANARY = CANARY_TEXT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] INSIDE = "inside the folder".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static ManagerEmulator emulator;
    private static FolderCalls user;
    private static Path outside;

    private String name;
    private Path dir;
    private Map<String, String> before;

    @BeforeAll
    static void start() throws IOException {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        user = new FolderCalls(EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(30)));
        outside = Files.createTempDirectory("bai-outside-").toRealPath();
        Files.write(outside.resolve("canary.txt"), CANARY);
        Files.createDirectories(outside.resolve("dir"));
        Files.write(outside.resolve("dir/nested.txt"), CANARY);
    }

    @AfterAll
    static void stop() throws IOException {
        emulator.close();
        if (!Files.exists(outside)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(outside)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A fresh folder with a file, a directory and three links out planted directly on disk. */
    @BeforeEach
    void plant() throws IOException {
        name = "safe-" + COUNTER.incrementAndGet();
        dir = FolderCalls.folderDir(emulator.dataRoot(), user.create(name));
        user.upload(name, "inside.txt", INSIDE);
        user.call("POST", "/folders/" + name + "/mkdir", Map.of("path", "sub"));
        assertThat(dir.resolve("inside.txt")).hasBinaryContent(INSIDE);
        Files.createSymbolicLink(dir.resolve("link-out"), outside);
        Files.createSymbolicLink(dir.resolve("link-file"), outside.resolve("canary.txt"));
        Files.createSymbolicLink(dir.resolve("link-rel"), dir.relativize(outside));
        Files.createSymbolicLink(dir.resolve("sub/up"), Path.of("../.."));
        assertThat(dir.resolve("link-rel/canary.txt")).as("the relative link leads out").hasBinaryContent(CANARY);
        before = snapshot(outside);
    }

    /** Whatever a test tried, the outside directory is byte for byte as it was, and nothing named pwned exists. */
    @AfterEach
    void outsideIsUntouched() throws IOException {
        assertThat(snapshot(outside)).isEqualTo(before);
        assertThat(outside.resolve("canary.txt")).hasBinaryContent(CANARY);
        List<Path> pwned = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(emulator.dataRoot())) {
            paths.filter(p -> p.getFileName() != null && p.getFileName().toString().contains("pwned"))
                    .filter(p -> !p.startsWith(dir)).forEach(pwned::add);
        }
        // Beside the data root and in the outside directory only names are read: the data root's
        // parent is the shared temporary directory, where other emulators' entries come and go.
        for (Path top : List.of(emulator.dataRoot().getParent(), outside)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(top, "*pwned*")) {
                entries.forEach(pwned::add);
            }
        }
        assertThat(pwned).as("files created outside the folder").isEmpty();
        assertThat(dir.resolve("inside.txt")).hasBinaryContent(INSIDE);
    }

    /** Every bad path that leads out of the folder (or is not a path), for reading. */
    private static List<String> badReads() {
        return List.of("..", "../x", "a/../../x", "sub/../../inside.txt", "/etc/passwd", "/etc",
                outside.resolve("canary.txt").toString(), outside.toString(), "a\u0000b", "inside.txt\u0000.png",
                "link-out", "link-out/canary.txt", "link-out/dir", "link-file", "link-rel", "link-rel/canary.txt",
                "sub/up", "sub/up/" + "../" .repeat(12) + "etc/passwd");
    }

    /** Every bad path for writing; each names "pwned" so that a slip shows wherever it lands. */
    private static List<String> badWrites() {
        return List.of("../pwned", "a/../../pwned", "sub/../../pwned", outside.resolve("pwned").toString(),
                "pwned\u0000x", "link-out/pwned", "link-out/dir/pwned", "link-rel/pwned",
                "sub/up/pwned");
    }

    private static String show(String path) {
        return path.replace("\u0000", "\\0");
    }

    /** A 4xx answer in problem+json (a {@code type} under the manager's problem URL). */
    private static void refused(SoftAssertions soft, String what, Answer answer) {
        soft.check(() -> assertThat(answer.status()).as("%s -> %s", what, answer.body()).isBetween(400, 499));
        soft.check(() -> assertThat(answer.path("type").asText()).as("%s -> %s", what, answer.body())
                .startsWith(PROBS));
    }

    private static void refused(SoftAssertions soft, String what, HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        soft.check(() -> assertThat(response.statusCode()).as("%s -> %s", what, body).isBetween(400, 499));
        soft.check(() -> assertThat(response.headers().firstValue("Content-Type").orElse("")).as("%s -> %s", what, body)
                .startsWith("application/problem+json"));
        soft.check(() -> assertThat(body).as("%s leaks the canary", what).doesNotContain(CANARY_TEXT));
    }

    private String base() {
        return "/folders/" + name;
    }

    // --- directories and listings ---------------------------------------------------------------------

    @Test
    void mkdirRefusesEveryPathOutOfTheFolder() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badWrites()) {
            refused(soft, "mkdir " + show(path), user.call("POST", base() + "/mkdir", Map.of("path", path)));
            refused(soft, "mkdir -p " + show(path), user.call("POST", base() + "/mkdir", Map.of("path", path,
                    "parents", true, "exist_ok", true)));
        }
        // Several at once: the good one is made, the escaping ones are listed as failed (the proxy's answer).
        Answer mixed = user.call("POST", base() + "/mkdir", Map.of("path", List.of("fine", "../pwned",
                "link-out/pwned")));
        soft.check(() -> assertThat(mixed.status()).as("%s", mixed.body()).isEqualTo(200));
        soft.check(() -> assertThat(mixed.path("results", "failed")).hasSize(2));
        soft.check(() -> assertThat(mixed.path("results", "failed").toString()).contains("InvalidSubpathError"));
        soft.check(() -> assertThat(dir.resolve("fine")).isDirectory());
        soft.assertAll();
    }

    @Test
    void listingRefusesEveryPathOutOfTheFolder() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badReads()) {
            Answer listed = user.call("GET", base() + "/files?path=" + FolderCalls.encode(path), null);
            refused(soft, "list " + show(path), listed);
            soft.check(() -> assertThat(listed.path("items").size()).as("list %s lists nothing", show(path)).isZero());
        }
        List<String> names = user.names(name, "");
        soft.check(() -> assertThat(names).as("the links themselves are listed, as links")
                .contains("inside.txt", "sub", "link-out", "link-file", "link-rel"));
        Answer root = user.call("GET", base() + "/files", null);
        root.path("items").forEach(item -> {
            if (item.path("name").asText().startsWith("link-")) {
                soft.check(() -> assertThat(item.path("type").asText()).isEqualTo("SYMLINK"));
            }
        });
        soft.assertAll();
    }

    // --- renames, moves, deletions --------------------------------------------------------------------

    @Test
    void renameFileRefusesEscapingTargetsAndNames() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badReads()) {
            refused(soft, "rename " + show(path), user.call("POST", base() + "/rename-file",
                    Map.of("target_path", path, "new_name", "pwned")));
        }
        for (String newName : List.of("..", "../pwned", "../../pwned", "a/pwned", "/pwned", outside + "/pwned",
                "pwned\u0000", "")) {
            refused(soft, "rename inside.txt to " + show(newName), user.call("POST", base() + "/rename-file",
                    Map.of("target_path", "inside.txt", "new_name", newName)));
        }
        soft.assertAll();
    }

    @Test
    void moveFileRefusesEscapingSourcesAndDestinations() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badReads()) {
            refused(soft, "move " + show(path) + " in", user.call("POST", base() + "/move-file",
                    Map.of("src", path, "dst", "sub")));
        }
        for (String path : badWrites()) {
            refused(soft, "move inside.txt to " + show(path), user.call("POST", base() + "/move-file",
                    Map.of("src", "inside.txt", "dst", path)));
        }
        for (String into : List.of("link-out", "link-rel", "link-out/dir", "sub/up", "..", outside.toString())) {
            refused(soft, "move inside.txt into " + show(into), user.call("POST", base() + "/move-file",
                    Map.of("src", "inside.txt", "dst", into)));
        }
        soft.assertAll();
        assertThat(outside.resolve("inside.txt")).doesNotExist();
        assertThat(dir.resolve("sub/canary.txt")).doesNotExist();
    }

    @Test
    void deleteFilesRefusesEscapingPathsAndRemovesNothingOutside() {
        SoftAssertions soft = new SoftAssertions();
        List<String> targets = new ArrayList<>(badReads());
        targets.addAll(List.of(outside.resolve("canary.txt").toString(), "link-out/dir/nested.txt"));
        for (String path : targets) {
            for (boolean recursive : List.of(false, true)) {
                refused(soft, "delete " + show(path) + (recursive ? " -r" : ""), user.call("POST",
                        base() + "/delete-files", Map.of("files", List.of(path), "recursive", recursive)));
            }
        }
        Answer mixed = user.call("POST", base() + "/delete-files", Map.of("files", List.of("inside.txt", "link-file"),
                "recursive", true));
        refused(soft, "delete a good and a bad path", mixed);
        soft.check(() -> assertThat(dir.resolve("inside.txt")).as("one bad path refuses the whole request").exists());
        soft.assertAll();
    }

    @Test
    void deleteFilesAsyncRemovesNothingOutside() {
        Answer started = user.call("POST", base() + "/delete-files-async", Map.of("files", List.of("link-out",
                "link-file", "../x"), "recursive", true));
        assertThat(started.status()).isEqualTo(202);
        List<String> events = FolderCalls.taskEvents(user.caller(), started.path("bgtask_id").asText(), 40);
        assertThat(events).contains("event: bgtask_failed");
        assertThat(dir).isDirectory();
    }

    // --- uploads and downloads ----------------------------------------------------------------------

    @Test
    void requestUploadRefusesEveryPathOutOfTheFolder() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badWrites()) {
            Answer session = user.call("POST", base() + "/request-upload", Map.of("path", path, "size", 5));
            refused(soft, "request-upload " + show(path), session);
            if (session.status() == 200) {
                // Had the manager handed out a token, the bytes must still not land outside.
                HttpResponse<byte[]> patch = FolderCalls.patch(session.path("url").asText(),
                        session.path("token").asText(), 0, "pwned".getBytes(StandardCharsets.UTF_8));
                soft.check(() -> assertThat(patch.statusCode()).as("PATCH of %s", show(path)).isBetween(400, 499));
            }
        }
        soft.assertAll();
    }

    @Test
    void anUploadCannotBeRedirectedThroughALinkPlantedAfterItsSessionOpened() throws IOException {
        Answer session = user.call("POST", base() + "/request-upload", Map.of("path", "later/pwned.txt", "size", 5));
        assertThat(session.status()).isEqualTo(200);
        Files.createSymbolicLink(dir.resolve("later"), outside);
        HttpResponse<byte[]> patch = FolderCalls.patch(session.path("url").asText(), session.path("token").asText(), 0,
                "pwned".getBytes(StandardCharsets.UTF_8));
        SoftAssertions soft = new SoftAssertions();
        refused(soft, "PATCH through a link planted later", patch);
        soft.assertAll();
    }

    @Test
    void downloadsRefuseEveryPathOutOfTheFolder() {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badReads()) {
            Answer session = user.call("POST", base() + "/request-download", Map.of("path", path));
            if (session.status() != 200) {
                refused(soft, "request-download " + show(path), session);
                continue;
            }
            String url = withToken(session.path("url").asText(), session.path("token").asText());
            refused(soft, "download " + show(path), proxy("GET", url, Map.of(), null));
            refused(soft, "download " + show(path) + " as a zip", proxy("GET", url + "&archive=true", Map.of(), null));
            HttpResponse<byte[]> head = proxy("HEAD", url, Map.of(), null);
            soft.check(() -> assertThat(head.statusCode()).as("HEAD %s", show(path)).isBetween(400, 499));
        }
        soft.assertAll();
    }

    @Test
    void archivesRefuseLinksOutOfTheFolder() throws IOException {
        SoftAssertions soft = new SoftAssertions();
        for (String path : badReads()) {
            Answer session = user.call("POST", base() + "/request-download-archive", Map.of("files", List.of(path)));
            if (session.status() != 200) {
                refused(soft, "request-download-archive " + show(path), session);
                continue;
            }
            HttpResponse<byte[]> zip = proxy("GET", withToken(session.path("url").asText(),
                    session.path("token").asText()), Map.of(), null);
            soft.check(() -> assertThat(zip.statusCode()).as("archive of %s", show(path)).isBetween(400, 499));
            soft.check(() -> assertThat(new String(zip.body(), StandardCharsets.ISO_8859_1))
                    .doesNotContain(CANARY_TEXT));
        }
        // The whole folder as a zip: the link to a file outside must not bring the canary in.
        Answer whole = user.call("POST", base() + "/request-download", Map.of("path", "."));
        HttpResponse<byte[]> zip = proxy("GET", withToken(whole.path("url").asText(), whole.path("token").asText())
                + "&archive=true", Map.of(), null);
        if (zip.statusCode() == 200) {
            for (Map.Entry<String, byte[]> entry : unzip(zip.body()).entrySet()) {
                soft.check(() -> assertThat(entry.getValue()).as("zip entry %s", entry.getKey()).isNotEqualTo(CANARY));
            }
        } else {
            refused(soft, "the folder as a zip", zip);
        }
        Files.delete(dir.resolve("link-file"));
        Files.delete(dir.resolve("sub/up"));
        HttpResponse<byte[]> clean = proxy("GET", withToken(whole.path("url").asText(), whole.path("token").asText())
                + "&archive=true", Map.of(), null);
        soft.check(() -> assertThat(clean.statusCode()).as("without the file links the folder zips").isEqualTo(200));
        Map<String, byte[]> entries = unzip(clean.body());
        soft.check(() -> assertThat(entries.get("inside.txt")).isEqualTo(INSIDE));
        soft.check(() -> assertThat(entries.keySet()).noneMatch(e -> e.contains("canary") || e.contains("nested")));
        soft.assertAll();
    }

    // --- folder names ---------------------------------------------------------------------------------

    @Test
    void reservedAndOverlongFolderNamesAreRefusedAsTheManagerRefusesThem() {
        SoftAssertions soft = new SoftAssertions();
        for (String bad : List.of(".bashrc", ".zprofile_profile", ".ssh", ".jupyter", "/etc", "/home/work", "/tmp",
                "x".repeat(65))) {
            Answer created = user.call("POST", "/folders", Map.of("name", bad));
            soft.check(() -> assertThat(created.status()).as("create %s: %s", bad, created.body()).isEqualTo(400));
            soft.check(() -> assertThat(created.path("type").asText()).as("create %s", bad)
                    .isEqualTo(PROBS + "generic-bad-request"));
            Answer renamed = user.call("POST", base() + "/rename", Map.of("new_name", bad));
            soft.check(() -> assertThat(renamed.status()).as("rename to %s: %s", bad, renamed.body()).isEqualTo(400));
            soft.check(() -> assertThat(renamed.path("type").asText()).startsWith(PROBS));
        }
        soft.check(() -> assertThat(user.call("POST", "/folders", Map.of("name", "x".repeat(64))).status())
                .as("64 characters is the limit").isEqualTo(201));
        soft.check(() -> assertThat(user.listed(name)).as("the refused renames left the folder's name").isNotNull());
        soft.assertAll();
    }

    /**
     * The manager does not refuse {@code ..} or a slash in a folder's name (its validator checks
     * only length and reserved names): a name is a label, the directory is the folder's id. So
     * such a name is accepted, and its files still land in the folder's own directory.
     */
    @Test
    void folderNamesThatLookLikePathsStayLabels() throws IOException {
        for (String label : List.of("..", "pwned/../..", "/pwned-abs")) {
            Answer created = user.call("POST", "/folders", Map.of("name", label));
            assertThat(created.status()).as("create %s: %s", label, created.body()).isEqualTo(201);
            Path folderDir = FolderCalls.folderDir(emulator.dataRoot(), created.body());
            assertThat(folderDir).isDirectory();
            assertThat(folderDir.startsWith(emulator.dataRoot())).isTrue();
            String id = created.path("id").asText();
            user.upload(id, "pwned-here.txt", INSIDE);
            assertThat(folderDir.resolve("pwned-here.txt")).hasBinaryContent(INSIDE);
            Files.delete(folderDir.resolve("pwned-here.txt"));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** Every entry under {@code top} (links not followed): its kind and, for a file, its digest. */
    private static Map<String, String> snapshot(Path top) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(top)) {
            paths.forEach(p -> {
                String key = top.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    entries.put(key, "link");
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(key, "dir");
                } else {
                    entries.put(key, digest(p));
                }
            });
        }
        return entries;
    }

    private static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
