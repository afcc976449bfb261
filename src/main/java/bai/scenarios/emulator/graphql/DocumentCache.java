package bai.scenarios.emulator.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parses and validates each distinct document once: clients send the same few documents over and
 * over (the suite's fixtures, the web UI's lists), and parsing plus validation was most of an
 * {@code /admin/gql} request's cost. The result depends only on the text, the operation chosen and
 * the fixed schema, so a cached entry (valid or not) is the answer a fresh parse would give.
 * Bounded: past {@link #MAX_ENTRIES} documents it starts over rather than grow, and documents
 * longer than {@link #MAX_CACHED_LENGTH} characters are never kept.
 */
final class DocumentCache implements PreparsedDocumentProvider {
    static final int MAX_ENTRIES = 2_000;
    /** Longer documents (hostile ones: thousands of aliases) are parsed every time rather than kept. */
    static final int MAX_CACHED_LENGTH = 16_384;
    private final Map<String, PreparsedDocumentEntry> entries = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        if (input.getQuery().length() > MAX_CACHED_LENGTH) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        String key = input.getOperationName() + '\u0000' + input.getQuery();
        PreparsedDocumentEntry entry = entries.get(key);
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, entry);
        }
        return CompletableFuture.completedFuture(entry);
    }

    int size() {
        return entries.size();
    }
}
