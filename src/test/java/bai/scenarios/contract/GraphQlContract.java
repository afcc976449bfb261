package bai.scenarios.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.OperationDefinition;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.MockedWiringFactory;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.ScalarWiringEnvironment;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.language.StringValue;
import graphql.language.Value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The manager's published GraphQL schema ({@code schema.graphql}, served at {@code /admin/gql}):
 * documents must parse and validate, and variables must coerce to their declared types.
 *
 * <p>The file is a graphene dump with an Apollo Federation header ({@code extend schema @link})
 * and undeclared {@code @key}/{@code @shareable} directives, which a strict parser refuses; the
 * header is dropped and the two directives declared. Custom scalars check what the manager's
 * scalars check: UUIDs parse, JSONString values are strings holding JSON, BigInts are integers.
 */
public final class GraphQlContract {
    private static final Pattern FEDERATION_HEADER = Pattern.compile("\\A\\s*extend\\s+schema\\s*@link\\([^)]*\\)");
    private static final String DIRECTIVES = """
            directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
            directive @shareable repeatable on OBJECT | FIELD_DEFINITION
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ISSUES = 5;
    static final int MAX_VALIDATED = 2_000;
    static final int MAX_REMEMBERED_LENGTH = 16_384;

    private final GraphQLSchema schema;
    private final Map<String, OperationDefinition> validated = new java.util.concurrent.ConcurrentHashMap<>();

    private GraphQlContract(GraphQLSchema schema) {
        this.schema = schema;
    }

    public static GraphQlContract load(Path schemaGraphql) {
        String sdl;
        try {
            sdl = Files.readString(schemaGraphql);
        } catch (IOException e) {
            throw new ContractSetupException("cannot read the GraphQL contract " + schemaGraphql + ": " + e, e);
        }
        try {
            return new GraphQlContract(build(sdl));
        } catch (RuntimeException e) {
            throw new ContractSetupException("cannot load the GraphQL contract " + schemaGraphql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses SDL text strictly: the Federation header is dropped and its two directives declared
     * (also used to read the real schema in the emulator's subset test).
     */
    public static TypeDefinitionRegistry strictRegistry(String sdl) {
        return new SchemaParser().parse(DIRECTIVES + FEDERATION_HEADER.matcher(sdl).replaceFirst(""));
    }

    /** Builds an executable-enough schema from SDL text. */
    public static GraphQLSchema build(String sdl) {
        TypeDefinitionRegistry registry = strictRegistry(sdl);
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new CheckingWiring()).build();
        return new SchemaGenerator().makeExecutableSchema(registry, wiring);
    }

    /** A contract over SDL text (e.g. the emulator's own subset). */
    public static GraphQlContract fromSdl(String sdl) {
        return new GraphQlContract(build(sdl));
    }

    /** Throws {@link ContractViolation} unless the document parses and validates (variables not checked). */
    public void checkDocument(String document, String operationName) {
        ParseAndValidateResult result = ParseAndValidate.parseAndValidate(schema,
                ExecutionInput.newExecutionInput(document).operationName(operationName).build());
        if (result.isFailure()) {
            throw violation(operationLabel(operationName), result.getErrors());
        }
    }

    /** Throws {@link ContractViolation} unless the document and variables are valid for the schema. */
    public void check(String document, Map<String, Object> variables, String operationName) {
        Map<String, Object> vars = variables == null ? Map.of() : variables;
        OperationDefinition operation = validOperation(document, operationName);
        try {
            ValuesResolver.coerceVariableValues(schema, operation.getVariableDefinitions(), RawVariables.of(vars),
                    GraphQLContext.getDefault(), Locale.ROOT);
        } catch (RuntimeException e) {
            if (e instanceof GraphQLError error) {
                throw violation(operationLabel(operation.getName()), List.of(error));
            }
            throw new ContractViolation("Contract violation: GraphQL " + operationLabel(operation.getName())
                    + ": variables do not fit: " + e.getMessage());
        }
    }

    /**
     * The operation a valid document runs. Parsing and validating are most of the check's cost and
     * depend only on the text and the operation chosen, so each distinct pair is validated once
     * (bounded: past {@link #MAX_VALIDATED} documents the memory starts over, and none longer than
     * {@link #MAX_REMEMBERED_LENGTH} characters is kept); an invalid one throws
     * every time and is never remembered.
     */
    private OperationDefinition validOperation(String document, String operationName) {
        String key = operationName + "\u0000" + document;
        OperationDefinition known = validated.get(key);
        if (known != null) {
            return known;
        }
        ParseAndValidateResult result = ParseAndValidate.parseAndValidate(schema,
                ExecutionInput.newExecutionInput(document).operationName(operationName).build());
        if (result.isFailure()) {
            throw violation(operationLabel(operationName), result.getErrors());
        }
        OperationDefinition operation = result.getDocument().getDefinitionsOfType(OperationDefinition.class).stream()
                .filter(op -> operationName == null || operationName.equals(op.getName()))
                .findFirst()
                .orElseThrow(() -> new ContractViolation("Contract violation: GraphQL document has no operation named "
                        + operationName));
        if (document.length() <= MAX_REMEMBERED_LENGTH) {
            if (validated.size() >= MAX_VALIDATED) {
                validated.clear();
            }
            validated.put(key, operation);
        }
        return operation;
    }

    private static String operationLabel(String name) {
        return name == null ? "document" : "operation " + name;
    }

    private static ContractViolation violation(String label, List<? extends GraphQLError> errors) {
        String issues = errors.stream().limit(MAX_ISSUES).map(GraphQLError::getMessage).collect(Collectors.joining("; "));
        return new ContractViolation("Contract violation: GraphQL " + label + " is not valid against the reference"
                + " schema: " + issues + (errors.size() > MAX_ISSUES ? "; …" : ""));
    }

    /** Nothing is ever executed; only custom scalars need real behaviour, for variable coercion. */
    private static final class CheckingWiring extends MockedWiringFactory {
        @Override
        public boolean providesScalar(ScalarWiringEnvironment environment) {
            return !ScalarInfo.isGraphqlSpecifiedScalar(environment.getScalarTypeDefinition().getName());
        }

        @Override
        public GraphQLScalarType getScalar(ScalarWiringEnvironment environment) {
            String name = environment.getScalarTypeDefinition().getName();
            return GraphQLScalarType.newScalar().name(name).coercing(new PassThrough(name)).build();
        }
    }

    /** Accepts what the manager's scalar of that name accepts and passes the value on unchanged. */
    private record PassThrough(String name) implements Coercing<Object, Object> {
        @Override
        @SuppressWarnings("deprecation")
        public Object serialize(Object value) {
            return value;
        }

        @Override
        @SuppressWarnings("deprecation")
        public Object parseValue(Object input) {
            String problem = problem(input);
            if (problem != null) {
                throw new CoercingParseValueException(name + ": " + problem);
            }
            return input;
        }

        @Override
        @SuppressWarnings("deprecation")
        public Object parseLiteral(Object input) {
            Object value = input instanceof StringValue s ? s.getValue() : input;
            String problem = input instanceof Value<?> && !(input instanceof StringValue) && needsString() ? "expected a string"
                    : input instanceof StringValue ? problem(value) : null;
            if (problem != null) {
                throw new CoercingParseLiteralException(name + ": " + problem);
            }
            return value;
        }

        private boolean needsString() {
            return name.equals("UUID") || name.equals("JSONString") || name.equals("DateTime");
        }

        private String problem(Object input) {
            switch (name) {
                case "UUID" -> {
                    if (!(input instanceof String text)) {
                        return "expected a UUID string, got " + input;
                    }
                    try {
                        UUID.fromString(text);
                        return null;
                    } catch (IllegalArgumentException e) {
                        return "'" + text + "' is not a UUID";
                    }
                }
                case "JSONString" -> {
                    if (!(input instanceof String text)) {
                        return "expected a string holding JSON (e.g. \"{}\"), got " + input;
                    }
                    try {
                        JSON.readTree(text);
                        return null;
                    } catch (IOException e) {
                        return "'" + text + "' is not JSON";
                    }
                }
                case "DateTime" -> {
                    return input instanceof String ? null : "expected an ISO 8601 string, got " + input;
                }
                case "BigInt" -> {
                    return input instanceof Number || (input instanceof String s && s.matches("-?\\d+")) ? null
                            : "expected an integer, got " + input;
                }
                default -> {
                    return null;
                }
            }
        }
    }
}
