package bai.scenarios.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The manager's published REST contract ({@code openapi.json}, OpenAPI 3.1): which operations
 * exist, which query parameters they take, and the JSON schema of their request bodies.
 *
 * <p>The manager also accepts camelCase aliases the document does not list; the suite must use
 * the canonical names it does list. So every object schema with {@code properties} and no
 * explicit {@code additionalProperties} is validated as closed (the document uses no
 * {@code allOf}, so closing cannot reject a valid body). Thread-safe; body validators are
 * compiled on first use and cached.
 */
public final class OpenApiContract {
    /**
     * Operations the real manager serves but leaves out of its generated spec: it registers the
     * root version route ({@code GET /}) directly on the application, outside the route registry
     * the spec is generated from.
     */
    public static final Set<String> KNOWN_UNPUBLISHED_OPERATIONS = Set.of("GET /", "GET ");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final int MAX_ISSUES = 5;

    private final String title;
    private final List<PathTemplate> paths;
    /** The templates by their number of '/' (a {param} never spans one), each in {@link #paths}' order. */
    private final Map<Integer, List<PathTemplate>> bySlashes;
    private final ObjectNode closedComponents;
    private final Map<String, JsonSchema> validators = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_PATHS = 4_096;
    private final Map<String, List<PathTemplate>> matchesByPath = new ConcurrentHashMap<>();

    private OpenApiContract(String title, List<PathTemplate> paths, ObjectNode closedComponents) {
        this.title = title;
        this.paths = paths;
        this.bySlashes = paths.stream().collect(Collectors.groupingBy(p -> slashes(p.template()),
                Collectors.toUnmodifiableList()));
        this.closedComponents = closedComponents;
    }

    public static OpenApiContract load(Path openapiJson) {
        JsonNode doc;
        try {
            doc = JSON.readTree(openapiJson.toFile());
        } catch (IOException e) {
            throw new ContractSetupException("cannot read the OpenAPI contract " + openapiJson + ": " + e.getMessage(), e);
        }
        return of(doc, "the OpenAPI contract " + openapiJson);
    }

    /**
     * The contract in a document that did not come from a file (the target's own, fetched from
     * {@code GET /spec/openapi/spec.json}); {@code origin} names it in setup errors.
     */
    public static OpenApiContract fromJson(byte[] openapiJson, String origin) {
        JsonNode doc;
        try {
            doc = JSON.readTree(openapiJson);
        } catch (IOException e) {
            throw new ContractSetupException(origin + " is not JSON", e);
        }
        return of(doc, origin);
    }

    private static OpenApiContract of(JsonNode doc, String origin) {
        if (doc == null || !doc.path("paths").isObject()) {
            throw new ContractSetupException(origin + " has no 'paths'", null);
        }
        List<PathTemplate> paths = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(e -> paths.add(PathTemplate.of(e.getKey(), e.getValue())));
        // Literal segments win over {param} segments, as in the manager's router.
        paths.sort(Comparator.comparingInt(PathTemplate::parameterCount));
        ObjectNode components = doc.path("components").isObject() ? doc.path("components").deepCopy()
                : JSON.createObjectNode();
        close(components);
        String title = doc.path("info").path("title").asText("OpenAPI") + " " + doc.path("info").path("version").asText();
        return new OpenApiContract(title, List.copyOf(paths), components);
    }

    /** The document's title and version, e.g. {@code Backend.AI Manager API 26.8.0rc1}. */
    public String title() {
        return title;
    }

    /** The operationId of the operation at this method and raw path, if the contract has one. */
    public Optional<String> operationId(String method, String rawPath) {
        return find(method, rawPath).map(p -> p.operations().get(method.toLowerCase(Locale.ROOT)))
                .map(op -> op.path("operationId").asText());
    }

