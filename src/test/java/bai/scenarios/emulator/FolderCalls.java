package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual-folder calls the emulator's own tests make: a caller's {@code /folders} requests
 * (signed, through {@link EmulatorCaller}) and plain requests to the storage proxy (unsigned: a
 * token in the query is all the proxy wants).
 */
final class FolderCalls {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final EmulatorCaller caller;

    FolderCalls(EmulatorCaller caller) {
        this.caller = caller;
    }

    EmulatorCaller caller() {
        return caller;
    }

    Answer call(String method, String target, Object body) {
        return caller.call(method, target, body);
    }

    /** Creates a user folder (201 expected) and returns its answer. */
    JsonNode create(String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("name", name));
        body.putAll(extra);
        Answer answer = caller.call("POST", "/folders", body);
        assertThat(answer.status()).as("create %s: %s", name, answer.body()).isEqualTo(201);
        return answer.body();
    }

    JsonNode create(String name) {
        return create(name, Map.of());
    }

    /** The item of {@code name} in {@code GET /folders}, or null. */
    JsonNode listed(String name) {
        Answer list = caller.call("GET", "/folders", null);
        assertThat(list.status()).isEqualTo(200);
        for (JsonNode item : list.body()) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        return null;
    }

    /** Uploads {@code content} to {@code path} in one tus PATCH; returns the token's URL and token. */
    void upload(String folder, String path, byte[] content) {
        Answer session = caller.call("POST", "/folders/" + folder + "/request-upload",
                Map.of("path", path, "size", content.length));
        assertThat(session.status()).as("request-upload: %s", session.body()).isEqualTo(200);
        HttpResponse<byte[]> patch = patch(session.path("url").asText(), session.path("token").asText(), 0, content);
        assertThat(patch.statusCode()).as("PATCH: %s", new String(patch.body(), StandardCharsets.UTF_8)).isEqualTo(204);
    }

    /** The bytes of one file, downloaded through the proxy. */
    byte[] download(String folder, String path) {
        Answer session = caller.call("POST", "/folders/" + folder + "/request-download", Map.of("path", path));
        assertThat(session.status()).as("request-download: %s", session.body()).isEqualTo(200);
        HttpResponse<byte[]> got = proxy("GET", withToken(session.path("url").asText(), session.path("token").asText()),
                Map.of(), null);
        assertThat(got.statusCode()).isEqualTo(200);
        return got.body();
    }

    /** The names listed at {@code path} of a folder. */
    List<String> names(String folder, String path) {
        Answer files = caller.call("GET", "/folders/" + folder + "/files?path=" + encode(path), null);
        assertThat(files.status()).as("list %s: %s", path, files.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        files.path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    /**
     * The directory on disk of a folder, from its create answer: the vfs layout
     * {@code <data root>/volumes/volume1/<scope type>/<scope id hex>/ab/cd/<rest of the id>}.
     */
    static java.nio.file.Path folderDir(java.nio.file.Path dataRoot, JsonNode created) {
        String hex = created.path("id").asText().replace("-", "");
        String[] scope = created.path("quota_scope_id").asText().split(":", 2);
        return dataRoot.resolve("volumes").resolve("volume1").resolve(scope[0]).resolve(scope[1].replace("-", ""))
                .resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex.substring(4));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String withToken(String url, String token) {
        return url + "?token=" + encode(token);
    }

    static HttpResponse<byte[]> patch(String url, String token, long offset, byte[] chunk) {
        return proxy("PATCH", withToken(url, token), Map.of("Upload-Offset", String.valueOf(offset),
                "Tus-Resumable", "1.0.0", "Content-Type", "application/offset+octet-stream"), chunk);
    }

    /** A plain request to the storage proxy. */
    static HttpResponse<byte[]> proxy(String method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return EmulatorCaller.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines of a background task's event stream until the server ends it (or {@code maxLines}),
     * read through the signed caller's connection.
     */
    static List<String> taskEvents(EmulatorCaller caller, String taskId, int maxLines) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = caller.stream("/events/background-task?taskId=" + taskId)) {
            String line;
            while (lines.size() < maxLines && (line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
