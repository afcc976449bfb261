package bai.scenarios.emulator;

import static bai.scenarios.emulator.EmulatorCaller.DOMAIN_ADMIN_SK;
import static bai.scenarios.emulator.EmulatorCaller.DOMAIN_ADMIN_AK;
import static bai.scenarios.emulator.EmulatorCaller.USER2_SK;
import static bai.scenarios.emulator.EmulatorCaller.USER2_AK;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The manager's {@code /folders} API over real HTTP: every route's answer and its main refusals,
 * with the statuses, bodies and problem types of the manager.
 */
class VFolderApiTest {
    static final String DEFAULT_PROJECT = "2de2b969-1d04-48a6-af16-0bc8adb3c831";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static ManagerEmulator emulator;
    private static FolderCalls admin;
    private static FolderCalls user;
    private static FolderCalls user2;
    private static FolderCalls domainAdmin;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        Duration timeout = Duration.ofSeconds(30);
        admin = new FolderCalls(EmulatorCaller.superadmin(emulator.endpoint(), timeout));
        user = new FolderCalls(EmulatorCaller.user(emulator.endpoint(), timeout));
        user2 = new FolderCalls(new EmulatorCaller(emulator.endpoint(), USER2_AK, USER2_SK, timeout));
        domainAdmin = new FolderCalls(new EmulatorCaller(emulator.endpoint(), DOMAIN_ADMIN_AK, DOMAIN_ADMIN_SK,
                timeout));
    }

    @AfterAll
    static void stop() {
        Path root = emulator.dataRoot();
        emulator.close();
        assertThat(root).as("the data root goes with the emulator").doesNotExist();
    }

    private static String unique(String kind) {
        return "t-" + kind + "-" + COUNTER.incrementAndGet();
    }

    private static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.path("type").asText()).as("%s", answer.body()).isEqualTo("https://api.backend.ai/probs/" + type);
    }

    // --- hosts and types ----------------------------------------------------------------------------

    @Test
    void hostsAndAllowedTypesAreTheHalfstacksVolume() {
        Answer hosts = user.call("GET", "/folders/_/hosts", null);
        assertThat(hosts.status()).isEqualTo(200);
        assertThat(hosts.path("default").asText()).isEqualTo("local:volume1");
        assertThat(hosts.path("allowed").toString()).isEqualTo("[\"local:volume1\"]");
        JsonNode info = hosts.path("volume_info", "local:volume1");
        assertThat(info.path("backend").asText()).isEqualTo("vfs");
        assertThat(info.path("capabilities").toString()).isEqualTo("[\"vfolder\"]");
        assertThat(info.path("usage").path("percentage").isNumber()).isTrue();
        assertThat(info.path("sftp_scaling_groups").toString()).isEqualTo("[]");

        assertThat(user.call("GET", "/folders/_/allowed_types", null).body().toString()).isEqualTo("[\"group\",\"user\"]");
        assertThat(user.call("GET", "/folders/_/allowed-types", null).body().toString()).isEqualTo("[\"group\",\"user\"]");
        assertProblem(user.call("GET", "/folders/_/all-hosts", null), 403, "generic-forbidden");
        assertThat(admin.call("GET", "/folders/_/all_hosts", null).path("allowed").toString())
                .isEqualTo("[\"local:volume1\"]");
    }

    // --- create, list, info, id, rename, options ---------------------------------------------------

    @Test
    void createListInfoIdAndRename() {
        String name = unique("create");
        JsonNode created = user.create(name);
        assertThat(created.path("id").asText()).hasSize(32).doesNotContain("-");
        assertThat(created.path("host").asText()).isEqualTo("local:volume1");
        assertThat(created.path("quota_scope_id").asText()).startsWith("user:dfa9da54-4b28-432f-be29-c0d680c7a412");
        assertThat(created.path("permission").asText()).isEqualTo("rw");
        assertThat(created.path("ownership_type").asText()).isEqualTo("user");
        assertThat(created.path("status").asText()).isEqualTo("ready");
        assertThat(created.path("created_at").asText()).isEmpty();
        assertThat(created.path("creator").asText()).isEqualTo("user@lablup.com");
        List<String> keys = new ArrayList<>();
        created.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("id", "name", "quota_scope_id", "host", "usage_mode", "created_at", "permission",
                "creator", "ownership_type", "user", "group", "cloneable", "status", "is_owner", "max_size",
                "user_email", "group_name", "type", "max_files", "cur_size");

        JsonNode listed = user.listed(name);
        assertThat(listed).isNotNull();
        assertThat(listed.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*\\+00:00");
        assertThat(user2.listed(name)).as("another user does not see it").isNull();

        Answer info = user.call("GET", "/folders/" + name, null);
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.path("numFiles").asLong()).isZero();
        assertThat(info.path("type").asText()).isEqualTo("user");
        assertThat(info.path("is_owner").asBoolean()).isTrue();
        assertThat(user.call("GET", "/folders/" + created.path("id").asText(), null).path("name").asText())
                .as("by id (dashes optional)").isEqualTo(name);

        Answer id = user.call("GET", "/folders/_/id", Map.of("name", name));
        assertThat(id.status()).isEqualTo(200);
        assertThat(id.path("id").asText().replace("-", "")).isEqualTo(created.path("id").asText());

        String renamed = unique("renamed");
        Answer rename = user.call("POST", "/folders/" + name + "/rename", Map.of("new_name", renamed));
        assertThat(rename.status()).isEqualTo(200);
        assertThat(rename.body().toString()).isEqualTo("{\"msg\":\"\"}");
        assertThat(user.listed(renamed)).isNotNull();
        assertProblem(user.call("POST", "/folders/" + renamed + "/rename", Map.of("new_name", renamed)), 400,
                "vfolder-invalid-parameter");
        assertProblem(user.call("GET", "/folders/" + name, null), 404, "object-not-found");
    }

    @Test
    void createRefusalsAreTheManagers() {
        String name = unique("dup");
        user.create(name);
        Answer duplicate = user.call("POST", "/folders", Map.of("name", name));
        assertProblem(duplicate, 400, "invalid-api-params");
        assertThat(duplicate.path("msg").asText()).contains("already exists");
        assertProblem(user.call("POST", "/folders", Map.of("name", ".bashrc")), 400, "generic-bad-request");
        assertProblem(user.call("POST", "/folders", Map.of("name", "x".repeat(65))), 400, "generic-bad-request");
        assertProblem(user.call("POST", "/folders", Map.of("name", unique("perm"), "permission", "xx")), 400,
                "generic-bad-request");
        assertProblem(user.call("POST", "/folders", Map.of()), 400, "generic-bad-request");
        assertProblem(user.call("POST", "/folders", Map.of("name", unique("nohost"), "host", "elsewhere:vol")), 400,
                "storage-permission-not-allowed");
        assertProblem(user.call("POST", "/folders", Map.of("name", unique("project"), "group", DEFAULT_PROJECT)), 403,
                "forbidden");
        assertProblem(admin.call("POST", "/folders", Map.of("name", unique("project"),
                "group", "00000000-0000-0000-0000-000000000000")), 404, "project-not-found");
        assertProblem(admin.call("POST", "/folders", Map.of("name", ".dotted", "group", DEFAULT_PROJECT)), 400,
                "invalid-api-params");
    }

    @Test
    void projectFoldersAndUpdateOptions() {
        String name = unique("project");
        JsonNode created = admin.create(name, Map.of("group", DEFAULT_PROJECT, "permission", "ro"));
        assertThat(created.path("ownership_type").asText()).isEqualTo("group");
        assertThat(created.path("group").asText()).isEqualTo(DEFAULT_PROJECT);
        assertThat(created.path("user").isNull()).isTrue();
        assertThat(created.path("quota_scope_id").asText()).isEqualTo("project:" + DEFAULT_PROJECT);
        JsonNode seen = user.listed(name);
        assertThat(seen).as("a member sees the project's folder").isNotNull();
        assertThat(seen.path("is_owner").asBoolean()).isFalse();
        assertThat(seen.path("permission").asText()).isEqualTo("ro");
        assertThat(domainAdmin.listed(name).path("is_owner").asBoolean()).isTrue();

        assertProblem(user.call("POST", "/folders/" + name + "/update-options", Map.of("cloneable", true)), 404,
                "object-not-found");
        assertThat(admin.call("POST", "/folders/" + name + "/update-options",
                Map.of("cloneable", true, "permission", "rw")).status()).isEqualTo(200);
        JsonNode updated = user.listed(name);
        assertThat(updated.path("cloneable").asBoolean()).isTrue();
        assertThat(updated.path("permission").asText()).isEqualTo("rw");
    }

    @Test
    void aSuperadminListsAsAnotherUserAndOthersMayNot() {
        String name = unique("owner");
        user.create(name);
        Answer asUser = admin.call("GET", "/folders?owner_user_email=" + FolderCalls.encode("user@lablup.com"), null);
        assertThat(asUser.status()).isEqualTo(200);
        assertThat(asUser.body().toString()).contains(name);
        assertProblem(user2.call("GET", "/folders?owner_user_email=" + FolderCalls.encode("user@lablup.com"), null), 400,
                "invalid-api-params");
        assertProblem(user.call("GET", "/folders?group_id=not-a-uuid", null), 400, "generic-bad-request");
    }

    // --- files ----------------------------------------------------------------------------------------

    @Test
    void mkdirListRenameMoveAndDelete() {
        String name = unique("files");
        user.create(name);
        String base = "/folders/" + name;
        Answer one = user.call("POST", base + "/mkdir", Map.of("path", "a/b/c"));
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.path("results", "success").get(0).path("item").asText()).isEqualTo("a/b/c");
        assertThat(one.path("results", "failed")).isEmpty();

        Answer several = user.call("POST", base + "/mkdir", Map.of("path", List.of("a", "d", "x/y"), "parents", false));
        assertThat(several.status()).isEqualTo(200);
        assertThat(several.path("results", "success")).hasSize(1);
        assertThat(several.path("results", "failed")).hasSize(2);
        assertThat(several.path("results", "failed").get(0).path("msg").asText()).startsWith("FileExistsError(17");
        assertThat(several.path("results", "failed").get(1).path("msg").asText()).startsWith("FileNotFoundError(2");
        assertProblem(user.call("POST", base + "/mkdir", Map.of("path", "a")), 400, "vfolder-operation-failed");
        assertThat(user.call("POST", base + "/mkdir", Map.of("path", "a", "exist_ok", true)).status()).isEqualTo(200);
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add("many" + i);
        }
        assertProblem(user.call("POST", base + "/mkdir", Map.of("path", tooMany)), 400, "vfolder-invalid-parameter");

        Answer open = user.call("POST", base + "/request-upload", Map.of("path", "pending.bin", "size", 10));
        assertThat(user.names(name, "")).as("an open upload's staging directory shows, as on the real proxy")
                .containsExactlyInAnyOrder("a", "d", ".upload");
        FolderCalls.patch(open.path("url").asText(), open.path("token").asText(), 0, new byte[10]);
        user.upload(name, "a/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(user.names(name, "")).containsExactlyInAnyOrder("a", "d", "pending.bin");
        user.call("POST", base + "/delete-files", Map.of("files", List.of("pending.bin")));
        Answer listing = user.call("GET", base + "/files?path=a", null);
        Map<String, JsonNode> items = new LinkedHashMap<>();
        listing.path("items").forEach(i -> items.put(i.path("name").asText(), i));
        assertThat(items.keySet()).containsExactlyInAnyOrder("b", "hello.txt");
        assertThat(items.get("b").path("type").asText()).isEqualTo("DIRECTORY");
        assertThat(items.get("hello.txt").path("type").asText()).isEqualTo("FILE");
        assertThat(items.get("hello.txt").path("size").asLong()).isEqualTo(5);
        assertThat(items.get("hello.txt").path("mode").asInt() & 0170000).isEqualTo(0100000);
        assertThat(items.get("hello.txt").path("modified").asText()).endsWith("+00:00");
        assertThat(user.names(name, "a/b")).containsExactly("c");
        assertProblem(user.call("GET", base + "/files?path=missing", null), 400, "vfolder-operation-failed");

        Answer renamed = user.call("POST", base + "/rename-file", Map.of("target_path", "a/hello.txt",
                "new_name", "hi.txt"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(user.call("POST", base + "/move-file", Map.of("src", "a/hi.txt", "dst", "d")).status()).isEqualTo(200);
        assertThat(user.names(name, "d")).containsExactly("hi.txt");
        assertThat(user.download(name, "d/hi.txt")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertProblem(user.call("POST", base + "/move-file", Map.of("src", "nothing", "dst", "d")), 400,
                "vfolder-operation-failed");

        assertThat(user.call("POST", base + "/delete-files", Map.of("files", List.of("a", "ghost"))).status())
                .as("a directory without recursive, and a missing file, are passed over").isEqualTo(200);
        assertThat(user.names(name, "")).contains("a");
        assertThat(user.call("DELETE", base + "/delete-files", Map.of("files", List.of("a", "d/hi.txt"),
                "recursive", true)).status()).isEqualTo(200);
        assertThat(user.names(name, "")).doesNotContain("a");
        assertThat(user.names(name, "d")).isEmpty();
    }

    @Test
    void deleteFilesAsyncIsABackgroundTask() {
        String name = unique("async");
        user.create(name);
        user.call("POST", "/folders/" + name + "/mkdir", Map.of("path", "junk/deep"));
        Answer started = user.call("POST", "/folders/" + name + "/delete-files-async",
                Map.of("files", List.of("junk"), "recursive", true));
        assertThat(started.status()).isEqualTo(202);
        List<String> events = FolderCalls.taskEvents(user.caller(), started.path("bgtask_id").asText(), 40);
        assertThat(events).contains("event: bgtask_done", "event: server_close");
        assertThat(user.names(name, "")).doesNotContain("junk");
    }

    // --- the trash ---------------------------------------------------------------------------------

    @Test
    void trashRestoreDeleteForeverAndPurge() {
        String name = unique("trash");
        String id = user.create(name).path("id").asText();
        Map<String, Object> byId = Map.of("id", id);
        assertProblem(user.call("POST", "/folders/delete-from-trash-bin", byId), 400, "vfolder-filter-status-failed");
        assertThat(user.call("DELETE", "/folders/" + name, null).status()).isEqualTo(204);
        assertThat(user.listed(name).path("status").asText()).isEqualTo("delete-pending");
        assertThat(user.call("GET", "/folders/" + name, null).status()).as("a trashed folder's info").isEqualTo(200);
        assertProblem(user.call("POST", "/folders/" + name + "/mkdir", Map.of("path", "x")), 400,
                "vfolder-filter-status-failed");
        assertThat(user.call("POST", "/folders/restore-from-trash-bin", byId).status()).isEqualTo(204);
        assertThat(user.listed(name).path("status").asText()).isEqualTo("ready");

        assertThat(user.call("DELETE", "/folders", byId).status()).isEqualTo(204);
        assertProblem(user2.call("POST", "/folders/delete-from-trash-bin", byId), 403, "not-enough-permission");
        assertThat(user.call("POST", "/folders/delete-from-trash-bin", byId).status()).isEqualTo(204);
        await("the files are removed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> user.listed(name) == null);
        assertProblem(user.call("POST", "/folders/purge", byId), 403, "insufficient-privilege");
        assertThat(admin.call("POST", "/folders/purge", byId).status()).isEqualTo(204);
        assertProblem(admin.call("POST", "/folders/purge", byId), 404, "object-not-found");
        assertProblem(user.call("DELETE", "/folders/not-a-uuid/force", null), 400, "invalid-api-params");
    }

    @Test
    void purgeOfAFolderNotInTheTrashIsRefused() {
        String name = unique("purge");
        String id = user.create(name).path("id").asText();
        assertProblem(admin.call("POST", "/folders/purge", Map.of("id", id)), 400, "vfolder-filter-status-failed");
        assertThat(admin.call("DELETE", "/folders/" + id + "/force", null).status()).isEqualTo(204);
        await("the forced deletion completes").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> user.listed(name) == null);
    }

    // --- clone ---------------------------------------------------------------------------------------

    @Test
    void cloneIsABackgroundTaskThatCopiesTheFiles() {
        String source = unique("source");
        user.create(source);
        user.upload(source, "data/one.txt", "one".getBytes(StandardCharsets.UTF_8));
        String target = unique("clone");
        assertProblem(user.call("POST", "/folders/" + source + "/clone", Map.of("target_name", target)), 403,
                "forbidden");
        user.call("POST", "/folders/" + source + "/update-options", Map.of("cloneable", true));
        Answer clone = user.call("POST", "/folders/" + source + "/clone", Map.of("target_name", target,
                "permission", "ro"));
        assertThat(clone.status()).as("%s", clone.body()).isEqualTo(201);
        assertThat(clone.path("name").asText()).isEqualTo(target);
        assertThat(clone.path("permission").asText()).isEqualTo("ro");
        String task = clone.path("bgtask_id").asText();
        List<String> events = FolderCalls.taskEvents(user.caller(), task, 40);
        assertThat(events).containsSubsequence("event: bgtask_done", "event: server_close");
        assertThat(events.stream().filter(l -> l.startsWith("data: {\"task_id\"")).findFirst().orElseThrow())
                .contains(task);
        assertThat(user.download(target, "data/one.txt")).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        assertThat(user.listed(source).path("status").asText()).isEqualTo("ready");
        assertThat(user.listed(target).path("permission").asText()).isEqualTo("ro");
        // A late subscriber still gets the ending, then the stream closes.
        assertThat(FolderCalls.taskEvents(user.caller(), task, 40)).contains("event: bgtask_done", "event: server_close");
        assertProblem(user.call("POST", "/folders/" + source + "/clone", Map.of("target_name", target)), 409,
                "vfolder-already-exists");
        assertProblem(user.call("GET", "/events/background-task?taskId=nope", null), 400, "generic-bad-request");
    }

    // --- limits ----------------------------------------------------------------------------------------

    @Test
    void maxVfolderCountRefusesCreationAndClone() {
        String policy = unique("policy");
        admin.caller().graphql("mutation($n: String!, $p: CreateUserResourcePolicyInput!) { "
                + "create_user_resource_policy(name: $n, props: $p) { ok msg } }",
                Map.of("n", policy, "p", Map.of("max_vfolder_count", 1, "max_quota_scope_size", -1,
                        "max_session_count_per_model_session", 10, "max_customized_image_count", 3)));
        String email = unique("limited") + "@example.com";
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("username", email);
        props.put("password", "limited-password-1");
        props.put("need_password_change", false);
        props.put("full_name", "Limited");
        props.put("domain_name", "default");
        props.put("role", "user");
        props.put("status", "active");
        props.put("group_ids", List.of(DEFAULT_PROJECT));
        props.put("resource_policy", policy);
        JsonNode created = admin.caller().graphql("mutation($e: String!, $p: UserInput!) { create_user(email: $e, "
                + "props: $p) { ok msg keypair { access_key secret_key } } }", Map.of("e", email, "p", props));
        JsonNode keypair = created.path("create_user").path("keypair");
        FolderCalls limited = new FolderCalls(new EmulatorCaller(emulator.endpoint(), keypair.path("access_key").asText(),
                keypair.path("secret_key").asText(), Duration.ofSeconds(30)));
        String first = unique("first");
        limited.create(first, Map.of("cloneable", true));
        Answer second = limited.call("POST", "/folders", Map.of("name", unique("second")));
        assertProblem(second, 400, "invalid-api-params");
        assertThat(second.path("msg").asText()).contains("You cannot create more vfolders.");
        Answer clone = limited.call("POST", "/folders/" + first + "/clone", Map.of("target_name", unique("copy")));
        assertProblem(clone, 400, "vfolder-invalid-parameter");
        assertThat(clone.path("msg").asText()).isEqualTo("You cannot create more vfolders.");
    }

    // --- invitations and shares -----------------------------------------------------------------------

    @Test
    void inviteAcceptUseAndLeave() {
        String name = unique("shared");
        user.create(name);
        user.upload(name, "note.txt", "shared".getBytes(StandardCharsets.UTF_8));
        assertProblem(user.call("POST", "/folders/" + name + "/invite", Map.of("emails", List.of("nobody@x.y"))), 404,
                "object-not-found");
        Answer invite = user.call("POST", "/folders/" + name + "/invite", Map.of("perm", "rw",
                "emails", List.of("user2@lablup.com")));
        assertThat(invite.status()).isEqualTo(201);
        assertThat(invite.path("invited_ids").toString()).isEqualTo("[\"user2@lablup.com\"]");
        assertThat(user.call("POST", "/folders/" + name + "/invite", Map.of("emails", List.of("user2@lablup.com")))
                .path("invited_ids")).as("no second pending invitation").isEmpty();

        JsonNode sent = user.call("GET", "/folders/invitations/list-sent", null).path("invitations");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).path("invitee").asText()).isEqualTo("user2@lablup.com");
        assertThat(sent.get(0).path("state").asText()).isEqualTo("pending");
        JsonNode received = user2.call("GET", "/folders/invitations/list", null).path("invitations");
        JsonNode invitation = null;
        for (JsonNode i : received) {
            if (i.path("vfolder_name").asText().equals(name)) {
                invitation = i;
            }
        }
        assertThat(invitation).isNotNull();
        assertThat(invitation.path("inviter").asText()).isEqualTo("user@lablup.com");
        assertThat(invitation.path("perm").asText()).isEqualTo("rw");
        assertThat(invitation.path("invitee").asText()).as("the manager's quirk").isEmpty();
        assertThat(invitation.path("state").asText()).as("the manager's quirk").isEmpty();

        String invId = invitation.path("id").asText();
        assertThat(user2.call("POST", "/folders/invitations/accept", Map.of("inv_id", invId)).status()).isEqualTo(200);
        assertProblem(user2.call("POST", "/folders/invitations/accept", Map.of("inv_id", invId)), 404,
                "vfolder-invitation-not-found");
        JsonNode seen = user2.listed(name);
        assertThat(seen.path("is_owner").asBoolean()).isFalse();
        assertThat(seen.path("permission").asText()).isEqualTo("rw");
        assertThat(user2.download(name, "note.txt")).isEqualTo("shared".getBytes(StandardCharsets.UTF_8));
        user2.upload(name, "reply.txt", "ok".getBytes(StandardCharsets.UTF_8));
        assertThat(user.names(name, "")).contains("reply.txt");
        assertProblem(user2.call("POST", "/folders/" + name + "/rename", Map.of("new_name", unique("x"))), 404,
                "object-not-found");
        assertProblem(user.call("POST", "/folders/" + name + "/invite", Map.of("emails", List.of("user2@lablup.com"))),
                409, "vfolder-grant-already-exists");

        Answer left = user2.call("POST", "/folders/" + name + "/leave", Map.of());
        assertThat(left.status()).isEqualTo(200);
        assertThat(left.path("msg").asText()).isEqualTo("left the shared vfolder");
        assertThat(user2.listed(name)).isNull();
    }

    @Test
    void rejectCancelAndStrangers() {
        String name = unique("rejected");
        user.create(name);
        user.call("POST", "/folders/" + name + "/invite", Map.of("emails", List.of("user2@lablup.com"), "perm", "ro"));
        String invId = user.call("GET", "/folders/invitations/list-sent", null).path("invitations").get(0)
                .path("id").asText();
        assertProblem(domainAdmin.call("POST", "/folders/invitations/delete", Map.of("inv_id", invId)), 403, "forbidden");
        Answer update = user.call("POST", "/folders/invitations/update/" + invId, Map.of("perm", "rw"));
        assertThat(update.path("msg").asText()).isEqualTo("vfolder invitation updated: " + invId + ".");
        assertThat(user2.call("DELETE", "/folders/invitations/delete", Map.of("inv_id", invId)).status()).isEqualTo(200);
        assertThat(user.call("GET", "/folders/invitations/list-sent", null).path("invitations").toString())
                .doesNotContain(invId);
        assertProblem(user.call("POST", "/folders/invitations/accept", Map.of("inv_id", "garbage")), 500,
                "internal-server-error");
    }

    @Test
    void projectFoldersAreSharedWithMembersOnly() {
        String name = unique("shareable");
        admin.create(name, Map.of("group", DEFAULT_PROJECT, "permission", "rw"));
        Answer share = admin.call("POST", "/folders/" + name + "/share", Map.of("permission", "ro",
                "emails", List.of("user@lablup.com")));
        assertThat(share.status()).as("%s", share.body()).isEqualTo(201);
        assertThat(share.path("shared_emails").toString()).isEqualTo("[\"user@lablup.com\"]");
        assertThat(user.listed(name).path("permission").asText()).as("the share overrides").isEqualTo("ro");
        assertProblem(admin.call("POST", "/folders/" + name + "/share", Map.of("emails", List.of("nobody@x.y"))), 404,
                "object-not-found");
        assertProblem(user.call("POST", "/folders/" + name + "/share", Map.of("emails", List.of("user2@lablup.com"))),
                403, "generic-forbidden");
        Answer unshare = admin.call("DELETE", "/folders/" + name + "/unshare", Map.of("emails", List.of("user@lablup.com")));
        assertThat(unshare.status()).isEqualTo(200);
        assertThat(user.listed(name).path("permission").asText()).isEqualTo("rw");
        assertProblem(user.call("POST", "/folders/" + name + "/leave", Map.of()), 400, "invalid-api-params");

        String personal = unique("personal");
        admin.create(personal);
        assertProblem(admin.call("POST", "/folders/" + personal + "/share", Map.of("emails", List.of("user@lablup.com"))),
                404, "object-not-found");
    }

    // --- admin GraphQL --------------------------------------------------------------------------------

    @Test
    void adminGraphQLListsAndShowsFolders() {
        String name = unique("graph");
        String id = user.create(name).path("id").asText();
        JsonNode mine = user.caller().graphql("query($f: String) { vfolder_list(limit: 50, offset: 0, filter: $f) "
                + "{ total_count items { id name user_email status ownership_type permission created_at } } }",
                Map.of("f", "name == \"" + name + "\""));
        assertThat(mine.path("vfolder_list").path("total_count").asInt()).isEqualTo(1);
        JsonNode item = mine.path("vfolder_list").path("items").get(0);
        assertThat(item.path("user_email").asText()).isEqualTo("user@lablup.com");
        assertThat(item.path("id").asText().replace("-", "")).isEqualTo(id);
        JsonNode theirs = user2.caller().graphql("query($f: String) { vfolder_list(limit: 50, offset: 0, filter: $f) "
                + "{ total_count } }", Map.of("f", "name == \"" + name + "\""));
        assertThat(theirs.path("vfolder_list").path("total_count").asInt()).isZero();
        Answer bad = admin.call("POST", "/admin/gql", Map.of("query",
                "{ vfolder_list(limit: 5, offset: 0, filter: \"nonsense == 1\") { total_count } }"));
        assertThat(bad.path("errors").get(0).path("message").asText()).contains("Unknown/unsupported field name");

        JsonNode node = user.caller().graphql("query($id: String!) { vfolder_node(id: $id) { id row_id name status } }",
                Map.of("id", id));
        assertThat(node.path("vfolder_node").path("name").asText()).isEqualTo(name);
        String relayId = node.path("vfolder_node").path("id").asText();
        assertThat(new String(java.util.Base64.getDecoder().decode(relayId), StandardCharsets.UTF_8))
                .startsWith("VirtualFolderNode:");
        assertThat(user.caller().graphql("query($id: String!) { vfolder_node(id: $id) { name } }",
                Map.of("id", relayId)).path("vfolder_node").path("name").asText()).isEqualTo(name);
        assertThat(user2.caller().graphql("query($id: String!) { vfolder_node(id: $id) { name } }",
                Map.of("id", relayId)).path("vfolder_node").isNull()).isTrue();
    }

    // --- purges -----------------------------------------------------------------------------------------

    @Test
    void aProjectPurgeTakesItsFoldersAlong() throws Exception {
        String project = unique("purged-project");
        JsonNode group = admin.caller().graphql("mutation($n: String!, $p: GroupInput!) { create_group(name: $n, "
                + "props: $p) { ok group { id } } }", Map.of("n", project, "p", Map.of("domain_name", "default")));
        String gid = group.path("create_group").path("group").path("id").asText();
        String name = unique("project-folder");
        admin.create(name, Map.of("group", gid));
        Path folderDir;
        try (var paths = Files.walk(emulator.dataRoot().resolve("volumes/volume1/project/" + gid.replace("-", "")))) {
            folderDir = paths.filter(Files::isDirectory).max(java.util.Comparator.comparingInt(Path::getNameCount))
                    .orElseThrow();
        }
        JsonNode purged = admin.caller().graphql("mutation($g: UUID!) { purge_group(gid: $g) { ok msg } }",
                Map.of("g", gid));
        assertThat(purged.path("purge_group").path("ok").asBoolean()).isTrue();
        await("the project's folder files are removed").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).until(() -> !Files.exists(folderDir));
        assertThat(admin.listed(name)).isNull();
    }

    @Test
    void aUserPurgeMovesSharedFoldersToTheAdminWhenAsked() {
        String email = unique("leaving") + "@example.com";
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("username", email);
        props.put("password", "leaving-password-1");
        props.put("need_password_change", false);
        props.put("full_name", "Leaving");
        props.put("domain_name", "default");
        props.put("role", "user");
        props.put("status", "active");
        props.put("group_ids", List.of(DEFAULT_PROJECT));
        props.put("resource_policy", "default");
        JsonNode keypair = admin.caller().graphql("mutation($e: String!, $p: UserInput!) { create_user(email: $e, "
                + "props: $p) { ok keypair { access_key secret_key } } }", Map.of("e", email, "p", props))
                .path("create_user").path("keypair");
        FolderCalls leaving = new FolderCalls(new EmulatorCaller(emulator.endpoint(), keypair.path("access_key").asText(),
                keypair.path("secret_key").asText(), Duration.ofSeconds(30)));
        String shared = unique("kept");
        String privateOne = unique("dropped");
        leaving.create(shared);
        leaving.create(privateOne);
        leaving.call("POST", "/folders/" + shared + "/invite", Map.of("emails", List.of("user2@lablup.com")));
        String invId = null;
        for (JsonNode i : user2.call("GET", "/folders/invitations/list", null).path("invitations")) {
            if (i.path("vfolder_name").asText().equals(shared)) {
                invId = i.path("id").asText();
            }
        }
        user2.call("POST", "/folders/invitations/accept", Map.of("inv_id", invId));

        JsonNode purge = admin.caller().graphql("mutation($e: String!, $p: PurgeUserInput!) { purge_user(email: $e, "
                + "props: $p) { ok msg } }", Map.of("e", email, "p", Map.of("purge_shared_vfolders", true)));
        assertThat(purge.path("purge_user").path("ok").asBoolean()).isTrue();
        JsonNode migrated = admin.listed(shared);
        assertThat(migrated).as("the shared folder now belongs to the purging admin").isNotNull();
        assertThat(migrated.path("user").asText()).isEqualTo("f38dea23-50fa-42a0-b5ae-338f5f4693f4");
        assertThat(user2.listed(shared)).as("the share stays").isNotNull();
        assertThat(admin.call("GET", "/admin/gql", null).status()).isEqualTo(405);
        JsonNode all = admin.caller().graphql("query($f: String) { vfolder_list(limit: 10, offset: 0, filter: $f) "
                + "{ items { status } } }", Map.of("f", "name == \"" + privateOne + "\""));
        await("the unshared folder is deleted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> admin.caller().graphql("query($f: String) { vfolder_list(limit: 10, offset: 0, "
                        + "filter: $f) { items { status } } }", Map.of("f", "name == \"" + privateOne + "\""))
                        .path("vfolder_list").path("items").get(0).path("status").asText().equals("delete-complete"));
        assertThat(all.path("vfolder_list").path("items")).hasSize(1);
    }
}
