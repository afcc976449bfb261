package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.BootstrapData;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.vfolders.VFolderAdmin;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeRuntimeWiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The emulator's {@code /admin/gql}: graphql-java over {@code admin.graphql} (a subset of the
 * manager's schema), with the manager's resolvers and its error reporting.
 */
public final class AdminGraphQL {
    public static final String SCHEMA_RESOURCE = "/bai/scenarios/emulator/admin.graphql";
    static final String CALLER = "caller";
    /** The key under which a view names its GraphQL type, for the interfaces' type resolution. */
    static final String TYPE_KEY = "$type";
    private static final Logger LOG = Logger.getLogger(AdminGraphQL.class.getName());

    private final GraphQL graphQL;
    /**
     * The manager's {@code api.max-gql-query-depth}; the emulator runs as the sample configuration
     * suggests ({@code configs/manager/sample.toml}: 10) unless {@code bai.emulator.gql-max-depth} says otherwise.
     */
    /** Each distinct document parsed and validated once, and its depth measured once. */
    private final DocumentCache documents = new DocumentCache();
    private final QueryDepth.Cache depths = new QueryDepth.Cache();
    private final int maxDepth = Integer.getInteger("bai.emulator.gql-max-depth", QueryDepth.DEFAULT_MAX_DEPTH);

    /**
     * {@code sessions} lets queries show compute sessions, agents and their capacity, and project
     * purges see live ones; the resource presets are the bootstrap data's.
     */
    public AdminGraphQL(Directory directory, Sessions sessions) {
        this(directory, sessions, null);
    }

    /** {@code vfolders} (null: none) answers the vfolder queries and takes part in project and user purges. */
    public AdminGraphQL(Directory directory, Sessions sessions, VFolderAdmin vfolders) {
        this(directory, sessions, vfolders, BootstrapData.load().document().path("resource_presets"));
    }

    /** {@code presets}: the resource presets the manager has (a JSON array of preset rows). */
    public AdminGraphQL(Directory directory, Sessions sessions, VFolderAdmin vfolders, JsonNode presets) {
        this(directory, sessions, vfolders, presets, null);
    }

    /** With model serving ({@code services}, null: none): endpoints and routings, and purges refused for live ones. */
    public AdminGraphQL(Directory directory, Sessions sessions, VFolderAdmin vfolders,
                        bai.scenarios.emulator.serving.ModelServices services) {
        this(directory, sessions, vfolders, BootstrapData.load().document().path("resource_presets"), services);
    }

