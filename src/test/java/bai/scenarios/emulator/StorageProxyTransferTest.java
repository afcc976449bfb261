package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import bai.scenarios.emulator.vfolders.VFolders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static bai.scenarios.emulator.FolderCalls.proxy;
import static bai.scenarios.emulator.FolderCalls.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storage proxy's client API over real HTTP, on its own port: tus uploads (OPTIONS, HEAD,
 * PATCH at the right and the wrong offset), downloads (whole, HEAD, byte ranges, a directory as a
 * zip, several files as a zip) and the refusal of tokens the proxy did not mint as they are, or
 * that have expired — each checked by the bytes that land on disk or come back.
 */
class StorageProxyTransferTest {
    private static final String PROBS = "https://api.backend.ai/probs/";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

    private static ManagerEmulator emulator;
    private static FolderCalls user;
    private static FolderCalls user2;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        Duration timeout = Duration.ofSeconds(30);
        user = new FolderCalls(EmulatorCaller.user(emulator.endpoint(), timeout));
        user2 = new FolderCalls(new EmulatorCaller(emulator.endpoint(), EmulatorCaller.USER2_AK,
                EmulatorCaller.USER2_SK, timeout));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String unique(String kind) {
        return "sp-" + kind + "-" + COUNTER.incrementAndGet();
    }