    /** Throws {@link ContractViolation} unless the request is one the contract describes. */
    public void check(String method, String rawPath, String rawQuery, String contentType, byte[] body) {
        String call = method.toUpperCase(Locale.ROOT) + " " + rawPath;
        if (KNOWN_UNPUBLISHED_OPERATIONS.contains(call)) {
            return;
        }
        PathTemplate path = find(method, rawPath).orElseThrow(() -> new ContractViolation(
                "Contract violation: " + call + " is not an operation of the reference OpenAPI (" + title + ")"));
        JsonNode operation = path.operations().get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            throw new ContractViolation("Contract violation: " + call + " is not an operation of the reference OpenAPI; "
                    + path.template() + " allows " + path.operations().keySet().stream()
                    .map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        String where = call + " (" + operation.path("operationId").asText() + ")";
        checkQuery(where, operation, rawQuery);
        checkBody(where, operation, contentType, body == null ? new byte[0] : body);
    }

    /**
     * The path for this request, as the manager's router picks it: the most literal matching
     * template that has the method; failing that, the most literal match (to name what it allows).
     */
    private Optional<PathTemplate> find(String method, String rawPath) {
        // Only templates with as many segments can match: 613 regular expressions per request
        // were most of the REST check's cost.
        // A path is often sent many times (status polls), so its matches are remembered (bounded).
        List<PathTemplate> matches = matchesByPath.get(rawPath);
        if (matches == null) {
            matches = bySlashes.getOrDefault(slashes(rawPath), List.of()).stream()
                    .filter(p -> p.matches(rawPath)).toList();
            if (matchesByPath.size() >= MAX_REMEMBERED_PATHS) {
                matchesByPath.clear();
            }
            matchesByPath.put(rawPath, matches);
        }
        List<PathTemplate> found = matches;
        String wanted = method.toLowerCase(Locale.ROOT);
        return found.stream().filter(p -> p.operations().containsKey(wanted)).findFirst()
                .or(() -> found.stream().findFirst());
    }

    private static int slashes(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        return count;
    }

    private static void checkQuery(String where, JsonNode operation, String rawQuery) {
        Set<String> declared = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if ("query".equals(parameter.path("in").asText())) {
                declared.add(parameter.path("name").asText());
                if (parameter.path("required").asBoolean()) {
                    required.add(parameter.path("name").asText());
                }
            }
        }
        Set<String> sent = new LinkedHashSet<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String name = pair.split("=", 2)[0];
                sent.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
            }
        }
        for (String name : sent) {
            if (!declared.contains(name)) {
                throw new ContractViolation("Contract violation: " + where + ": query parameter '" + name
                        + "' is not declared (declared: " + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
            }
        }
        for (String name : required) {
            if (!sent.contains(name)) {
                throw new ContractViolation("Contract violation: " + where + ": required query parameter '" + name
                        + "' is missing");
            }
        }
    }

    private void checkBody(String where, JsonNode operation, String contentType, byte[] body) {
        JsonNode requestBody = operation.path("requestBody");
        JsonNode schemaRef = requestBody.path("content").path("application/json").path("schema");
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).split(";")[0].trim()
                .equals("application/json");
        if (body.length == 0) {
            if (requestBody.path("required").asBoolean() || !schemaRef.isMissingNode()) {
                // The manager refuses a JSON-body handler called without a body ("Malformed request body.").
                throw new ContractViolation("Contract violation: " + where + ": the operation takes a JSON body; send {}"
                        + " at least");
            }
            return;
        }
        if (!json) {
            return;
        }
        if (schemaRef.isMissingNode()) {
            throw new ContractViolation("Contract violation: " + where + ": sends a JSON body, but the operation declares"
                    + " none");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            throw new ContractViolation("Contract violation: " + where + ": the body is not valid JSON");
        }
        Set<ValidationMessage> issues = validator(schemaRef).validate(parsed);
        if (!issues.isEmpty()) {
            String name = schemaRef.path("$ref").asText("request body").replace("#/components/schemas/", "");
            throw new ContractViolation("Contract violation: " + where + ": the body does not match " + name + ": "
                    + issues.stream().map(ValidationMessage::getMessage).sorted().limit(MAX_ISSUES)
                    .collect(Collectors.joining("; ")) + (issues.size() > MAX_ISSUES ? "; …" : ""));
        }
    }

    private JsonSchema validator(JsonNode schema) {
        return validators.computeIfAbsent(schema.toString(), key -> {
            ObjectNode root = schema.deepCopy();
            close(root);
            // Refs like #/components/schemas/X resolve against this synthetic root document.
            root.set("components", closedComponents);
            return SCHEMAS.getSchema(root);
        });
    }

    /** Marks object schemas that list their properties, but say nothing about others, as closed. */
    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && object.path("properties").isObject() && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                close(it.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiContract::close);
        }
    }

    private record PathTemplate(String template, Pattern pattern, int parameterCount, Map<String, JsonNode> operations) {
        static PathTemplate of(String template, JsonNode item) {
            StringBuilder regex = new StringBuilder();
            int params = 0;
            for (String part : template.split("((?=\\{)|(?<=\\}))")) {
                if (part.startsWith("{") && part.endsWith("}")) {
                    regex.append("[^/]+");
                    params++;
                } else {
                    regex.append(Pattern.quote(part));
                }
            }
            Map<String, JsonNode> operations = new java.util.LinkedHashMap<>();
            item.fields().forEachRemaining(e -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(e.getKey())) {
                    operations.put(e.getKey(), e.getValue());
                }
            });
            return new PathTemplate(template, Pattern.compile(regex.toString()), params, operations);
        }

        boolean matches(String rawPath) {
            return pattern.matcher(rawPath).matches();
        }
    }
}
