package bai.scenarios.config;

import java.nio.file.Path;

/**
 * Where the REST contract comes from ({@code bai.contract.openapi}): a file, or the word
 * {@code target} for the document the target itself publishes at {@code GET /spec/openapi/spec.json}.
 */
public sealed interface OpenApiSource {
    /** The setting's value that means "ask the target". */
    String TARGET = "target";

    /** A published {@code openapi.json} on disk. */
    record File(Path path) implements OpenApiSource {
    }

    /** The target's own document, fetched after the preflight with the suite's keypair. */
    record Target() implements OpenApiSource {
    }
}
