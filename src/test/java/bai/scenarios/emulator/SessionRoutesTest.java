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

import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session routes over real HTTP, as the manager answers them: which calls read
 * {@code owner_access_key} and who may use it, the info document's Python-printed fields, execute
 * mode errors, the create answer's service ports, the task templates list, direct access, multi-file
 * download, task logs, and the session event stream's visibility and renames.
 */
class SessionRoutesTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ManagerEmulator emulator;
    private static EmulatorCaller admin;
    private static EmulatorCaller domainAdmin;
    private static EmulatorCaller user;
    private static EmulatorCaller user2;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = caller(EmulatorCaller.SUPERADMIN_AK, EmulatorCaller.SUPERADMIN_SK);
        domainAdmin = caller(DOMAIN_ADMIN_AK, DOMAIN_ADMIN_SK);
        user = caller(EmulatorCaller.USER_AK, EmulatorCaller.USER_SK);
        user2 = caller(USER2_AK, USER2_SK);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static EmulatorCaller caller(String ak, String sk) {
        return new EmulatorCaller(emulator.endpoint(), ak, sk, Duration.ofSeconds(60));
    }

    private static String name() {
        return "routes-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
    }

    /** Creates a session and waits for it to run (the manager's blocking create). */
    private static Answer running(EmulatorCaller who, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("session_name", name(), "image", "python"));
        body.putAll(extra);
        Answer created = who.call("POST", "/session", body);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(created.path("status").asText()).isEqualTo("RUNNING");
        return created;
    }

    @Test
    void aCreateThatWaitedListsTheKernelsServicePortsAndAReuseRepeatsThem() {
        Answer created = running(user, Map.of());
        assertThat(created.path("servicePorts").toString()).isEqualTo(
                "[{\"name\":\"sshd\",\"protocol\":\"tcp\",\"ports\":[2200]},{\"name\":\"ttyd\",\"protocol\":\"http\",\"ports\":[7681]}]");
        assertThat(created.body().has("service_ports")).isFalse();
        Answer reused = user.call("POST", "/session", Map.of("session_name",
                created.path("sessionName").asText(), "image", "python", "enqueue_only", true));
        assertThat(reused.status()).isEqualTo(201);
        assertThat(reused.path("created").asBoolean()).isFalse();
        JsonNode ports = reused.path("servicePorts");
        assertThat(ports.get(0).path("name").asText()).isEqualTo("sshd");
        assertThat(ports.get(0).path("container_ports").toString()).isEqualTo("[2200]");
        assertThat(ports.get(0).path("host_ports").get(0).asInt()).isGreaterThanOrEqualTo(30000);
        assertThat(reused.path("service_ports")).isEqualTo(ports);
        Answer queued = user.call("POST", "/session", Map.of("session_name", name(), "image", "python",
                "enqueue_only", true));
        assertThat(queued.path("servicePorts").toString()).isEqualTo("[]");
        user.call("DELETE", "/session/" + created.path("sessionId").asText() + "?forced=true", null);
        user.call("DELETE", "/session/" + queued.path("sessionId").asText() + "?forced=true", null);
    }

    @Test
    void batchTimeoutZeroMeansUnsetAndOtherwiseOnlyBatchSessionsTakeIt() {
        Answer zero = user.call("POST", "/session", Map.of("session_name", name(), "image", "python",
                "enqueue_only", true, "batch_timeout", 0));
        assertThat(zero.status()).isEqualTo(201);
        user.call("DELETE", "/session/" + zero.path("sessionId").asText() + "?forced=true", null);
        Answer refused = user.call("POST", "/session", Map.of("session_name", name(), "image", "python",
                "enqueue_only", true, "batch_timeout", 30));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.path("type").asText()).endsWith("/invalid-api-params");
        assertThat(refused.path("msg").asText()).isEqualTo("Parameter batch_timeout should be used only for batch sessions");
    }

    @Test
    void infoPrintsSlotsAndEnvironAsPythonDictsAndTimesWithAnOffset() {
        Answer created = running(user, Map.of("config", Map.of("resources", Map.of("cpu", 1, "mem", "512m"),
                "environ", Map.of("GREETING", "it's here"))));
        String id = created.path("sessionId").asText();
        Answer info = user.call("GET", "/session/" + id, null);
        assertThat(info.path("requestedSlots").asText()).isEqualTo("{'cpu': Decimal('1'), 'mem': Decimal('536870912')}");
        assertThat(info.path("occupyingSlots").asText()).isEqualTo(info.path("requestedSlots").asText());
        assertThat(info.path("occupiedSlots").asText()).isEqualTo(info.path("requestedSlots").asText());
        assertThat(info.path("environ").asText()).isEqualTo("{'GREETING': \"it's here\"}");
        assertThat(info.path("creationTime").asText()).endsWith("+00:00").doesNotContain("Z");
        Answer history = user.call("GET", "/session/" + id + "/status-history", null);
        assertThat(history.path("RUNNING").asText()).endsWith("+00:00");
        // The manager's jsonb column answers its keys shorter first, then bytewise, not as they came.
        List<String> keys = new java.util.ArrayList<>();
        history.body().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("PENDING", "PULLING", "RUNNING", "CREATING", "PREPARED", "PREPARING",
                "SCHEDULED");
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void ownerAccessKeyIsIgnoredWhereTheManagerIgnoresIt() {
        String id = running(user, Map.of()).path("sessionId").asText();
        String owner = "?owner_access_key=" + EmulatorCaller.USER_AK;
        // info, execute, interrupt, files, dependency graph: always the caller's own sessions.
        assertThat(admin.call("GET", "/session/" + id + owner, null).status()).isEqualTo(404);
        assertThat(admin.call("POST", "/session/" + id + owner, Map.of("mode", "query", "code", "print(1)")).status())
                .isEqualTo(404);
        assertThat(admin.call("POST", "/session/" + id + "/interrupt" + owner, Map.of()).status()).isEqualTo(404);
        assertThat(admin.call("GET", "/session/" + id + "/files" + owner, null).status()).isEqualTo(404);
        assertThat(admin.call("GET", "/session/" + id + "/dependency-graph" + owner, null).status()).isEqualTo(404);
        // Where it is ignored, even a plain user naming another keypair is not refused.
        assertThat(user.call("GET", "/session/" + id + "?owner_access_key=" + EmulatorCaller.SUPERADMIN_AK, null)
                .status()).isEqualTo(200);
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void ownerAccessKeyIsHonouredForAdminsWhereTheManagerReadsIt() {
        String id = running(user, Map.of()).path("sessionId").asText();
        String owner = "?owner_access_key=" + EmulatorCaller.USER_AK;
        Answer logs = admin.call("GET", "/session/" + id + "/logs" + owner, null);
        assertThat(logs.status()).isEqualTo(200);
        assertThat(logs.path("result").path("logs").isTextual()).isTrue();
        assertThat(domainAdmin.call("GET", "/session/" + id + "/logs" + owner, null).status()).isEqualTo(200);
        // Status history checks the owner key but then looks among the caller's own sessions.
        assertThat(admin.call("GET", "/session/" + id + "/status-history" + owner, null).status()).isEqualTo(404);
        Answer destroyed = admin.call("DELETE", "/session/" + id + owner + "&forced=true", null);
        assertThat(destroyed.status()).isEqualTo(200);
        assertThat(destroyed.path("stats").path("status").asText()).isEqualTo("terminated");
    }

    @Test
    void delegationIsJudgedByRoleAndDomain() {
        String id = running(user, Map.of()).path("sessionId").asText();
        for (String path : new String[] {"/session/" + id + "/logs", "/session/" + id + "/status-history"}) {
            Answer refused = user2.call("GET", path + "?owner_access_key=" + EmulatorCaller.USER_AK, null);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.path("type").asText()).endsWith("/generic-forbidden");
            assertThat(refused.path("msg").asText()).isEqualTo("Only admins can perform operations on behalf of other users.");
        }
        Answer onBehalfOfSuperadmin = domainAdmin.call("DELETE", "/session/" + id + "?owner_access_key="
                + EmulatorCaller.SUPERADMIN_AK, null);
        assertThat(onBehalfOfSuperadmin.status()).isEqualTo(403);
        assertThat(onBehalfOfSuperadmin.path("msg").asText())
                .isEqualTo("Domain-admins cannot perform operations on behalf of super-admins.");
        Answer unknown = admin.call("DELETE", "/session/" + id + "?owner_access_key=AKIANOSUCHKEY", null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.path("msg").asText()).isEqualTo("Unknown owner access key");
        // An admin creates a session for the user: it is the user's.
        Answer created = admin.call("POST", "/session", Map.of("session_name", name(), "image", "python",
                "enqueue_only", true, "owner_access_key", EmulatorCaller.USER_AK));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(user.call("GET", "/session/" + created.path("sessionId").asText(), null).status()).isEqualTo(200);
        user.call("DELETE", "/session/" + created.path("sessionId").asText() + "?forced=true", null);
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void executeModeErrorsAreTheManagersInvalidSessionData() {
        String id = running(user, Map.of()).path("sessionId").asText();
        Object[][] cases = {
            {Map.of("code", "print(1)"), "runId or mode is missing"},
            {Map.of("mode", "shout", "code", "x"), "mode has an invalid value: shout"},
            {Map.of("mode", "continue"), "continuation requires explicit run ID"},
        };
        for (Object[] c : cases) {
            Answer answer = user.call("POST", "/session/" + id, c[0]);
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.path("type").asText()).endsWith("/invalid-session-data");
            assertThat(answer.path("title").asText()).isEqualTo("Session data has an invalid type or format.");
            assertThat(answer.path("error_code").asText()).isEqualTo("session_read_invalid-data-format");
            assertThat(answer.path("msg").asText()).isEqualTo(c[1]);
        }
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void templatesListEveryUsersActiveTaskTemplates() {
        JsonNode mine = admin.call("GET", "/template/session", null).body();
        JsonNode theirs = user.call("GET", "/template/session", null).body();
        assertThat(mine.size()).isEqualTo(2).isEqualTo(theirs.size());
        JsonNode first = theirs.get(0);
        assertThat(first.path("is_owner").asBoolean()).isFalse();
        assertThat(mine.get(0).path("is_owner").asBoolean()).isTrue();
        assertThat(first.path("type").asText()).isEqualTo("task");
        assertThat(first.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(first.path("user_email").asText()).isEqualTo("admin@lablup.com");
        assertThat(first.path("group_name").asText()).isEqualTo("default");
        assertThat(first.path("id").asText()).hasSize(32);
        // Anyone may start one by its id, in the template's project (of which she must be a member).
        Answer created = user.call("POST", "/session/_/create-from-template", Map.of("template_id",
                first.path("id").asText(), "session_name", name(), "enqueue_only", true));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        user.call("DELETE", "/session/" + created.path("sessionId").asText() + "?forced=true", null);
        Answer missing = user.call("POST", "/session/_/create-from-template", Map.of("template_id",
                "00000000-0000-0000-0000-000000000000", "session_name", name()));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.path("title").asText()).isEqualTo("No such task template.");
    }

    @Test
    void directAccessIsEmptyForInteractiveSessions() {
        String id = running(user, Map.of()).path("sessionId").asText();
        Answer answer = user.call("GET", "/session/" + id + "/direct-access-info", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString()).isEqualTo("{}");
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void systemSessionsOfferSshAccess() {
        String id = running(user, Map.of("session_type", "system")).path("sessionId").asText();
        Answer answer = user.call("GET", "/session/" + id + "/direct-access-info", null);
        assertThat(answer.path("session_type").asText()).isEqualTo("SYSTEM");
        assertThat(answer.path("kernel_role").asText()).isEqualTo("SYSTEM");
        assertThat(answer.path("sshd_ports").get(0).asInt()).isGreaterThanOrEqualTo(30000);
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void severalFilesDownloadAsTarPartsOfAMultipartMixedAnswer() throws IOException {
        String id = running(user, Map.of()).path("sessionId").asText();
        user.call("POST", "/session/" + id, Map.of("mode", "query", "code",
                "import os; os.makedirs('out', exist_ok=True); open('a.txt','w').write('alpha');"
                        + " open('out/b.txt','w').write('beta')"));
        HttpResponse<byte[]> answer = user.raw("POST", "/session/" + id + "/download?files=a.txt&files=out");
        assertThat(answer.statusCode()).isEqualTo(200);
        String type = answer.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/mixed; boundary=");
        String body = new String(answer.body(), StandardCharsets.ISO_8859_1);
        String boundary = type.substring(type.indexOf('=') + 1);
        assertThat(body.split("--" + boundary, -1)).hasSize(4);
        assertThat(body).contains("Content-Encoding: identity").contains("a.txt").contains("alpha")
                .contains("out/b.txt").contains("beta").contains("ustar");
        Answer outside = user.call("POST", "/session/" + id + "/download?files=../../etc/passwd", null);
        assertThat(outside.status()).isEqualTo(500);
        assertThat(outside.path("type").asText()).endsWith("/kernel-execution-failed");
        assertThat(outside.body().has("error_code")).isFalse();
        assertThat(outside.path("agent-details").path("exception").asText())
                .isEqualTo("PermissionError('You cannot download files outside /home/work')");
        Answer missing = user.call("POST", "/session/" + id + "/download?files=nope.txt", null);
        assertThat(missing.path("agent-details").path("exception").asText())
                .isEqualTo("RuntimeError('Could not download the archive to: /home/work/nope.txt')");
        Answer tooMany = user.call("POST", "/session/" + id + "/download?files=a&files=b&files=c&files=d&files=e&files=f",
                null);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.path("msg").asText()).isEqualTo("Too many files (maximum 5 files allowed)");
        user.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void taskLogsHaveTheirOwnRouteAndNeedALogsFolder() {
        Answer answer = user.call("GET", "/session/_/logs?kernel_id=5b6f4a3e-0d7f-4b5e-9a3c-8c1d2e3f4a5b", null);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.path("title").asText()).isEqualTo("No such virtual folder.");
        assertThat(answer.path("data").path("vfolder_name").asText()).isEqualTo(".logs");
        Answer bySessionName = user.call("GET", "/session/_/logs?session_name=5b6f4a3e-0d7f-4b5e-9a3c-8c1d2e3f4a5b",
                null);
        assertThat(bySessionName.path("title").asText()).isEqualTo("No such virtual folder.");
        assertThat(user.call("GET", "/session/_/logs?kernel_id=nope", null).status()).isEqualTo(400);
    }

    @Test
    void eventsShowAUserAllHerSessionsAndFollowANamedSessionThroughARename() throws Exception {
        Answer created = running(user, Map.of());
        String id = created.path("sessionId").asText();
        String name = created.path("sessionName").asText();
        BufferedReader named = user.events("sessionName=" + name + "&scope=kernel,session");
        BufferedReader everything = admin.events(null);
        String renamed = name();
        assertThat(user.call("POST", "/session/" + id + "/rename", Map.of("session_name", renamed)).status())
                .isEqualTo(204);
        user.call("DELETE", "/session/" + id, null);
        List<String> events = read(named, id, "session_terminated");
        assertThat(events).anySatisfy(e -> assertThat(e).contains("\"clusterIdx\":1").contains("kernel_terminating"));
        assertThat(events.get(events.size() - 1)).contains("\"sessionName\":\"" + renamed + "\"");
        assertThat(read(everything, id, "session_terminated")).isNotEmpty();
        named.close();
        everything.close();
    }

    @Test
    void eventStreamRefusalsAreTheManagers() {
        Answer forbidden = user.call("GET", "/events/session?ownerAccessKey=" + EmulatorCaller.SUPERADMIN_AK, null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.path("type").asText()).endsWith("/generic-forbidden");
        assertThat(forbidden.body().has("msg")).isFalse();
        Answer badScope = user.call("GET", "/events/session?scope=everything", null);
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.path("type").asText()).endsWith("/invalid-api-params");
        assertThat(badScope.path("msg").asText()).isEqualTo("Invalid scope: everything");
        Answer unknown = user.call("GET", "/events/session?sessionName=no-such-session", null);
        assertThat(unknown.status()).isEqualTo(404);
    }

    /** Event lines about the session, until the named event arrived (or 30 s passed). */
    private static List<String> read(BufferedReader stream, String sessionId, String until) throws Exception {
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                String event = null;
                String line;
                while ((line = stream.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && line.contains(sessionId)) {
                        seen.add(event + " " + line);
                        if (until.equals(event)) {
                            return;
                        }
                    }
                }
            } catch (IOException closed) {
                // the test closes it
            }
        });
        done.get(30, TimeUnit.SECONDS);
        return seen;
    }
}