    /** All parts given: the emulator builds it this way, off its start thread. */
    public AdminGraphQL(Directory directory, Sessions sessions, VFolderAdmin vfolders, JsonNode presets,
                         bai.scenarios.emulator.serving.ModelServices services) {
        Views views = new Views(directory, sessions);
        SessionViews sessionViews = new SessionViews(directory);
        AgentQueries agents = new AgentQueries(directory, sessions, sessionViews);
        Map<String, DataFetcher> query = new LinkedHashMap<>();
        query.putAll(new AdminQueries(directory, views, vfolders).fetchers());
        query.putAll(new DirectoryLists(directory, sessions, views).fetchers());
        query.putAll(new SessionQueries(directory, sessions, sessionViews).fetchers());
        query.putAll(agents.fetchers());
        query.putAll(new CatalogueQueries(directory, sessions, views, presets).fetchers());
        if (services != null) {
            query.putAll(new ServingQueries(services).fetchers());
        }
        AdminMutations mutations = new AdminMutations(directory, views, sessions::anyLiveIn, vfolders);
        if (services != null) {
            mutations.withEndpoints(services::projectHasActiveEndpoints);
        }
        // Only the data fetchers hold this emulator's state: they go into a code registry of its own,
        // over the JVM's shared types (transformWithoutTypes copies references, it rebuilds nothing).
        GraphQLSchema shared = SharedSchema.SCHEMA;
        GraphQLCodeRegistry code = shared.getCodeRegistry().transform(registry -> registry
                .dataFetchers("Query", typed(query))
                .dataFetchers("Mutation", typed(mutations.fetchers()))
                .dataFetchers("ScalingGroup", typed(agents.scalingGroupFields()))
                .dataFetcher(FieldCoordinates.coordinates("Agent", "compute_containers"),
                        (DataFetcher<?>) agents::computeContainers));
        GraphQLSchema schema = shared.transformWithoutTypes(builder -> builder.codeRegistry(code));
        this.graphQL = GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(new ManagerErrors())
                .preparsedDocumentProvider(documents).build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, DataFetcher<?>> typed(Map<String, DataFetcher> fetchers) {
        return (Map) fetchers;
    }

    /**
     * The schema's types, built once per JVM (the holder loads at the first build; class
     * initialisation makes it thread-safe): parsing and wiring the SDL took ~17 ms CPU per emulator
     * once warm, and unit tests start dozens. Only what holds no emulator state is wired here: the
     * scalars (stateless singletons) and the type resolvers (they look at the object and the schema
     * only). graphql-java's types are immutable, so emulators share them.
     */
    private static final class SharedSchema {
        static final TypeDefinitionRegistry REGISTRY = new SchemaParser().parse(sdl()).readOnly();
        static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(REGISTRY, typeWiring());
    }

    private static RuntimeWiring typeWiring() {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(Scalars.JSON_STRING).scalar(Scalars.UUID_SCALAR).scalar(Scalars.DATE_TIME)
                .scalar(Scalars.BIG_INT)
                .type(TypeRuntimeWiring.newTypeWiring("Node").typeResolver(env ->
                        env.getSchema().getObjectType("VirtualFolderNode")))
                .type(TypeRuntimeWiring.newTypeWiring("Item").typeResolver(env -> {
                    Map<?, ?> item = env.getObject();
                    Object named = item.get(TYPE_KEY);
                    String type = named != null ? named.toString()
                            : item.containsKey("quota_scope_id") ? "VirtualFolder"
                            : item.containsKey("kernel_id") ? "ComputeContainer"
                            : item.containsKey("session_id") ? "ComputeSession"
                            : item.containsKey("secret_key") || item.containsKey("rate_limit") ? "KeyPair" : "User";
                    return env.getSchema().getObjectType(type);
                }))
                .type(TypeRuntimeWiring.newTypeWiring("PaginatedList").typeResolver(env -> {
                    // Only the concrete list types are ever returned; an items list names its type.
                    List<?> items = (List<?>) ((Map<?, ?>) env.getObject()).get("items");
                    Object type = items.isEmpty() ? null : ((Map<?, ?>) items.get(0)).get(TYPE_KEY);
                    return env.getSchema().getObjectType(type == null ? "UserList" : type + "List");
                }))
                .build();
    }

    /**
     * The shared parse of {@link #sdl()} (for tests). Safe to share: graphql-java's (26)
     * {@code makeExecutableSchema} merges the registry into a copy of its own before adding to it,
     * and the read-only view makes any mutation fail loudly.
     */
    static TypeDefinitionRegistry parsedSdl() {
        return SharedSchema.REGISTRY;
    }

    /** This emulator's executable schema (for tests). */
    GraphQLSchema schema() {
        return graphQL.getGraphQLSchema();
    }

    /** The subset SDL the emulator serves. */
    public static String sdl() {
        try (InputStream in = AdminGraphQL.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one request; the answer always carries both {@code data} and {@code errors}. */
    public Map<String, Object> execute(Caller caller, String query, Map<String, Object> variables, String operation) {
        Map<String, Object> tooDeep = depths.check(query, maxDepth);
        if (tooDeep != null) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("data", null);
            answer.put("errors", List.of(tooDeep));
            return answer;
        }
        ExecutionInput input = ExecutionInput.newExecutionInput(query)
                .variables(variables == null ? Map.of() : variables)
                .operationName(operation)
                .graphQLContext(Map.of(CALLER, caller))
                .build();
        ExecutionResult result = graphQL.execute(input);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", result.getData());
        if (result.getErrors().isEmpty()) {
            answer.put("errors", null);
        } else {
            List<Map<String, Object>> errors = new ArrayList<>();
            result.getErrors().forEach(error -> errors.add(asGraphene(error)));
            answer.put("errors", errors);
        }
        return answer;
    }

    /** graphene's error entry: message, locations, path, and extensions only when the manager set a code. */
    private static Map<String, Object> asGraphene(GraphQLError error) {
        Map<String, Object> spec = new LinkedHashMap<>(error.toSpecification());
        Object extensions = spec.get("extensions");
        if (extensions instanceof Map<?, ?> map) {
            Map<Object, Object> kept = new LinkedHashMap<>(map);
            kept.remove("classification");
            if (kept.isEmpty()) {
                spec.remove("extensions");
            } else {
                spec.put("extensions", kept);
            }
        }
        return spec;
    }

    static Caller caller(graphql.schema.DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(CALLER);
    }

    /** Resolver exceptions become the manager's error entries instead of graphql-java's generic text. */
    private static final class ManagerErrors implements DataFetcherExceptionHandler {
        @Override
        public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
                graphql.execution.DataFetcherExceptionHandlerParameters parameters) {
            Throwable failure = parameters.getException();
            GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError()
                    .path(parameters.getPath())
                    .location(parameters.getSourceLocation());
            if (failure instanceof GqlError managerError && managerError.code() == null) {
                error.message(managerError.getMessage());
            } else if (failure instanceof GqlError managerError) {
                error.message(managerError.getMessage()).extensions(Map.of("code", managerError.code()));
            } else {
                LOG.log(Level.WARNING, "unexpected resolver failure at " + parameters.getPath(), failure);
                error.message("Internal server error. (" + failure + ")")
                        .extensions(Map.of("code", "backendai_generic_internal-error"));
            }
            GraphQLError built = error.build();
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(built).build());
        }
    }

    /** Shorthand for a fetcher that needs the caller. */
    interface CallerFetcher extends DataFetcher<Object> {
        Object fetch(Caller caller, graphql.schema.DataFetchingEnvironment env);

        @Override
        default Object get(graphql.schema.DataFetchingEnvironment env) {
            return fetch(caller(env), env);
        }
    }
}
