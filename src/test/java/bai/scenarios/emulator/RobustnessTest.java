package bai.scenarios.emulator;

import bai.scenarios.client.transport.HmacSigner;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input, data-driven: several hundred malformed or hostile requests (bad JSON, wrong types,
 * huge bodies and headers, invalid UTF-8, NUL and control characters, long and odd names, path
 * traversal in every path-taking field, unknown enum values, negative sizes, missing, duplicated
 * and stale authentication, pathological multipart, GraphQL depth/alias/fragment bombs), each sent
 * on its own connection. Every one must get the manager's refusal (a 4xx problem+json, or
 * GraphQL's 200 with {@code errors}) within a bounded time, with no internal error, stack trace or
 * host path in the answer; afterwards the emulator still answers and its state is unchanged.
 * Eight callers send them at once (one emulator, one folder and one session for all).
 *
 * <p>What the manager takes is not in the list: it validates no characters in folder or session names
 * (only a folder name's length and reserved names), signs upload/download tokens for any relative path
 * and size, and reads no body on {@code PATCH /auth/ssh-keypair}. No 500 is allowed: where the real
 * manager answers 500 to one of these (a NUL in a name, which PostgreSQL cannot store;
 * invalid UTF-8 in a JSON body) the emulator answers the 400 the request deserves, since no existing
 * test asserts those 500s. The few it keeps, asserted elsewhere, are {@link #MANAGERS_OWN_500}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RobustnessTest {
    /** One answer's bound: generous for a busy two-core machine, yet far from "unbounded". */
    private static final int ANSWER_WITHIN_MILLIS = 20_000;
    /** Client threads sending the cases at once. */
    private static final int CALLERS = 8;
    private static final String JSON_TYPE = "application/json";
    private static final String PROBLEM = "application/problem+json";

    private static ManagerEmulator emulator;
    private static EmulatorCaller admin;
    private static String folder;
    private static String session;
    private static String host;

    /** One hostile request and what a faithful manager answers. */
    record Case(String category, String label, byte[] request, IntPredicate status, Form form) {
    }

    /** The shape of a correct refusal. */
    enum Form { PROBLEM_JSON, GRAPHQL_ERRORS, PROBLEM_OR_GRAPHQL, ANY_REFUSAL }

    record Reply(int status, String head, byte[] body, long millis) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    return line.substring(13).trim().toLowerCase(Locale.ROOT);
                }
            }
            return "";
        }
    }

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        host = HmacSigner.host(emulator.endpoint());
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(60));
        folder = "robust-" + System.nanoTime();
        new FolderCalls(admin).create(folder);
        // The proxy stages uploads in the folder's .upload directory (prepare_upload makes it for the first token,
        // as the real one does): one token first, so the token-only cases leave the listing as they found it.
        Answer upload = admin.call("POST", "/folders/" + folder + "/request-upload", Map.of("path", "staged", "size", 1));
        assertThat(upload.status()).as(String.valueOf(upload.body())).isEqualTo(200);
        Answer created = admin.call("POST", "/session", Map.of("session_name", "robust-" + System.nanoTime(),
                "image", "python"));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        session = created.path("sessionId").asText();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void everyHostileRequestIsRefusedQuicklyAndChangesNothing() throws InterruptedException {
        String before = snapshot();
        List<Case> cases = cases();
        Map<String, Integer> perCategory = new TreeMap<>();
        cases.forEach(c -> perCategory.merge(c.category(), 1, Integer::sum));
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        // Eight callers at once: the emulator serves many clients, so this is also a small stress test.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(CALLERS);
        try {
            for (Case c : cases) {
                pool.execute(() -> {
                    Reply reply;
                    try {
                        reply = send(c.request());
                    } catch (IOException e) {
                        failures.add(c.category() + " / " + abbreviate(c.label()) + ": no answer (" + e + ")");
                        return;
                    }
                    String problem = judge(c, reply);
                    if (problem != null) {
                        failures.add(c.category() + " / " + abbreviate(c.label()) + ": " + problem + " -> "
                                + reply.status() + " " + abbreviate(reply.text()));
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("all hostile requests answered").isTrue();
        failures.forEach(failure -> System.out.println("FAIL " + failure));
        System.out.printf("RobustnessTest: %d hostile requests from %d callers in %d ms%n", cases.size(), CALLERS,
                (System.nanoTime() - started) / 1_000_000);
        perCategory.forEach((category, count) -> System.out.printf("  %-22s %4d%n", category, count));
        MANAGERS_OWN_500.forEach((label, why) -> System.out.println("  allowed 500: " + label + " (" + why + ")"));
        assertThat(failures).as("hostile requests answered wrongly").isEmpty();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
        // Still serving, and nothing the refused requests asked for happened.
        assertThat(admin.call("GET", "/health", null).status()).isEqualTo(200);
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * The only 500s allowed, each the real manager's own answer that an existing test asserts (the
     * emulator stays faithful there): label prefix → why.
     */
    static final Map<String, String> MANAGERS_OWN_500 = Map.of(
            "PUT /manager/status", "the manager's DTO takes any string and ManagerStatus(status) raises a ValueError "
                    + "nobody catches (ManagerAdminRoutesTest.anUnknownManagerStatusIsTheManagersInternalError)");

    private static String judge(Case c, Reply reply) {
        String body = reply.text();
        if (reply.millis() > ANSWER_WITHIN_MILLIS) {
            return "answered after " + reply.millis() + " ms";
        }
        boolean allowed500 = MANAGERS_OWN_500.keySet().stream().anyMatch(c.label()::startsWith);
        if (reply.status() == 500 && body.contains("internal-server-error")) {
            return allowed500 ? null : "internal server error";
        }
        for (String leak : List.of("bai-emulator-", emulator.dataRoot().toString(), "java.", "at bai.", "Exception",
                "Traceback")) {
            if (body.contains(leak)) {
                return "the answer shows " + leak;
            }
        }
        if (!c.status().test(reply.status())) {
            return "unexpected status";
        }
        boolean problemJson = reply.contentType().startsWith(PROBLEM);
        boolean graphqlErrors = reply.status() == 200 && reply.contentType().startsWith(JSON_TYPE)
                && body.contains("\"errors\":[");
        return switch (c.form()) {
            case PROBLEM_JSON -> problemJson ? null : "not problem+json (" + reply.contentType() + ")";
            case GRAPHQL_ERRORS -> graphqlErrors ? null : "no GraphQL errors";
            case PROBLEM_OR_GRAPHQL -> problemJson || graphqlErrors ? null : "neither problem+json nor GraphQL errors";
            case ANY_REFUSAL -> null;
        };
    }

    // --- the cases ---------------------------------------------------------------------------

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        badJson(cases);
        wrongTypes(cases);
        hugeBodies(cases);
        oversizedHeaders(cases);
        invalidUtf8(cases);
        nulAndControl(cases);
        longAndUnicodeNames(cases);
        traversal(cases);
        unknownEnums(cases);
        negativeSizes(cases);
        headers(cases);
        staleSignatures(cases);
        multipart(cases);
        graphqlBombs(cases);
        return cases;
    }

    private static final IntPredicate CLIENT_ERROR = s -> s >= 400 && s < 500;
    private static final IntPredicate BAD_REQUEST = s -> s == 400;

    private static void badJson(List<Case> cases) {
        List<String> targets = List.of("/session", "/folders", "/admin/gql", "/folders/" + folder + "/mkdir",
                "/session/" + session + "/rename", "/folders/" + folder + "/request-upload",
                // POST uploads a keypair (a JSON body); PATCH regenerates one and, as the manager's handler, reads no body.
                "/auth/ssh-keypair");
        List<String> bodies = List.of("", "{", "}", "{\"a\":}", "{'single': 1}", "nul", "[1,", "{\"a\":1,}",
                "{\"a\" 1}", "\"unterminated", "{\"a\":NaN", "{\"x\":1}{");
        for (String target : targets) {
            for (String body : bodies) {
                cases.add(new Case("bad-json", target + " " + body, signed("POST", target, JSON_TYPE, bytes(body), Map.of()), BAD_REQUEST, Form.PROBLEM_JSON));
            }
        }
    }

    private static void wrongTypes(List<Case> cases) {
        List<Object> odd = List.of(123, List.of("a"), Map.of("k", "v"), true, 1.5);
        for (Object value : odd) {
            json(cases, "wrong-types", "POST", "/session", Map.of("session_name", value, "image", "python"));
            json(cases, "wrong-types", "POST", "/session", Map.of("session_name", "x-" + value.hashCode(),
                    "image", value));
            json(cases, "wrong-types", "POST", "/folders", Map.of("name", value));
            json(cases, "wrong-types", "POST", "/folders/" + folder + "/mkdir", Map.of("path", value instanceof List
                    ? List.of(Map.of()) : value));
            json(cases, "wrong-types", "POST", "/folders/" + folder + "/request-upload", Map.of("path", "f",
                    "size", value instanceof Integer ? "big" : value));
            json(cases, "wrong-types", "POST", "/folders/" + folder + "/rename-file", Map.of("target_path", value,
                    "new_name", "n"));
            json(cases, "wrong-types", "POST", "/session/" + session + "/rename", Map.of("session_name", value));
            json(cases, "wrong-types", "POST", "/admin/gql", Map.of("query", value));
        }
        json(cases, "wrong-types", "POST", "/admin/gql", Map.of("query", "{ users { email } }", "variables", "x"));
        json(cases, "wrong-types", "POST", "/admin/gql", Map.of("query", "{ users { email } }", "variables",
                List.of(1)));
        json(cases, "wrong-types", "POST", "/session", List.of("session_name", "image"));
        json(cases, "wrong-types", "POST", "/folders", "just a string");
        json(cases, "wrong-types", "POST", "/folders", 42);
    }

    private static void hugeBodies(List<Case> cases) {
        for (int size : List.of(1024 * 1024 + 1, 2 * 1024 * 1024, 6 * 1024 * 1024)) {
            String padding = "x".repeat(size);
            for (String target : List.of("/session", "/folders", "/admin/gql", "/folders/" + folder + "/mkdir")) {
                byte[] body = bytes("{\"name\": \"" + padding + "\", \"query\": \"" + padding + "\"}");
                cases.add(new Case("huge-bodies", target + " " + size + " B", signed("POST", target, JSON_TYPE, body,
                        Map.of()), BAD_REQUEST, Form.PROBLEM_JSON));
            }
        }
    }

    private static void oversizedHeaders(List<Case> cases) {
        for (int size : List.of(16 * 1024, 128 * 1024, 2 * 1024 * 1024)) {
            cases.add(new Case("oversized-headers", "one " + size + " B header", signed("GET", "/folders", null,
                    null, Map.of("X-Padding", "p".repeat(size))), CLIENT_ERROR, Form.ANY_REFUSAL));
        }
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            many.put("X-Many-" + i, "v".repeat(40));
        }
        cases.add(new Case("oversized-headers", "3000 headers", signed("GET", "/folders", null, null, many),
                CLIENT_ERROR, Form.ANY_REFUSAL));
        cases.add(new Case("oversized-headers", "64 KiB request line", raw("GET /folders?" + "q=".repeat(32 * 1024)
                + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), CLIENT_ERROR, Form.ANY_REFUSAL));
    }

    private static void invalidUtf8(List<Case> cases) {
        byte[][] garbage = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xe2, (byte) 0x82},
            {(byte) 0xf0, (byte) 0x28, (byte) 0x8c, (byte) 0xbc}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
        for (byte[] bad : garbage) {
            String hex = hex(bad);
            // In a JSON body.
            for (String[] where : List.of(new String[] {"/folders", "name"}, new String[] {"/session", "session_name"},
                    new String[] {"/folders/" + folder + "/mkdir", "path"}, new String[] {"/admin/gql", "query"})) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(bytes("{\"" + where[1] + "\": \"a"));
                body.writeBytes(bad);
                body.writeBytes(bytes("b\", \"image\": \"python\"}"));
                cases.add(new Case("invalid-utf8", where[0] + " body " + hex, signed("POST", where[0], JSON_TYPE,
                        body.toByteArray(), Map.of()), BAD_REQUEST, Form.PROBLEM_OR_GRAPHQL));
            }
            // Percent-encoded in a path parameter and in a query.
            cases.add(new Case("invalid-utf8", "folder name %" + hex, signed("GET", "/folders/a" + percent(bad),
                    null, null, Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
            cases.add(new Case("invalid-utf8", "files?path= %" + hex, signed("GET", "/folders/" + folder
                    + "/files?path=a" + percent(bad), null, null, Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
            // Raw in the request line (not even a valid URI).
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes(bytes("GET /folders/"));
            line.writeBytes(bad);
            line.writeBytes(bytes(" HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
            cases.add(new Case("invalid-utf8", "raw request line " + hex, line.toByteArray(), CLIENT_ERROR,
                    Form.ANY_REFUSAL));
        }
    }

    private static final List<String> CONTROL = List.of("\u0000", "\u0001", "\n", "\r", "\u001b", "\u007f", "\t");

    private static void nulAndControl(List<Case> cases) {
        for (String c : CONTROL) {
            String label = String.format("\\x%02x", (int) c.charAt(0));
            String name = "a" + c + "b";
            // For the storage proxy any character but NUL makes a valid file name (mkdir would make it): its
            // routes get only the NUL. The session's routes refuse every control character.
            pathFields(cases, "nul-control", label, name, c.equals("\u0000"));
            if (c.equals("\u0000")) {
                // The manager's name validators (VFolderName, the session DTOs) have no character class:
                // other control characters make valid names. Only a NUL, which PostgreSQL cannot store, is refused.
                json(cases, "nul-control", "POST", "/folders", Map.of("name", name));
                json(cases, "nul-control", "POST", "/session", Map.of("session_name", name, "image", "python"));
                json(cases, "nul-control", "POST", "/session/" + session + "/rename", Map.of("session_name", name));
            }
            cases.add(new Case("nul-control", "folder in path " + label, signed("GET", "/folders/"
                    + FolderCalls.encode(name), null, null, Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
        }
    }

    /** A hostile value in every path-taking field: vfolder files and the session's files. */
    private static void pathFields(List<Case> cases, String category, String label, String value,
                                   boolean folderRoutes) {
        String f = "/folders/" + folder;
        List<Object[]> calls = !folderRoutes ? List.of() : List.of(
                new Object[] {"POST", f + "/mkdir", Map.of("path", value)},
                new Object[] {"POST", f + "/request-upload", Map.of("path", value, "size", 3)},
                new Object[] {"POST", f + "/request-download", Map.of("path", value)},
                new Object[] {"POST", f + "/rename-file", Map.of("target_path", value, "new_name", "n")},
                new Object[] {"POST", f + "/rename-file", Map.of("target_path", "missing", "new_name", value)},
                new Object[] {"POST", f + "/move-file", Map.of("src", value, "dst", "d")},
                new Object[] {"POST", f + "/move-file", Map.of("src", "missing", "dst", value)},
                new Object[] {"DELETE", f + "/delete-files", Map.of("files", List.of(value))},
                new Object[] {"POST", f + "/request-download-archive", Map.of("files", List.of(value))});
        for (Object[] call : calls) {
            String route = (String) call[1];
            if (value.indexOf('\0') < 0 && (route.endsWith("/request-download")
                    || route.endsWith("/request-download-archive"))) {
                // The manager and its proxy only sign a token for any relative path (PurePath(relative_only=True),
                // the archive's list[str]): the download itself is where "../x" is refused. Nothing changes.
                tokenOnly(cases, category, route, call[2]);
            } else {
                json(cases, category, (String) call[0], route, call[2]);
            }
        }
        if (value.indexOf('\0') >= 0) {
            // A folder name is no path: "../x" or "a\u0001b" are names the manager takes (renaming the fixture).
            json(cases, category, "POST", f + "/clone", Map.of("target_name", value));
            json(cases, category, "POST", f + "/rename", Map.of("new_name", value));
        }
        String q = FolderCalls.encode(value);
        cases.add(new Case(category, "vfolder files?path " + label, signed("GET", f + "/files?path=" + q, null, null,
                Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
        String s = "/session/" + session;
        // An absolute path is listed as the kernel sees it: 200 with the listing's own errors.
        cases.add(new Case(category, "session files?path " + label, signed("GET", s + "/files?path=" + q, null, null,
                Map.of()), value.startsWith("/") ? st -> st == 200 : CLIENT_ERROR,
                value.startsWith("/") ? Form.ANY_REFUSAL : Form.PROBLEM_JSON));
        cases.add(new Case(category, "session download_single " + label, signed("POST", s + "/download_single?file="
                + q, null, null, Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
        cases.add(new Case(category, "session upload filename " + label, multipartUpload("b0undary",
                "multipart/form-data; boundary=b0undary", value, "x"), CLIENT_ERROR, Form.PROBLEM_JSON));
    }

    private static void longAndUnicodeNames(List<Case> cases) {
        // Only what VFolderName refuses: over 64 code points. Bidi overrides, BOMs, ".", "a/b" and the like
        // are names the manager takes (it validates no characters), and session names are not validated at all.
        List<String> names = List.of("n".repeat(65), "n".repeat(300), "n".repeat(10_000),
                "\uD83D\uDE00".repeat(65), "a\u0301".repeat(200), "\u202E".repeat(100));
        for (String name : names) {
            json(cases, "long-unicode-names", "POST", "/folders", Map.of("name", name));
            json(cases, "long-unicode-names", "POST", "/folders/" + folder + "/rename", Map.of("new_name", name));
        }
        for (int length : List.of(300, 5000, 100_000)) {
            String path = "p".repeat(length);
            json(cases, "long-unicode-names", "POST", "/folders/" + folder + "/mkdir", Map.of("path", path));
            // CreateUploadSessionReq and the proxy take any relative path: a token, the file comes later (or not).
            tokenOnly(cases, "long-unicode-names", "/folders/" + folder + "/request-upload",
                    Map.of("path", path, "size", 1));
            cases.add(new Case("long-unicode-names", "upload filename " + length, multipartUpload("b0undary",
                    "multipart/form-data; boundary=b0undary", path, "x"), CLIENT_ERROR, Form.PROBLEM_JSON));
        }
    }

    private static void traversal(List<Case> cases) {
        for (String path : List.of("../x", "../../etc/passwd", "/etc/passwd", "a/../../b", "./../../x",
                "..", "../" + "../".repeat(40) + "tmp")) {
            pathFields(cases, "traversal", path, path, true);
        }
        for (String name : List.of("../x", "..", "a/../../b")) {
            cases.add(new Case("traversal", "session path " + name, signed("GET", "/session/" + name.replace("/",
                    "%2F"), null, null, Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
        }
    }

    private static void unknownEnums(List<Case> cases) {
        for (String value : List.of("bogus", "", "RW", "0")) {
            json(cases, "unknown-enums", "POST", "/folders", Map.of("name", "e" + value.hashCode(),
                    "permission", value));
            json(cases, "unknown-enums", "POST", "/folders", Map.of("name", "e" + value.hashCode(),
                    "usage_mode", value));
            json(cases, "unknown-enums", "POST", "/session", Map.of("session_name", "e" + value.hashCode(),
                    "image", "python", "session_type", value));
            json(cases, "unknown-enums", "POST", "/session", Map.of("session_name", "e" + value.hashCode(),
                    "image", "python", "cluster_mode", value));
            json(cases, "unknown-enums", "POST", "/folders/" + folder + "/update-options",
                    Map.of("permission", value));
            json(cases, "unknown-enums", "PUT", "/manager/status", Map.of("status", value));
        }
    }

    private static void negativeSizes(List<Case> cases) {
        for (Object size : List.of(-1, -1_000_000, Long.MIN_VALUE, "-5")) {
            // size: int, unbounded in CreateUploadSessionReq and the proxy's t.ToInt: only a token.
            tokenOnly(cases, "negative-sizes", "/folders/" + folder + "/request-upload",
                    Map.of("path", "neg.bin", "size", size));
            json(cases, "negative-sizes", "POST", "/session", Map.of("session_name", "neg-" + size.hashCode(),
                    "image", "python", "cluster_size", size));
        }
        json(cases, "negative-sizes", "POST", "/session", Map.of("session_name", "neg-cpu", "image", "python",
                "config", Map.of("resources", Map.of("cpu", -1))));
        json(cases, "negative-sizes", "POST", "/session", Map.of("session_name", "neg-mem", "image", "python",
                "config", Map.of("resources", Map.of("mem", "-1g"))));
        cases.add(new Case("negative-sizes", "Content-Length -1", raw("POST /folders HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}"), CLIENT_ERROR, Form.ANY_REFUSAL));
    }

    private static void headers(List<Case> cases) {
        String date = now();
        String good = authorization("GET", "/folders", date, null);
        cases.add(new Case("headers", "no Authorization", raw("GET /folders HTTP/1.1\r\nHost: " + host + "\r\nDate: "
                + date + "\r\nX-BackendAI-Version: " + HmacSigner.API_VERSION + "\r\nConnection: close\r\n\r\n"),
                CLIENT_ERROR, Form.PROBLEM_JSON));
        cases.add(new Case("headers", "no Date", raw("GET /folders HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: "
                + good + "\r\nX-BackendAI-Version: " + HmacSigner.API_VERSION + "\r\nConnection: close\r\n\r\n"),
                CLIENT_ERROR, Form.PROBLEM_JSON));
        cases.add(new Case("headers", "no version", raw("GET /folders HTTP/1.1\r\nHost: " + host + "\r\nDate: " + date
                + "\r\nAuthorization: " + good + "\r\nConnection: close\r\n\r\n"), CLIENT_ERROR, Form.PROBLEM_JSON));
        for (String auth : List.of("", "BackendAI", "BackendAI signMethod=HMAC-SHA256", "BackendAI credential=x",
                "BackendAI signMethod=HMAC-SHA256, credential=" + EmulatorCaller.SUPERADMIN_AK,
                "BackendAI signMethod=HMAC-MD99, credential=" + EmulatorCaller.SUPERADMIN_AK + ":00",
                "BackendAI signMethod=HMAC-SHA256, credential=NOSUCHKEY:00", "Bearer x.y.z",
                "BackendAI signMethod=HMAC-SHA256, credential=" + EmulatorCaller.SUPERADMIN_AK + ":" + "0".repeat(64),
                "BackendAI signMethod=, credential=:", "\u00e9\u00e9")) {
            cases.add(new Case("headers", "Authorization '" + auth + "'", rawLatin1("GET /folders HTTP/1.1\r\nHost: "
                    + host + "\r\nDate: " + date + "\r\nX-BackendAI-Version: " + HmacSigner.API_VERSION
                    + "\r\nAuthorization: " + auth + "\r\nConnection: close\r\n\r\n"), CLIENT_ERROR, Form.PROBLEM_JSON));
        }
        for (String version : List.of("v1.0", "v9.20250722x", "", "\u00ff")) {
            cases.add(new Case("headers", "version '" + version + "'", signed("GET", "/folders", null, null,
                    Map.of("X-BackendAI-Version", version)), CLIENT_ERROR, Form.PROBLEM_JSON));
        }
        for (String dup : List.of("Authorization: BackendAI signMethod=HMAC-SHA256, credential=NOSUCHKEY:00",
                "Date: " + OffsetDateTime.now(ZoneOffset.UTC).minusHours(5).format(HmacSigner.DATE_FORMAT),
                "X-BackendAI-Version: v1.0", "Host: evil.example", "Content-Type: text/html")) {
            // The signed request, plus a second, different header of the same name before the end.
            String request = new String(signed("GET", "/folders", null, null, Map.of()), StandardCharsets.ISO_8859_1);
            String hostile = request.replace("\r\n\r\n", "\r\n" + dup + "\r\n\r\n");
            cases.add(new Case("headers", "duplicated " + dup.substring(0, dup.indexOf(':')), rawLatin1(hostile),
                    s -> s >= 400 && s < 500 || s == 200, Form.ANY_REFUSAL));
        }
        // The manager reads a body as JSON whatever its Content-Type: XML is malformed JSON.
        cases.add(new Case("headers", "an XML body", signed("POST", "/session", "application/xml",
                bytes("<session name=\"xml\"/>"), Map.of()), BAD_REQUEST, Form.PROBLEM_JSON));
        cases.add(new Case("headers", "Act-As unknown user", signed("GET", "/folders", null, null,
                Map.of("X-BackendAI-Act-As", "00000000-0000-0000-0000-000000000000")), CLIENT_ERROR, Form.PROBLEM_JSON));
        cases.add(new Case("headers", "Act-As not a uuid", signed("GET", "/folders", null, null,
                Map.of("X-BackendAI-Act-As", "../../etc")), CLIENT_ERROR, Form.PROBLEM_JSON));
        cases.add(new Case("headers", "X-Method-Override bogus", signed("POST", "/folders", JSON_TYPE, bytes("{}"),
                Map.of("X-Method-Override", "BREW")), CLIENT_ERROR, Form.PROBLEM_JSON));
        cases.add(new Case("headers", "JWT garbage", raw("GET /folders HTTP/1.1\r\nHost: " + host
                + "\r\nX-BackendAI-Token: not.a.jwt\r\nX-BackendAI-Version: " + HmacSigner.API_VERSION
                + "\r\nConnection: close\r\n\r\n"), CLIENT_ERROR, Form.PROBLEM_JSON));
    }

    private static void staleSignatures(List<Case> cases) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<String> dates = List.of(now.minusMinutes(16).format(HmacSigner.DATE_FORMAT),
                now.minusDays(1).format(HmacSigner.DATE_FORMAT), now.minusYears(10).format(HmacSigner.DATE_FORMAT),
                now.plusMinutes(16).format(HmacSigner.DATE_FORMAT), "Thu, 01 Jan 1970 00:00:00 GMT", "yesterday",
                "", "9999-99-99T99:99:99", "2025-13-45T00:00:00+00:00", "0");
        for (String date : dates) {
            for (String[] call : List.of(new String[] {"GET", "/folders"}, new String[] {"POST", "/folders"},
                    new String[] {"DELETE", "/session/" + session})) {
                String contentType = call[0].equals("POST") ? JSON_TYPE : null;
                String auth = authorization(call[0], call[1], date, contentType);
                StringBuilder request = new StringBuilder(call[0] + " " + call[1] + " HTTP/1.1\r\nHost: " + host
                        + "\r\nDate: " + date + "\r\nX-BackendAI-Version: " + HmacSigner.API_VERSION
                        + "\r\nAuthorization: " + auth + "\r\nConnection: close\r\n");
                String body = "{\"name\": \"stale-" + Math.abs(date.hashCode()) + "\"}";
                if (contentType != null) {
                    request.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ")
                            .append(body.length()).append("\r\n\r\n").append(body);
                } else {
                    request.append("\r\n");
                }
                cases.add(new Case("stale-signatures", call[0] + " " + call[1] + " dated '" + date + "'",
                        raw(request.toString()), CLIENT_ERROR, Form.PROBLEM_JSON));
            }
        }
    }

    private static void multipart(List<Case> cases) {
        for (int length : List.of(71, 200, 10_000)) {
            String boundary = "B".repeat(length);
            // Over 8190 bytes the head itself is refused by the HTTP parser (aiohttp's LineTooLong too): a bare 400.
            cases.add(new Case("multipart", "boundary of " + length, multipartUpload(boundary,
                    "multipart/form-data; boundary=" + boundary, "f.txt", "x"), BAD_REQUEST,
                    length > 8000 ? Form.ANY_REFUSAL : Form.PROBLEM_JSON));
        }
        // 8 MB of near-misses of a long boundary: the probe's 32-second body.
        String boundary = "B".repeat(10_000);
        String content = ("\r\n--" + "B".repeat(9_999) + "C").repeat(800);
        cases.add(new Case("multipart", "8 MB body, 10,000-char boundary", multipartUpload(boundary,
                "multipart/form-data; boundary=" + boundary, "f.txt", content), BAD_REQUEST, Form.ANY_REFUSAL));
        String ok = "B".repeat(70);
        String nearMisses = ("\r\n--" + "B".repeat(69) + "C").repeat(8 * 1024 * 1024 / 75);
        cases.add(new Case("multipart", "8 MB body, 70-char boundary, unterminated", signed("POST", "/session/"
                + session + "/upload", "multipart/form-data; boundary=" + ok, bytes("--" + ok + "\r\n"
                + "Content-Disposition: form-data; name=\"src\"; filename=\"f\"\r\n\r\n" + nearMisses), Map.of()),
                BAD_REQUEST, Form.PROBLEM_JSON));
        List<String> types = List.of("multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; "
                + "boundary=\"\"", "multipart/form-data; boundary=<>@",
                "text/plain; boundary=x", "multipart/form-data; boundary=\"x");
        for (String type : types) {
            cases.add(new Case("multipart", "Content-Type '" + type + "'", multipartUpload("x", type, "f", "x"),
                    BAD_REQUEST, Form.PROBLEM_JSON));
        }
        // A NUL in a header is refused by the HTTP parser itself (aiohttp's too), before any JSON is made.
        cases.add(new Case("multipart", "Content-Type with a NUL", multipartUpload("x",
                "multipart/form-data; boundary=a\u0000b", "f", "x"), CLIENT_ERROR, Form.ANY_REFUSAL));
        String s = "/session/" + session + "/upload";
        String t = "multipart/form-data; boundary=zz";
        for (String body : List.of("", "garbage", "--zz", "--zz\r\n", "--zz\r\nContent-Disposition form-data\r\n\r\nx",
                "--zz\r\nContent-Disposition: form-data; name=\"src\"; filename=\"f\"\r\n\r\nno end",
                "--zz\r\n\r\n\r\n--zz", "--zz\r\nX: " + "h".repeat(100_000) + "\r\n\r\nx\r\n--zz",
                "--zz\n\nbare-lf\n--zz--", "--zz--")) {
            cases.add(new Case("multipart", "body '" + abbreviate(body) + "'", signed("POST", s, t, bytes(body),
                    Map.of()), s2 -> s2 == 400 || s2 == 204 && body.equals("--zz--"), Form.ANY_REFUSAL));
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append("--zz\r\nContent-Disposition: form-data; name=\"src\"; filename=\"m").append(i)
                    .append("\"\r\n\r\nx\r\n");
        }
        many.append("--zz--\r\n");
        cases.add(new Case("multipart", "21 files", signed("POST", s, t, bytes(many.toString()), Map.of()),
                BAD_REQUEST, Form.PROBLEM_JSON));
        cases.add(new Case("multipart", "a 1 MiB file", multipartUpload("zz", t, "big", "x".repeat(1024 * 1024)),
                BAD_REQUEST, Form.PROBLEM_JSON));
    }

    private static void graphqlBombs(List<Case> cases) {
        for (int depth : List.of(12, 50, 400, 5000)) {
            String query = "{ " + "users { groups { ".repeat(depth / 2) + "id" + " } }".repeat(depth / 2) + " }";
            gql(cases, "depth " + depth, query);
            String unknown = "{ " + "a { ".repeat(depth) + "b" + " }".repeat(depth) + " }";
            gql(cases, "unknown-field depth " + depth, unknown);
        }
        for (int aliases : List.of(1000, 5000)) {
            StringBuilder query = new StringBuilder("{ ");
            for (int i = 0; i < aliases; i++) {
                query.append("a").append(i).append(": users { email } ");
            }
            gql(cases, aliases + " aliases", query.append("}").toString(), s -> s == 200 || s == 400);
        }
        StringBuilder fragments = new StringBuilder("query Q { users { ...F30 } }\nfragment F0 on User { email }\n");
        for (int i = 1; i <= 30; i++) {
            fragments.append("fragment F").append(i).append(" on User { ...F").append(i - 1).append(" ...F")
                    .append(i - 1).append(" }\n");
        }
        gql(cases, "fragment fan-out 2^30", fragments.toString(), s -> s == 200);
        gql(cases, "fragment cycle", "query Q { users { ...A } } fragment A on User { ...B } "
                + "fragment B on User { ...A }");
        gql(cases, "self fragment", "{ users { ...A } } fragment A on User { email ...A }");
        StringBuilder wide = new StringBuilder("{ users { ");
        for (int i = 0; i < 3000; i++) {
            wide.append("e").append(i).append(": email ");
        }
        gql(cases, "3000 overlapping aliases", wide.append("} }").toString(), s -> s == 200 || s == 400);
        gql(cases, "10,000 nested braces", "{".repeat(10_000) + "}".repeat(10_000));
        gql(cases, "10,000 nested lists", "{ users(domain_name: " + "[".repeat(10_000) + "]".repeat(10_000)
                + ") { email } }");
        gql(cases, "many directives", "{ users " + "@include(if: true) ".repeat(5000) + "{ email } }");
        gql(cases, "introspection depth", "{ __schema { types { fields { type { ofType { ofType { ofType "
                + "{ ofType { fields { type { name } } } } } } } } } }", s -> s == 200);
        gql(cases, "unknown operation name", "query A { users { email } }", s -> s == 200);
        gql(cases, "variables bomb", "query($v: String) { users(domain_name: $v) { email } }", s -> s == 200);
        gql(cases, "mutation in depth", "mutation { " + "create_domain(name: \"d\", props: {}) { ok ".repeat(3)
                + "}".repeat(3) + " }");
        gql(cases, "1 MiB+ query", "{ users { email } }" + " ".repeat(1024 * 1024), s -> s == 400);
    }

    // --- requests ----------------------------------------------------------------------------

    private static void json(List<Case> cases, String category, String method, String target, Object body) {
        json(cases, category, method, target, body, JSON_TYPE);
    }

    private static void json(List<Case> cases, String category, String method, String target, Object body,
                             String contentType) {
        byte[] bytes;
        try {
            bytes = EmulatorCaller.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        cases.add(new Case(category, method + " " + target + " " + abbreviate(String.valueOf(body)),
                signed(method, target, contentType, bytes, Map.of()), CLIENT_ERROR, Form.PROBLEM_JSON));
    }

    /** A request the manager answers with a signed token (200) or a refusal; either changes nothing. */
    private static void tokenOnly(List<Case> cases, String category, String route, Object body) {
        byte[] bytes;
        try {
            bytes = EmulatorCaller.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        cases.add(new Case(category, "POST " + route + " " + abbreviate(String.valueOf(body)), signed("POST", route,
                JSON_TYPE, bytes, Map.of()), st -> st == 200 || CLIENT_ERROR.test(st), Form.ANY_REFUSAL));
    }

    private static void gql(List<Case> cases, String label, String query) {
        gql(cases, label, query, s -> s == 200);
    }

    private static void gql(List<Case> cases, String label, String query, IntPredicate status) {
        byte[] body;
        try {
            body = EmulatorCaller.JSON.writeValueAsBytes(Map.of("query", query, "variables",
                    Map.of("v", "x".repeat(100_000))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Some of these are valid queries, answered with data: only those with `errors` are bombs refused.
        Form form = label.startsWith("introspection") || label.startsWith("unknown operation")
                || label.startsWith("variables") ? Form.ANY_REFUSAL : Form.PROBLEM_OR_GRAPHQL;
        cases.add(new Case("graphql-bombs", label, signed("POST", "/admin/gql", JSON_TYPE, body, Map.of()), status,
                label.contains("aliases") || label.contains("fan-out") ? Form.ANY_REFUSAL : form));
    }

    private static byte[] multipartUpload(String boundary, String contentType, String filename, String content) {
        byte[] body = bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"src\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" + boundary
                + "--\r\n");
        return signed("POST", "/session/" + session + "/upload", contentType, body, Map.of());
    }

    /** A signed HTTP/1.1 request, on the wire: what the official client sends, plus {@code extra} headers. */
    private static byte[] signed(String method, String target, String contentType, byte[] body,
                                 Map<String, String> extra) {
        String date = now();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        headers.put("Date", date);
        headers.put("X-BackendAI-Version", HmacSigner.API_VERSION);
        headers.put("Authorization", authorization(method, target, date, contentType));
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.putAll(extra);
        headers.put("Connection", "close");
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static String authorization(String method, String target, String date, String contentType) {
        String signature;
        try {
            signature = HmacSigner.signature(EmulatorCaller.SUPERADMIN_SK, new HmacSigner.Signable(method, target,
                    date, host, contentType));
        } catch (RuntimeException unparsableDate) {
            signature = "0".repeat(64); // the server must refuse the date before it looks at the signature
        }
        return HmacSigner.authorization(EmulatorCaller.SUPERADMIN_AK, signature);
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
    }

    private static byte[] raw(String request) {
        return request.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] rawLatin1(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends one request on its own connection and reads the answer to its end (the request asks
     * the server to close). A server that answers before reading everything may reset the
     * connection while the request is still being written: its answer still counts.
     */
    private static Reply send(byte[] request) throws IOException {
        long started = System.nanoTime();
        try (Socket socket = new Socket(emulator.endpoint().getHost(), emulator.endpoint().getPort())) {
            socket.setSoTimeout(ANSWER_WITHIN_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // read what was answered
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    got.write(buffer, 0, n);
                    if (complete(got.toByteArray())) {
                        break;
                    }
                }
            } catch (SocketTimeoutException slow) {
                throw slow;
            } catch (IOException reset) {
                if (got.size() == 0) {
                    // Closed without an answer: acceptable only for what is not HTTP at all.
                    return new Reply(499, "", new byte[0], (System.nanoTime() - started) / 1_000_000);
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            byte[] all = got.toByteArray();
            if (all.length == 0) {
                return new Reply(499, "", new byte[0], millis);
            }
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            byte[] body = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            return new Reply(status, head, body, millis);
        }
    }

    /** Whether a whole answer with a Content-Length is in. */
    private static boolean complete(byte[] all) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return all.length - end - 4 >= Long.parseLong(line.substring(15).trim());
            }
        }
        return false;
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < text.length()) {
            int eol = text.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(text.substring(at, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, eol + 2, Math.min(size, body.length - eol - 2));
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** What a refused request must not have changed: users, domains, projects, folders, sessions. */
    private static String snapshot() {
        JsonNode data = admin.graphql("{ users { email status } domains { name is_active } groups { name is_active }"
                + " vfolder_list(limit: 100, offset: 0) { items { name status } }"
                + " compute_session_list(limit: 100, offset: 0) { items { name status } } }", Map.of());
        Answer folders = admin.call("GET", "/folders", null);
        StringBuilder names = new StringBuilder();
        folders.body().forEach(item -> names.append(item.path("name").asText()).append(':')
                .append(item.path("status").asText()).append(',').append(item.path("permission").asText()).append(';'));
        Answer files = admin.call("GET", "/folders/" + folder + "/files?path=.", null);
        Answer sessionFiles = admin.call("GET", "/session/" + session + "/files?path=.", null);
        JsonNode listing = sessionFiles.path("files");
        StringBuilder items = new StringBuilder();
        // .upload is the proxy's staging directory: every upload token touches it (a new session file).
        files.path("items").forEach(item -> {
            if (!item.path("name").asText().equals(".upload")) {
                items.append(item).append(';');
            }
        });
        return data + "\n" + names + "\n" + items + "\n"
                + (listing.isTextual() ? listing.asText().replaceAll("\"[acm]time\": [0-9.]+", "") : listing);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    private static String percent(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("[\\p{Cntrl}]", "?");
        return flat.length() > 160 ? flat.substring(0, 160) + "…(" + flat.length() + ")" : flat;
    }

    @SuppressWarnings("unused")
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