    /** A user folder; returns its directory on disk. */
    private static Path folder(String name) {
        return FolderCalls.folderDir(emulator.dataRoot(), user.create(name));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A problem+json answer of the proxy with this status and type. */
    private static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).as("%s", text(response)).isEqualTo(status);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        JsonNode body = FolderCalls.json(response);
        assertThat(body.path("type").asText()).as("%s", body).isEqualTo(PROBS + type);
        return body;
    }

    /** A refused HEAD: the problem's status and media type (a HEAD answer has no body). */
    private static void assertHeadRefused(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(header(response, "Upload-Offset")).isNull();
    }

    private static Answer requestUpload(String folder, String path, long size) {
        Answer session = user.call("POST", "/folders/" + folder + "/request-upload", Map.of("path", path, "size", size));
        assertThat(session.status()).as("request-upload: %s", session.body()).isEqualTo(200);
        return session;
    }

    private static Answer requestDownload(FolderCalls who, String folder, String path) {
        Answer session = who.call("POST", "/folders/" + folder + "/request-download", Map.of("path", path));
        assertThat(session.status()).as("request-download: %s", session.body()).isEqualTo(200);
        return session;
    }

    private static HttpResponse<byte[]> head(String url, String token) {
        return proxy("HEAD", withToken(url, token), Map.of("Tus-Resumable", "1.0.0"), null);
    }

    private static HttpResponse<byte[]> get(String url, String token, Map<String, String> headers) {
        return proxy("GET", withToken(url, token), headers, null);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** The token with one character of its signature changed. */
    private static String forgedSignature(String token) {
        int dot = token.lastIndexOf('.');
        char[] chars = token.toCharArray();
        int at = dot + 5;
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    /** The token with its payload changed by {@code edit} and its original signature kept. */
    private static String forgedPayload(String token, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        String[] parts = token.split("\\.");
        ObjectNode payload = (ObjectNode) EmulatorCaller.JSON.readTree(B64.decode(parts[1]));
        edit.accept(payload);
        return parts[0] + "." + B64E.encodeToString(EmulatorCaller.JSON.writeValueAsBytes(payload)) + "." + parts[2];
    }

    private static JsonNode claims(String token) throws IOException {
        return EmulatorCaller.JSON.readTree(B64.decode(token.split("\\.")[1]));
    }

    // --- uploads ----------------------------------------------------------------------------------

    @Test
    void requestUploadGivesATokenAndTheProxysOwnUrl() throws IOException {
        String name = unique("session");
        folder(name);
        Answer session = requestUpload(name, "data/file.bin", 10);
        String token = session.path("token").asText();
        assertThat(token.split("\\.")).as("a JWT").hasSize(3);
        JsonNode claims = claims(token);
        assertThat(claims.path("op").asText()).isEqualTo("upload");
        assertThat(claims.path("relpath").asText()).isEqualTo("data/file.bin");
        assertThat(claims.path("size").asLong()).isEqualTo(10);
        assertThat(claims.path("exp").isNumber()).isTrue();

        URI url = URI.create(session.path("url").asText());
        assertThat(url.getPath()).isEqualTo("/upload");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).as("the proxy listens on its own port")
                .isEqualTo(emulator.storageProxyEndpoint().getPort())
                .isNotEqualTo(emulator.endpoint().getPort());
        HttpResponse<byte[]> status = proxy("GET", emulator.storageProxyEndpoint() + "/", Map.of(), null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(FolderCalls.json(status).path("type").asText()).isEqualTo("client-facing");
        assertThat(proxy("GET", emulator.endpoint() + "/upload", Map.of(), null).statusCode())
                .as("the manager does not serve the proxy's routes").isNotEqualTo(200);
    }

    @Test
    void optionsAnswersTheTusHeaders() {
        HttpResponse<byte[]> options = proxy("OPTIONS", emulator.storageProxyEndpoint() + "/upload", Map.of(), null);
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(header(options, "Tus-Resumable")).isEqualTo("1.0.0");
        assertThat(header(options, "Tus-Version")).isEqualTo("1.0.0");
        assertThat(Long.parseLong(header(options, "Tus-Max-Size"))).isEqualTo(100L * 1024 * 1024 * 1024);
        assertThat(header(options, "Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(header(options, "Access-Control-Allow-Headers")).contains("Upload-Offset", "Tus-Resumable");
        assertThat(header(options, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(proxy("DELETE", emulator.storageProxyEndpoint() + "/upload", Map.of(), null).statusCode())
                .isEqualTo(405);
    }

    @Test
    void aResumableUploadAdvancesOnlyAtTheRightOffsetAndLandsIdenticalBytes() {
        String name = unique("tus");
        Path dir = folder(name);
        byte[] content = randomBytes(300_000, 1);
        Answer session = requestUpload(name, "deep/dir/blob.bin", content.length);
        String url = session.path("url").asText();
        String token = session.path("token").asText();

        HttpResponse<byte[]> first = head(url, token);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, "Upload-Offset")).isEqualTo("0");
        assertThat(header(first, "Upload-Length")).isEqualTo(String.valueOf(content.length));
        assertThat(header(first, "Tus-Resumable")).isEqualTo("1.0.0");
        assertThat(header(first, "Cache-Control")).isEqualTo("no-store");

        HttpResponse<byte[]> part1 = FolderCalls.patch(url, token, 0, Arrays.copyOfRange(content, 0, 100_000));
        assertThat(part1.statusCode()).as("%s", text(part1)).isEqualTo(204);
        assertThat(header(part1, "Upload-Offset")).isEqualTo("100000");
        assertThat(header(head(url, token), "Upload-Offset")).isEqualTo("100000");

        JsonNode mismatch = assertProblem(FolderCalls.patch(url, token, 0, Arrays.copyOfRange(content, 0, 100_000)),
                409, "storage/upload-offset-mismatch");
        assertThat(mismatch.path("msg").asText()).contains("expected 100000, got 0");
        assertProblem(FolderCalls.patch(url, token, 250_000, new byte[10]), 409, "storage/upload-offset-mismatch");
        HttpResponse<byte[]> missing = proxy("PATCH", withToken(url, token), Map.of("Tus-Resumable", "1.0.0",
                "Content-Type", "application/offset+octet-stream"), new byte[10]);
        assertThat(assertProblem(missing, 400, "storage/invalid-api-params").path("msg").asText())
                .contains("Missing required Upload-Offset header");
        HttpResponse<byte[]> garbage = proxy("PATCH", withToken(url, token), Map.of("Upload-Offset", "ten",
                "Tus-Resumable", "1.0.0", "Content-Type", "application/offset+octet-stream"), new byte[10]);
        assertProblem(garbage, 400, "storage/invalid-api-params");
        assertThat(header(head(url, token), "Upload-Offset")).as("refused PATCHes moved nothing").isEqualTo("100000");
        assertThat(dir.resolve("deep/dir/blob.bin")).as("nothing lands before the end").doesNotExist();

        HttpResponse<byte[]> part2 = FolderCalls.patch(url, token, 100_000, Arrays.copyOfRange(content, 100_000,
                content.length));
        assertThat(part2.statusCode()).as("%s", text(part2)).isEqualTo(204);
        assertThat(header(part2, "Upload-Offset")).isEqualTo(String.valueOf(content.length));

        Path landed = dir.resolve("deep/dir/blob.bin");
        assertThat(landed).isRegularFile();
        assertThat(sha256(readAll(landed))).isEqualTo(sha256(content));
        assertThat(dir.resolve(".upload")).as("the staging directory goes with the last session").doesNotExist();

        assertHeadRefused(head(url, token), 404);
        assertProblem(FolderCalls.patch(url, token, content.length, new byte[1]), 404, "storage/tus-session-not-found");
        assertThat(sha256(readAll(landed))).as("a PATCH after the end changes nothing").isEqualTo(sha256(content));
    }

    /**
     * Uploads opening while others finish in the same folder: a finishing upload removes the empty
     * staging directory, and an opening one must not fail for having created it just before.
     */
    @Test
    void uploadsOpenWhileOthersFinishInTheSameFolder() throws Exception {
        String name = unique("busy");
        Path dir = folder(name);
        List<String> refused = ConcurrentCallers.problems(4, 2, id -> () -> {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String path = "f-" + id + "-" + i;
                Answer session = user.call("POST", "/folders/" + name + "/request-upload",
                        Map.of("path", path, "size", 1));
                if (session.status() != 200) {
                    mine.add(path + ": " + session.status() + " " + session.body());
                    continue;
                }
                HttpResponse<byte[]> patch = FolderCalls.patch(session.path("url").asText(),
                        session.path("token").asText(), 0, new byte[] {(byte) i});
                if (patch.statusCode() != 204) {
                    mine.add(path + ": PATCH " + patch.statusCode() + " " + text(patch));
                }
            }
            return mine;
        });
        assertThat(refused).as("uploads refused while others finished").isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("f-")).count()).isEqualTo(400);
        }
    }

    @Test
    void anUploadWhoseStagingFileIsGoneIsNotFound() {
        String name = unique("gone");
        Path dir = folder(name);
        Answer session = requestUpload(name, "x.bin", 4);
        String url = session.path("url").asText();
        String token = session.path("token").asText();
        assertThat(head(url, token).statusCode()).isEqualTo(200);
        assertThat(user.call("POST", "/folders/" + name + "/delete-files", Map.of("files", List.of(".upload"),
                "recursive", true)).status()).isEqualTo(200);
        assertHeadRefused(head(url, token), 404);
        assertProblem(FolderCalls.patch(url, token, 0, new byte[4]), 404, "storage/tus-session-not-found");
        assertThat(dir.resolve("x.bin")).doesNotExist();
    }

    // --- downloads --------------------------------------------------------------------------------

    @Test
    void aWholeDownloadGivesIdenticalBytesAndHeadItsLength() {
        String name = unique("download");
        folder(name);
        byte[] content = randomBytes(123_457, 2);
        user.upload(name, "in/data.bin", content);
        Answer session = requestDownload(user, name, "in/data.bin");
        String url = session.path("url").asText();
        assertThat(URI.create(url).getPort()).isEqualTo(emulator.storageProxyEndpoint().getPort());
        String token = session.path("token").asText();

        HttpResponse<byte[]> whole = get(url, token, Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(sha256(whole.body())).isEqualTo(sha256(content));
        assertThat(header(whole, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(whole, "Content-Disposition")).contains("filename=\"data.bin\"");
        assertThat(header(whole, "Accept-Ranges")).isEqualTo("bytes");

        HttpResponse<byte[]> head = proxy("HEAD", withToken(url, token), Map.of(), null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(content.length));
        assertThat(head.body()).isEmpty();

        Answer missing = requestDownload(user, name, "in/nothing.bin");
        assertProblem(get(missing.path("url").asText(), missing.path("token").asText(), Map.of()), 404,
                "storage/file-not-found");
    }

    @Test
    void aRangeGivesThePartialSlice() {
        String name = unique("range");
        folder(name);
        byte[] content = randomBytes(50_000, 3);
        user.upload(name, "r.bin", content);
        Answer session = requestDownload(user, name, "r.bin");
        String url = session.path("url").asText();
        String token = session.path("token").asText();

        HttpResponse<byte[]> middle = get(url, token, Map.of("Range", "bytes=1000-1999"));
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(header(middle, "Content-Range")).isEqualTo("bytes 1000-1999/50000");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));

        HttpResponse<byte[]> open = get(url, token, Map.of("Range", "bytes=49990-"));
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(header(open, "Content-Range")).isEqualTo("bytes 49990-49999/50000");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 49_990, 50_000));

        HttpResponse<byte[]> suffix = get(url, token, Map.of("Range", "bytes=-7"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 49_993, 50_000));

        HttpResponse<byte[]> beyond = get(url, token, Map.of("Range", "bytes=60000-60010"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(header(beyond, "Content-Range")).isEqualTo("bytes */50000");
    }

    @Test
    void aDirectoryDownloadsAsAZipOfItsFiles() throws IOException {
        String name = unique("dirzip");
        folder(name);
        byte[] one = "first file".getBytes(StandardCharsets.UTF_8);
        byte[] two = randomBytes(20_000, 4);
        user.upload(name, "tree/one.txt", one);
        user.upload(name, "tree/sub/two.bin", two);
        user.call("POST", "/folders/" + name + "/mkdir", Map.of("path", "tree/empty"));
        Answer session = requestDownload(user, name, "tree");
        String url = session.path("url").asText();
        String token = session.path("token").asText();

        assertThat(assertProblem(get(url, token, Map.of()), 400, "storage/invalid-api-params").path("msg").asText())
                .as("a directory without archive=true").contains("not a regular file");
        HttpResponse<byte[]> zip = proxy("GET", withToken(url, token) + "&archive=true", Map.of(), null);
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(header(zip, "Content-Type")).isEqualTo("application/zip");
        assertThat(header(zip, "Content-Disposition")).contains("filename=\"tree.zip\"");
        Map<String, byte[]> entries = unzip(zip.body());
        assertThat(entries.keySet()).contains("one.txt", "sub/two.bin");
        assertThat(entries.keySet()).anyMatch(entry -> entry.startsWith("empty"));
        assertThat(entries.get("one.txt")).isEqualTo(one);
        assertThat(sha256(entries.get("sub/two.bin"))).isEqualTo(sha256(two));
    }

    @Test
    void requestDownloadArchiveZipsTheChosenFiles() throws IOException {
        String name = unique("archive");
        folder(name);
        byte[] a = "alpha".getBytes(StandardCharsets.UTF_8);
        byte[] b = randomBytes(9_999, 5);
        user.upload(name, "a.txt", a);
        user.upload(name, "nested/b.bin", b);
        user.upload(name, "left-out.txt", "not asked for".getBytes(StandardCharsets.UTF_8));
        Answer session = user.call("POST", "/folders/" + name + "/request-download-archive",
                Map.of("files", List.of("a.txt", "nested/b.bin"), "filename", "picked.zip"));
        assertThat(session.status()).as("%s", session.body()).isEqualTo(200);
        String url = session.path("url").asText();
        assertThat(URI.create(url).getPath()).isEqualTo("/download-archive");
        HttpResponse<byte[]> zip = get(url, session.path("token").asText(), Map.of());
        assertThat(zip.statusCode()).as("%s", text(zip)).isEqualTo(200);
        assertThat(header(zip, "Content-Type")).isEqualTo("application/zip");
        assertThat(header(zip, "Content-Disposition")).contains("picked.zip");
        Map<String, byte[]> entries = unzip(zip.body());
        assertThat(entries.keySet()).containsExactlyInAnyOrder("a.txt", "nested/b.bin");
        assertThat(entries.get("a.txt")).isEqualTo(a);
        assertThat(sha256(entries.get("nested/b.bin"))).isEqualTo(sha256(b));

        Answer ghost = user.call("POST", "/folders/" + name + "/request-download-archive",
                Map.of("files", List.of("a.txt", "ghost.txt")));
        HttpResponse<byte[]> notFound = get(ghost.path("url").asText(), ghost.path("token").asText(), Map.of());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(text(notFound)).contains("ghost.txt");
    }

    // --- tokens -------------------------------------------------------------------------------------

    @Test
    void aTokenWithAForgedSignatureOrPayloadIsRefused() throws IOException {
        String name = unique("forged");
        Path dir = folder(name);
        user.upload(name, "secret.txt", "secret".getBytes(StandardCharsets.UTF_8));
        user.upload(name, "other.txt", "other".getBytes(StandardCharsets.UTF_8));

        Answer download = requestDownload(user, name, "other.txt");
        String url = download.path("url").asText();
        String token = download.path("token").asText();
        JsonNode refused = assertProblem(get(url, forgedSignature(token), Map.of()), 400, "storage/invalid-api-params");
        assertThat(refused.path("data").path("token").asText()).contains("cannot decode the given value as JWT");
        assertProblem(get(url, forgedPayload(token, p -> p.put("relpath", "secret.txt")), Map.of()), 400,
                "storage/invalid-api-params");
        assertProblem(get(url, "not-a-jwt", Map.of()), 400, "storage/invalid-api-params");
        assertProblem(proxy("GET", url, Map.of(), null), 400, "storage/invalid-api-params");
        assertThat(get(url, token, Map.of()).body()).as("the genuine token still works")
                .isEqualTo("other".getBytes(StandardCharsets.UTF_8));

        Answer upload = requestUpload(name, "secret.txt", 6);
        String uploadUrl = upload.path("url").asText();
        String uploadToken = upload.path("token").asText();
        assertHeadRefused(head(uploadUrl, forgedSignature(uploadToken)), 400);
        assertProblem(FolderCalls.patch(uploadUrl, forgedSignature(uploadToken), 0, "hacked".getBytes(
                StandardCharsets.UTF_8)), 400, "storage/invalid-api-params");
        assertProblem(FolderCalls.patch(uploadUrl, forgedPayload(uploadToken, p -> p.put("size", 1)), 0,
                "h".getBytes(StandardCharsets.UTF_8)), 400, "storage/invalid-api-params");
        assertProblem(FolderCalls.patch(uploadUrl, token, 0, "hacked".getBytes(StandardCharsets.UTF_8)), 400,
                "storage/invalid-api-params");
        assertThat(header(head(uploadUrl, uploadToken), "Upload-Offset")).isEqualTo("0");
        assertThat(readAll(dir.resolve("secret.txt"))).isEqualTo("secret".getBytes(StandardCharsets.UTF_8));

        Answer archive = user.call("POST", "/folders/" + name + "/request-download-archive",
                Map.of("files", List.of("other.txt")));
        String archiveUrl = archive.path("url").asText();
        String archiveToken = archive.path("token").asText();
        assertProblem(get(archiveUrl, forgedSignature(archiveToken), Map.of()), 401, "jwt-invalid-signature");
        assertProblem(get(archiveUrl, forgedPayload(archiveToken, p -> p.putArray("files").add("secret.txt")),
                Map.of()), 401, "jwt-invalid-signature");
        assertProblem(get(archiveUrl, "a.b", Map.of()), 400, "jwt-decode-error");
    }

    @Test
    void aTokenOfOneFolderReachesNothingInAnother() throws IOException {
        String mine = unique("mine");
        Path mineDir = folder(mine);
        String theirs = unique("theirs");
        Path theirsDir = FolderCalls.folderDir(emulator.dataRoot(), user2.create(theirs));
        user2.upload(theirs, "private.txt", "user2's".getBytes(StandardCharsets.UTF_8));
        user.upload(mine, "mine.txt", "mine".getBytes(StandardCharsets.UTF_8));

        assertThat(user.call("POST", "/folders/" + theirs + "/request-download", Map.of("path", "private.txt"))
                .status()).as("the manager hands out no token for another user's folder").isEqualTo(404);

        Answer session = requestDownload(user, mine, "private.txt");
        String url = session.path("url").asText();
        String token = session.path("token").asText();
        assertProblem(get(url, token, Map.of()), 404, "storage/file-not-found");
        String escape = mineDir.relativize(theirsDir).toString();
        assertThat(escape).startsWith("..");
        assertProblem(proxy("GET", withToken(url, token) + "&dst_dir=" + FolderCalls.encode(escape), Map.of(), null),
                404, "storage/file-not-found");
        assertProblem(proxy("GET", withToken(url, token) + "&dst_dir=" + FolderCalls.encode(theirsDir.toString()),
                Map.of(), null), 404, "storage/file-not-found");

        String theirVfid = claims(user2.call("POST", "/folders/" + theirs + "/request-download",
                Map.of("path", "private.txt")).path("token").asText()).path("vfid").asText();
        assertProblem(get(url, forgedPayload(token, p -> p.put("vfid", theirVfid)), Map.of()), 400,
                "storage/invalid-api-params");

        Answer upload = requestUpload(mine, "dropped.txt", 4);
        String uploadUrl = upload.path("url").asText();
        assertProblem(FolderCalls.patch(uploadUrl, forgedPayload(upload.path("token").asText(),
                p -> p.put("vfid", theirVfid)), 0, "evil".getBytes(StandardCharsets.UTF_8)), 400,
                "storage/invalid-api-params");
        HttpResponse<byte[]> escaping = proxy("PATCH", withToken(uploadUrl, upload.path("token").asText())
                + "&dst_dir=" + FolderCalls.encode(escape), Map.of("Upload-Offset", "0", "Tus-Resumable", "1.0.0",
                "Content-Type", "application/offset+octet-stream"), "evil".getBytes(StandardCharsets.UTF_8));
        assertThat(escaping.statusCode()).as("%s", text(escaping)).isBetween(400, 499);
        try (var files = Files.list(theirsDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("private.txt");
        }
        assertThat(readAll(theirsDir.resolve("private.txt"))).isEqualTo("user2's".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anExpiredTokenIsRefused() {
        try (ManagerEmulator shortLived = ManagerEmulator.start("127.0.0.1", 0, Optional.empty(),
                VFolders.Settings.fromSystemProperties().withSessionLifetime(Duration.ofSeconds(2)))) {
            FolderCalls caller = new FolderCalls(EmulatorCaller.user(shortLived.endpoint(), Duration.ofSeconds(30)));
            String name = unique("expiring");
            Path dir = FolderCalls.folderDir(shortLived.dataRoot(), caller.create(name));
            caller.upload(name, "f.txt", "payload".getBytes(StandardCharsets.UTF_8));
            Answer download = caller.call("POST", "/folders/" + name + "/request-download", Map.of("path", "f.txt"));
            Answer upload = caller.call("POST", "/folders/" + name + "/request-upload", Map.of("path", "late.txt",
                    "size", 4));
            Answer archive = caller.call("POST", "/folders/" + name + "/request-download-archive",
                    Map.of("files", List.of("f.txt")));
            String downloadUrl = withToken(download.path("url").asText(), download.path("token").asText());

            // The archive's token was issued last (seconds after the download's on a loaded machine):
            // once it is refused, all three have expired.
            await("the tokens expire").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> proxy("GET", downloadUrl, Map.of(), null).statusCode() != 200
                            && get(archive.path("url").asText(), archive.path("token").asText(), Map.of())
                            .statusCode() != 200);
            JsonNode refused = assertProblem(proxy("GET", downloadUrl, Map.of(), null), 400,
                    "storage/invalid-api-params");
            assertThat(refused.path("data").path("token").asText()).contains("Signature has expired");
            assertProblem(FolderCalls.patch(upload.path("url").asText(), upload.path("token").asText(), 0,
                    "late".getBytes(StandardCharsets.UTF_8)), 400, "storage/invalid-api-params");
            assertProblem(get(archive.path("url").asText(), archive.path("token").asText(), Map.of()), 401,
                    "jwt-expired");
            assertThat(dir.resolve("late.txt")).doesNotExist();
        }
    }

    private static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
