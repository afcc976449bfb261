package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Virtual folders mounted into sessions, seen from the session's real python3 kernel process: a
 * folder mounted by name, by id and at a custom path is read there and written to, and what the
 * kernel writes is in the folder on disk; a read-only mount (a read-only invitation, a read-only
 * project folder, a mount asked read-only) refuses every write with an OSError, and the folder on
 * disk stays as it was.
 */
class FolderMountTest {
    private static final String PROBS = "https://api.backend.ai/probs/";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration SLOW = Duration.ofSeconds(120);

    private static ManagerEmulator emulator;
    private static FolderCalls admin;
    private static FolderCalls user;
    private static FolderCalls user2;

    /** Sessions a test created, destroyed after it: (caller, session id). */
    private final List<Map.Entry<FolderCalls, String>> sessions = new ArrayList<>();

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = new FolderCalls(EmulatorCaller.superadmin(emulator.endpoint(), SLOW));
        user = new FolderCalls(EmulatorCaller.user(emulator.endpoint(), SLOW));
        user2 = new FolderCalls(new EmulatorCaller(emulator.endpoint(), EmulatorCaller.USER2_AK,
                EmulatorCaller.USER2_SK, SLOW));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @AfterEach
    void destroySessions() {
        for (Map.Entry<FolderCalls, String> session : sessions) {
            session.getKey().call("DELETE", "/session/" + session.getValue() + "?forced=true", null);
        }
    }

    private static String unique(String kind) {
        return "mnt-" + kind + "-" + COUNTER.incrementAndGet();
    }

    private static Path folder(FolderCalls who, String name, Map<String, Object> extra) {
        return FolderCalls.folderDir(emulator.dataRoot(), who.create(name, extra));
    }

    /** Creates a session with {@code config} and waits for it to run; returns its id. */
    private String session(FolderCalls who, Map<String, Object> config) {
        Answer created = who.call("POST", "/session", Map.of("session_name", unique("session"), "image", "python",
                "config", config));
        assertThat(created.status()).as("create: %s", created.body()).isIn(200, 201);
        String id = created.path("sessionId").asText();
        sessions.add(Map.entry(who, id));
        await("the session runs").atMost(SLOW).pollInterval(Duration.ofMillis(100))
                .until(() -> who.call("GET", "/session/" + id, null).path("status").asText(), "RUNNING"::equals);
        return id;
    }

    /** Runs {@code code} in the session to its end; returns its stdout (stderr is in the failure message). */
    private static String run(FolderCalls who, String sessionId, String code) {
        String runId = "run-" + COUNTER.incrementAndGet();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Answer result = who.call("POST", "/session/" + sessionId, Map.of("mode", "query", "run_id", runId,
                "code", code, "options", Map.of()));
        long deadline = System.nanoTime() + SLOW.toNanos();
        while (true) {
            assertThat(result.status()).as("execute: %s", result.body()).isEqualTo(200);
            for (JsonNode item : result.path("result", "console")) {
                (item.path(0).asText().equals("stderr") ? err : out).append(item.path(1).asText());
            }
            if (!result.path("result", "status").asText().equals("continued") || System.nanoTime() > deadline) {
                break;
            }
            result = who.call("POST", "/session/" + sessionId, Map.of("mode", "continue", "run_id", runId,
                    "code", "", "options", Map.of()));
        }
        assertThat(result.path("result", "status").asText()).as("stderr: %s", err).isEqualTo("finished");
        assertThat(result.path("result", "exitCode").asInt()).as("stdout: %s\nstderr: %s", out, err).isZero();
        return out.toString();
    }

