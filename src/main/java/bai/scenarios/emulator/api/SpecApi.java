package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * {@code /spec/openapi} (an HTML page) and {@code /spec/openapi/spec.json} (the OpenAPI document),
 * with the manager's rules: both need an authenticated caller of any role, and both answer
 * {@code 403 generic-forbidden} (no message) while the manager's
 * {@code api.allow-openapi-schema-introspection} is off, its default and the production setting.
 * The emulator turns introspection on when it is given a document to publish
 * ({@code bai.emulator.openapi-spec}, {@code --openapi-spec}); the manager generates its document
 * from its routes, the emulator serves the one it was given, unchanged.
 */
public final class SpecApi {
    /** The setting that turns introspection on: the path of the {@code openapi.json} to publish. */
    public static final String SETTING = "bai.emulator.openapi-spec";
    public static final String PAGE_PATH = "/spec/openapi";
    public static final String DOCUMENT_PATH = "/spec/openapi/spec.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    // The emulator bundles no API viewer (the manager's page loads one from its static files), so
    // its page links the document instead; status and content type are the manager's.
    private static final byte[] PAGE = """
            <!DOCTYPE html>
            <html>
              <head><meta charset="utf-8"/><title>Manager emulator: REST API document</title></head>
              <body>
                <p>This manager emulator publishes its OpenAPI document at
                <a href="openapi/spec.json">openapi/spec.json</a> (a signed request is needed).</p>
              </body>
            </html>
            """.getBytes(StandardCharsets.UTF_8);

    private SpecApi() {
    }

    /** A published OpenAPI document: the file's bytes, checked once to be one. */
    public record Document(Path source, String version, int pathCount, byte[] bytes) {
    }

    /**
     * Reads the document to publish.
     *
     * @throws IllegalArgumentException with one readable line if the file is missing or is not an
     *     OpenAPI document
     */
    public static Document load(Path file) {
        Path path = file.toAbsolutePath().normalize();
        String named = "the OpenAPI document to publish (" + SETTING + ", --openapi-spec), " + path + ",";
        String fix = "; point it at an openapi.json";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(named + " does not exist or cannot be read ("
                    + e.getClass().getSimpleName() + ")" + fix);
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(named + " is not JSON" + fix);
        }
        if (doc == null || !doc.path("openapi").isTextual() || !doc.path("paths").isObject()) {
            throw new IllegalArgumentException(named + " is not an OpenAPI document (no 'openapi' and 'paths')" + fix);
        }
        return new Document(path, doc.path("info").path("version").asText(""), doc.path("paths").size(), bytes);
    }

    /** Registers both routes; an empty {@code document} means introspection is off. */
    public static void register(Router router, Optional<Document> document) {
        router.add("GET", PAGE_PATH, AccessLevel.USER, call -> {
            requireIntrospection(document);
            return new ApiResponse(200, "text/html", PAGE, new LinkedHashMap<>());
        });
        router.add("GET", DOCUMENT_PATH, AccessLevel.USER, call -> new ApiResponse(200,
                "application/json; charset=utf-8", requireIntrospection(document).bytes(), new LinkedHashMap<>()));
    }

    private static Document requireIntrospection(Optional<Document> document) {
        // The manager raises GenericForbidden without a message here.
        return document.orElseThrow(() -> Problems.genericForbidden(null));
    }
}
