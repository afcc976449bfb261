package bai.scenarios.emulator.graphql;

import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static bai.scenarios.emulator.graphql.GraphQLWorld.SUPERADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.data;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every emulator in a JVM shares one parse of the SDL and one set of schema types, with data fetchers
 * of its own: builds at the same time must still give each emulator a working schema wired to its
 * own state, and leave the shared parse as it was.
 */
class SharedSchemaTest {
    private static final String DOMAINS = "{ domains { name } }";
    private GraphQLWorld first;
    private GraphQLWorld second;

    @AfterEach
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void schemasBuiltAtOnceAnswerEachForItsOwnState() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<GraphQLWorld> a = CompletableFuture.supplyAsync(() -> built(together), pool);
            CompletableFuture<GraphQLWorld> b = CompletableFuture.supplyAsync(() -> built(together), pool);
            first = a.get(60, TimeUnit.SECONDS);
            second = b.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        Map<String, Object> created = first.run(SUPERADMIN,
                "mutation { create_domain(name: \"only-in-first\", props: {}) { ok } }");
        assertThat((Map<String, Object>) data(created, "create_domain")).containsEntry("ok", true);

        assertThat(names(first.run(SUPERADMIN, DOMAINS))).contains("default", "only-in-first");
        assertThat(names(second.run(SUPERADMIN, DOMAINS))).contains("default").doesNotContain("only-in-first");
    }

    @Test
    void buildingSchemasLeavesTheSharedParseUntouched() {
        first = new GraphQLWorld(0, 1, 1);
        second = new GraphQLWorld(0, 1, 1);
        TypeDefinitionRegistry shared = AdminGraphQL.parsedSdl();
        TypeDefinitionRegistry fresh = new SchemaParser().parse(AdminGraphQL.sdl());

        assertThat(AdminGraphQL.parsedSdl()).isSameAs(shared);
        // makeExecutableSchema adds the built-in directives (skip, include, ...) to the registry it builds from.
        assertThat(shared.getDirectiveDefinitions().keySet()).isEqualTo(fresh.getDirectiveDefinitions().keySet());
        assertThat(shared.types().keySet()).isEqualTo(fresh.types().keySet());
        assertThat(shared.scalars().keySet()).isEqualTo(fresh.scalars().keySet());
    }

    @Test
    void emulatorsShareTheTypesButNotTheFetchers() {
        first = new GraphQLWorld(0, 1, 1);
        second = new GraphQLWorld(0, 1, 1);
        GraphQLSchema a = first.graphQL.schema();
        GraphQLSchema b = second.graphQL.schema();
        FieldCoordinates domains = FieldCoordinates.coordinates("Query", "domains");
        GraphQLFieldDefinition field = a.getQueryType().getFieldDefinition("domains");

        assertThat(a).isNotSameAs(b);
        assertThat(a.getQueryType()).isSameAs(b.getQueryType());
        assertThat(a.getCodeRegistry()).isNotSameAs(b.getCodeRegistry());
        assertThat(a.getCodeRegistry().getDataFetcher(domains, field))
                .isNotSameAs(b.getCodeRegistry().getDataFetcher(domains, field));
    }

    private static GraphQLWorld built(CyclicBarrier together) {
        try {
            together.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new GraphQLWorld(0, 1, 1);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> names(Map<String, Object> answer) {
        return ((List<Map<String, Object>>) data(answer, "domains")).stream().map(d -> d.get("name")).toList();
    }
}