    private static JsonNode runJson(FolderCalls who, String sessionId, String code) {
        String out = run(who, sessionId, code).trim();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        try {
            return EmulatorCaller.JSON.readTree(last);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + out, e);
        }
    }

    // --- read-write mounts -------------------------------------------------------------------------

    @Test
    void aSessionReadsAndWritesFoldersMountedByNameByIdAndAtACustomPath() {
        String byName = unique("byname");
        Path byNameDir = folder(user, byName, Map.of());
        String byId = unique("byid");
        JsonNode byIdFolder = user.create(byId);
        Path byIdDir = FolderCalls.folderDir(emulator.dataRoot(), byIdFolder);
        String custom = unique("custom");
        Path customDir = folder(user, custom, Map.of());
        user.upload(byName, "in.txt", "by name".getBytes(StandardCharsets.UTF_8));
        user.upload(byId, "data/in.txt", "by id".getBytes(StandardCharsets.UTF_8));
        user.upload(custom, "in.txt", "custom".getBytes(StandardCharsets.UTF_8));

        String id = session(user, Map.of(
                "mounts", List.of(byName, custom),
                "mount_ids", List.of(byIdFolder.path("id").asText()),
                "mount_map", Map.of(custom, "/home/work/places/custom-here")));
        Answer info = user.call("GET", "/session/" + id, null);
        assertThat(info.status()).isEqualTo(200);

        JsonNode seen = runJson(user, id, String.join("\n",
                "import json, os",
                "seen = {}",
                "for where, src, dst in [",
                "        ('" + byName + "', 'in.txt', 'out.txt'),",
                "        ('" + byId + "', 'data/in.txt', 'data/out.txt'),",
                "        ('places/custom-here', 'in.txt', 'new/dir/out.txt')]:",
                "    text = open(os.path.join(where, src)).read()",
                "    os.makedirs(os.path.dirname(os.path.join(where, dst)) or where, exist_ok=True)",
                "    with open(os.path.join(where, dst), 'w') as f:",
                "        f.write(text.upper() + ' from ' + os.getcwd())",
                "    seen[where] = text",
                "seen['cwd_listing'] = sorted(os.listdir('.'))",
                "print(json.dumps(seen))"));
        assertThat(seen.path(byName).asText()).isEqualTo("by name");
        assertThat(seen.path(byId).asText()).isEqualTo("by id");
        assertThat(seen.path("places/custom-here").asText()).isEqualTo("custom");
        assertThat(seen.path("cwd_listing").toString()).contains(byName, byId, "places")
                .as("a mapped folder is not also at its default place").doesNotContain("\"" + custom + "\"");

        assertThat(read(byNameDir.resolve("out.txt"))).startsWith("BY NAME from ");
        assertThat(read(byIdDir.resolve("data/out.txt"))).startsWith("BY ID from ");
        assertThat(read(customDir.resolve("new/dir/out.txt"))).startsWith("CUSTOM from ");
        assertThat(user.download(byName, "out.txt")).startsWith("BY NAME".getBytes(StandardCharsets.UTF_8));

        user.upload(byName, "later.txt", "uploaded while running".getBytes(StandardCharsets.UTF_8));
        assertThat(run(user, id, "print(open('" + byName + "/later.txt').read())").trim())
                .as("a read-write mount is the folder itself, not a copy").isEqualTo("uploaded while running");
    }

    @Test
    void mountRequestsThatCannotBeHonouredAreRefused() {
        String name = unique("refused");
        folder(user, name, Map.of());
        Answer unknown = user.call("POST", "/session", Map.of("session_name", unique("s"), "image", "python",
                "config", Map.of("mounts", List.of(unique("no-such-folder")))));
        assertThat(unknown.status()).as("%s", unknown.body()).isEqualTo(404);
        assertThat(unknown.path("type").asText()).isEqualTo(PROBS + "object-not-found");

        String theirs = unique("theirs");
        JsonNode theirFolder = user2.create(theirs);
        Answer notMine = user.call("POST", "/session", Map.of("session_name", unique("s"), "image", "python",
                "config", Map.of("mount_ids", List.of(theirFolder.path("id").asText()))));
        assertThat(notMine.status()).as("another user's folder: %s", notMine.body()).isEqualTo(404);

        for (String alias : List.of("/home/work/.ssh", ".jupyter")) {
            Answer reserved = user.call("POST", "/session", Map.of("session_name", unique("s"), "image", "python",
                    "config", Map.of("mounts", List.of(name), "mount_map", Map.of(name, alias))));
            assertThat(reserved.status()).as("alias %s: %s", alias, reserved.body()).isEqualTo(400);
            assertThat(reserved.path("type").asText()).isEqualTo(PROBS + "invalid-api-params");
        }
        Answer escaping = user.call("POST", "/session", Map.of("session_name", unique("s"), "image", "python",
                "config", Map.of("mounts", List.of(name), "mount_options",
                        Map.of(name, Map.of("subpath", "../..")))));
        assertThat(escaping.status()).as("subpath out of the folder: %s", escaping.body()).isEqualTo(400);
    }

    // --- read-only mounts ---------------------------------------------------------------------------

    /** Python that tries every kind of write below {@code root} and reports each outcome, then reads. */
    private static String tryWrites(String root, String existing) {
        return String.join("\n",
                "import json, os, shutil",
                "root = '" + root + "'",
                "outcome = {}",
                "def attempt(what, action):",
                "    try:",
                "        action()",
                "        outcome[what] = 'written'",
                "    except OSError as e:",
                "        outcome[what] = type(e).__name__ + ':' + str(e.errno)",
                "def overwrite():",
                "    with open(os.path.join(root, '" + existing + "'), 'w') as f: f.write('changed')",
                "def append():",
                "    with open(os.path.join(root, '" + existing + "'), 'a') as f: f.write('more')",
                "def create():",
                "    with open(os.path.join(root, 'created.txt'), 'x') as f: f.write('new')",
                "def low_level():",
                "    os.close(os.open(os.path.join(root, 'raw.txt'), os.O_WRONLY | os.O_CREAT))",
                "attempt('overwrite', overwrite)",
                "attempt('append', append)",
                "attempt('create', create)",
                "attempt('os.open', low_level)",
                "attempt('mkdir', lambda: os.mkdir(os.path.join(root, 'newdir')))",
                "attempt('remove', lambda: os.remove(os.path.join(root, '" + existing + "')))",
                "attempt('rename', lambda: os.rename(os.path.join(root, '" + existing + "'), os.path.join(root, 'moved')))",
                "attempt('rmtree', lambda: shutil.rmtree(os.path.join(root, 'keep')))",
                "attempt('chmod', lambda: os.chmod(os.path.join(root, '" + existing + "'), 0o777))",
                "outcome['read'] = open(os.path.join(root, '" + existing + "')).read()",
                "print(json.dumps(outcome))");
    }

    private static void assertEveryWriteRefused(JsonNode outcome, String content) {
        for (String write : List.of("overwrite", "append", "create", "os.open", "mkdir", "remove", "rename", "rmtree",
                "chmod")) {
            assertThat(outcome.path(write).asText()).as("%s in %s", write, outcome)
                    .matches("(PermissionError|OSError):(30|13|1)");
        }
        assertThat(outcome.path("read").asText()).as("reading still works").isEqualTo(content);
    }

    @Test
    void aReadOnlyInvitationMountsReadOnly() throws IOException {
        String name = unique("ro-shared");
        Path dir = folder(user, name, Map.of());
        user.upload(name, "note.txt", "shared read-only".getBytes(StandardCharsets.UTF_8));
        user.call("POST", "/folders/" + name + "/mkdir", Map.of("path", "keep/inner"));
        Answer invite = user.call("POST", "/folders/" + name + "/invite", Map.of("perm", "ro",
                "emails", List.of("user2@lablup.com")));
        assertThat(invite.status()).isEqualTo(201);
        String invitation = null;
        for (JsonNode i : user2.call("GET", "/folders/invitations/list", null).path("invitations")) {
            if (i.path("vfolder_name").asText().equals(name)) {
                invitation = i.path("id").asText();
            }
        }
        assertThat(user2.call("POST", "/folders/invitations/accept", Map.of("inv_id", invitation)).status())
                .isEqualTo(200);
        Map<String, String> before = snapshot(dir);

        Answer rw = user2.call("POST", "/session", Map.of("session_name", unique("s"), "image", "python",
                "config", Map.of("mounts", List.of(name), "mount_options", Map.of(name, Map.of("permission", "rw")))));
        assertThat(rw.status()).as("a read-write mount of a read-only share: %s", rw.body()).isEqualTo(400);
        assertThat(rw.path("type").asText()).startsWith(PROBS);

        String id = session(user2, Map.of("mounts", List.of(name)));
        assertEveryWriteRefused(runJson(user2, id, tryWrites(name, "note.txt")), "shared read-only");
        assertThat(snapshot(dir)).as("the folder on disk is unchanged").isEqualTo(before);

        user.upload(name, "owner.txt", "written by the owner".getBytes(StandardCharsets.UTF_8));
        assertThat(dir.resolve("owner.txt")).as("the owner still writes through the API").exists();
    }

    @Test
    void aReadOnlyProjectFolderAndARoMountOptionMountReadOnly() throws IOException {
        String project = unique("ro-project");
        Path projectDir = folder(admin, project, Map.of("group", VFolderApiTest.DEFAULT_PROJECT, "permission", "ro"));
        admin.upload(project, "note.txt", "project data".getBytes(StandardCharsets.UTF_8));
        admin.call("POST", "/folders/" + project + "/mkdir", Map.of("path", "keep"));
        String own = unique("ro-option");
        Path ownDir = folder(user, own, Map.of());
        user.upload(own, "mine.txt", "my data".getBytes(StandardCharsets.UTF_8));
        user.call("POST", "/folders/" + own + "/mkdir", Map.of("path", "keep"));
        Map<String, String> projectBefore = snapshot(projectDir);
        Map<String, String> ownBefore = snapshot(ownDir);

        String id = session(user, Map.of("mounts", List.of(project, own),
                "mount_map", Map.of(own, "/home/work/readonly/mine"),
                "mount_options", Map.of(own, Map.of("permission", "ro"))));
        assertEveryWriteRefused(runJson(user, id, tryWrites(project, "note.txt")), "project data");
        assertEveryWriteRefused(runJson(user, id, tryWrites("readonly/mine", "mine.txt")), "my data");
        assertThat(snapshot(projectDir)).isEqualTo(projectBefore);
        assertThat(snapshot(ownDir)).isEqualTo(ownBefore);

        JsonNode scratch = runJson(user, id, String.join("\n", "import json",
                "open('scratch.txt', 'w').write('fine')", "print(json.dumps({'ok': open('scratch.txt').read()}))"));
        assertThat(scratch.path("ok").asText()).as("outside the read-only mounts the kernel writes").isEqualTo("fine");
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry under {@code top}: its kind and, for a file, its content, size and permissions. */
    private static Map<String, String> snapshot(Path top) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String key = top.relativize(p).toString();
                String mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).toString();
                entries.put(key, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir " + mode
                        : "file " + mode + " " + Files.readString(p));
            }
        }
        return new LinkedHashMap<>(entries);
    }
}
