package bai.scenarios.emulator.graphql;

import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.parser.Parser;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * graphene's {@code depth_limit_validator}, which the manager's {@code /admin/gql} handler adds when
 * {@code api.max-gql-query-depth} is set ({@code api/rest/admin/handler.py}): a field nested deeper
 * than the limit (the top-level fields are depth 0, introspection fields are not counted, fragment
 * spreads count as their fragment's selections) fails the whole request before anything runs, as
 * {@code {"data": null, "errors": [{"message": "'<operation>' exceeds maximum operation depth of N.",
 * "locations": [...]}]}} with HTTP 200. Unlike graphene, a fragment that spreads itself is not
 * followed again (graphql-java's own validation then reports the cycle).
 */
final class QueryDepth {
    static final int DEFAULT_MAX_DEPTH = 10;

    private QueryDepth() {
    }

    /**
     * {@link #check} remembered per document text and limit (the answer depends on nothing else),
     * bounded like {@link DocumentCache} (long documents are measured every time).
     */
    static final class Cache {
        private static final Map<String, Object> FITS = java.util.Collections.unmodifiableMap(new HashMap<>());
        private final Map<String, Map<String, Object>> answers = new java.util.concurrent.ConcurrentHashMap<>();

        Map<String, Object> check(String query, int maxDepth) {
            if (query.length() > DocumentCache.MAX_CACHED_LENGTH) {
                return QueryDepth.check(query, maxDepth);
            }
            String key = maxDepth + "\u0000" + query;
            Map<String, Object> answer = answers.get(key);
            if (answer == null) {
                Map<String, Object> error = QueryDepth.check(query, maxDepth);
                answer = error == null ? FITS : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(error));
                if (answers.size() >= DocumentCache.MAX_ENTRIES) {
                    answers.clear();
                }
                answers.put(key, answer);
            }
            return answer == FITS ? null : answer;
        }
    }

    /** The error entry of the first operation too deep, or null (also for a query that does not parse). */
    static Map<String, Object> check(String query, int maxDepth) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (RuntimeException unparsable) {
            return null; // graphql-java's execution reports the syntax error itself
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            }
        }
        Heights heights = new Heights(fragments);
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof OperationDefinition operation
                    && heights.of(operation.getSelectionSet()) > maxDepth + 1) {
                String name = operation.getName() == null ? "anonymous" : operation.getName();
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("message", "'" + name + "' exceeds maximum operation depth of " + maxDepth + ".");
                SourceLocation at = heights.fieldAt(operation.getSelectionSet(), maxDepth + 1, new HashSet<>()).getSourceLocation();
                if (at != null) {
                    error.put("locations", List.of(Map.of("line", at.getLine(), "column", at.getColumn())));
                }
                return error;
            }
        }
        return null;
    }

    /**
     * How many levels of fields a selection set holds (a leaf field is one level); each fragment is
     * measured once, so fragments that spread others many times cost no more than their text.
     */
    private static final class Heights {
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Integer> measured = new HashMap<>();
        private final Set<String> measuring = new HashSet<>();

        Heights(Map<String, FragmentDefinition> fragments) {
            this.fragments = fragments;
        }

        int of(SelectionSet selections) {
            int height = 0;
            if (selections == null) {
                return 0;
            }
            for (Selection<?> selection : selections.getSelections()) {
                height = Math.max(height, of(selection));
            }
            return height;
        }

        int of(Selection<?> selection) {
            if (selection instanceof Field field) {
                return field.getName().startsWith("__") ? 0 : 1 + of(field.getSelectionSet());
            }
            if (selection instanceof InlineFragment inline) {
                return of(inline.getSelectionSet());
            }
            if (selection instanceof FragmentSpread spread) {
                String name = spread.getName();
                Integer known = measured.get(name);
                if (known != null) {
                    return known;
                }
                FragmentDefinition fragment = fragments.get(name);
                if (fragment == null || !measuring.add(name)) {
                    return 0; // unknown or cyclic: graphql-java's validation reports it
                }
                int height = of(fragment.getSelectionSet());
                measuring.remove(name);
                measured.put(name, height);
                return height;
            }
            return 0;
        }

        /** The first field at {@code depth} (0: a top-level field) along the deepest path. */
        Node<?> fieldAt(SelectionSet selections, int depth, Set<String> spreadsOnPath) {
            Node<?> deepest = null;
            int best = -1;
            for (Selection<?> selection : selections.getSelections()) {
                if (selection instanceof FragmentSpread spread && spreadsOnPath.contains(spread.getName())) {
                    continue;
                }
                int height = of(selection);
                if (height > best) {
                    best = height;
                    deepest = selection;
                }
            }
            if (deepest instanceof Field field) {
                return depth == 0 || field.getSelectionSet() == null ? field
                        : fieldAt(field.getSelectionSet(), depth - 1, new HashSet<>());
            }
            if (deepest instanceof InlineFragment inline) {
                return fieldAt(inline.getSelectionSet(), depth, spreadsOnPath);
            }
            if (deepest instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                spreadsOnPath.add(spread.getName());
                return fieldAt(fragments.get(spread.getName()).getSelectionSet(), depth, spreadsOnPath);
            }
            return deepest;
        }
    }
}
