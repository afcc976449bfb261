package bai.scenarios.contract;

import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.FoldersApi;
import bai.scenarios.client.FoldersApi.FolderSpec;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.SessionsApi.Mount;
import bai.scenarios.client.SessionsApi.SessionRequest;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Exchange;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request the folders client sends to the manager conforms to the real manager's
 * {@code openapi.json} (the contract check is on and would throw), while the transfers to the
 * storage proxy, which that document does not describe, never pass the check at all.
 */
class FoldersContractTest {
    private static final UUID ID = UUID.fromString("0e5f4d4a-1b2c-4d3e-8f90-a1b2c3d4e5f6");
    private HttpServer server;
    private ManagerClient client;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Exchange> evidence = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream uploaded = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        ContractCheck contract = new ContractCheck(OpenApiContract.load(ReferenceFiles.require("openapi.json")), null);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new ManagerClient(endpoint, new Credentials("AKIATEST", "secret"),
                new ClientOptions(Clock.systemUTC(), List.of(contract), evidence::add, Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        seen.add(method + " " + path);
        bodies.put(method + " " + path, new String(body, StandardCharsets.UTF_8));
        String folder = "{\"id\": \"" + FoldersApi.hex(ID) + "\", \"name\": \"data\", \"host\": \"local:volume1\","
                + " \"status\": \"ready\", \"permission\": \"rw\", \"ownership_type\": \"user\", \"is_owner\": true,"
                + " \"usage_mode\": \"general\", \"cloneable\": true, \"user\": \"" + ID + "\", \"group\": null}";
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String json;
        int status = 200;
        if (path.equals("/upload")) {
            exchange.getResponseHeaders().add("Upload-Offset", Integer.toString(uploaded.size() + (method.equals("PATCH")
                    ? body.length : 0)));
            uploaded.write(body);
            exchange.sendResponseHeaders(method.equals("PATCH") ? 204 : 200, -1);
            exchange.close();
            return;
        } else if (path.equals("/download")) {
            json = "hello";
        } else if (method.equals("POST") && path.equals("/folders")) {
            json = folder;
            status = 201;
        } else if (method.equals("GET") && path.equals("/folders")) {
            json = "[" + folder + "]";
        } else if (path.endsWith("/request-upload")) {
            json = "{\"token\": \"tok\", \"url\": \"" + base + "/upload\"}";
        } else if (path.endsWith("/request-download")) {
            json = "{\"token\": \"tok\", \"url\": \"" + base + "/download\"}";
        } else if (path.endsWith("/mkdir")) {
            json = "{\"results\": {\"success\": [{\"item\": \"a\", \"msg\": null}], \"failed\": []}}";
        } else if (path.endsWith("/files")) {
            json = "{\"items\": []}";
        } else if (path.endsWith("/invitations/list")) {
            json = "{\"invitations\": [{\"id\": \"i1\", \"inviter\": \"a@x\", \"invitee\": \"b@x\", \"perm\": \"ro\","
                    + " \"state\": \"pending\", \"vfolder_id\": \"" + FoldersApi.hex(ID) + "\", \"vfolder_name\": \"data\"}]}";
        } else if (path.endsWith("/invite")) {
            json = "{\"invited_ids\": [\"i1\"]}";
            status = 201;
        } else if (path.endsWith("/clone")) {
            json = "{\"id\": \"" + FoldersApi.hex(ID) + "\", \"name\": \"copy\", \"bgtask_id\": \"t\"}";
            status = 201;
        } else if (path.equals("/session")) {
            json = "{\"sessionId\": \"" + ID + "\", \"status\": \"PENDING\", \"created\": true}";
            status = 201;
        } else if (path.startsWith("/folders/") && method.equals("GET")) {
            json = folder;
        } else {
            json = "{}";
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", path.equals("/download") ? "application/octet-stream"
                : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void everyFolderCallConformsToThePublishedContract(@TempDir Path dir) throws IOException {
        FoldersApi folders = client.folders();
        folders.create("data", FolderSpec.standard().withPermission("ro").inProject(ID).asCloneable());
        folders.list();
        folders.listOfProject(ID);
        folders.listOwnedBy("alice@example.com");
        folders.info("data");
        folders.rename("data", "data2");
        folders.updateOptions("data", "rw", true);
        folders.trash(ID);
        folders.trashByName("data");
        folders.restore(ID);
        folders.deleteForever(ID);
        folders.purge(ID);
        folders.mkdir("data", List.of("a"), true, false);
        folders.mkdir("data", List.of("a", "b/c"), false, true);
        folders.files("data", "");
        folders.renameFile("data", "a.txt", "b.txt");
        folders.moveFile("data", "b.txt", "dir/b.txt");
        folders.deleteFiles("data", List.of("dir"), true);
        folders.invite("data", "ro", List.of("bob@example.com"));
        assertThat(folders.invitations()).singleElement().satisfies(i -> {
            assertThat(i.permission()).isEqualTo("ro");
            assertThat(i.folderId()).isEqualTo(ID);
        });
        folders.acceptInvitation("i1");
        folders.rejectInvitation("i1");
        folders.leave("data");
        folders.share("data", "rw", List.of("bob@example.com"));
        folders.unshare("data", List.of("bob@example.com"));
        folders.clone("data", "copy");
        client.sessions().create(SessionRequest.interactive("s", "python", "default", "default")
                .mounting(List.of(Mount.byId(ID), Mount.byName("data").at("/home/work/in"))));

        folders.upload("data", "in.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        var download = folders.download("data", "in.csv", dir.resolve("in.csv"));

        assertThat(new String(uploaded.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("a,b\n");
        assertThat(Files.readString(download.file())).isEqualTo("hello");
        assertThat(seen).contains("HEAD /upload", "PATCH /upload", "GET /download");
        assertThat(evidence).anySatisfy(e -> assertThat(e.uri()).contains("/upload?token=<redacted>"));
    }

    @Test
    void aSessionMountsFoldersByIdAndByName() throws IOException {
        SessionRequest request = SessionRequest.interactive("s", "python", "default", "default")
                .mounting(List.of(Mount.byId(ID).at("/home/work/data"), Mount.byName("notes")));
        client.sessions().create(request);
        var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bodies.get("POST /session")).path("config");
        assertThat(config.path("mount_ids").get(0).asText()).isEqualTo(ID.toString());
        assertThat(config.path("mount_id_map").path(ID.toString()).asText()).isEqualTo("/home/work/data");
        assertThat(config.path("mounts").get(0).asText()).isEqualTo("notes");
        assertThat(config.has("mount_map")).isFalse();
    }
}
