package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static bai.scenarios.emulator.graphql.GraphQLWorld.SUPERADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.USER;
import static bai.scenarios.emulator.graphql.GraphQLWorld.data;
import static bai.scenarios.emulator.graphql.GraphQLWorld.error;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code images} with the arguments the clients send, and the resource presets. */
class CatalogueQueriesTest {
    private GraphQLWorld world;

    @AfterEach
    void stop() {
        world.close();
    }

    private List<Map<String, Object>> images(Caller caller, String arguments) {
        return data(world.run(caller, "{ images" + arguments + " { name namespace base_image_name tag registry digest"
                + " hash size_bytes installed installed_agents resource_limits { key min max } } }"), "images");
    }

    @Test
    void imagesShowTheFieldsTheClientsAskFor() {
        world = new GraphQLWorld(1, 4, 8);
        List<Map<String, Object>> images = images(USER, "(is_operation: false)");
        assertThat(images).hasSize(2);
        Map<String, Object> python = images.stream().filter(i -> "3.9-ubuntu20.04".equals(i.get("tag")))
                .findFirst().orElseThrow();
        assertThat(python).containsEntry("name", "stable/python").containsEntry("namespace", "stable/python")
                .containsEntry("base_image_name", "python").containsEntry("registry", "cr.backend.ai")
                .containsEntry("size_bytes", 0L).containsEntry("installed", true)
                .containsEntry("installed_agents", List.of("i-test-agent-1"));
        assertThat((String) python.get("digest")).matches("sha256:[0-9a-f]{64}").isEqualTo(python.get("hash"));
        assertThat(python.get("resource_limits")).isEqualTo(List.of(
                Map.of("key", "cpu", "min", "1", "max", "Infinity"),
                Map.of("key", "mem", "min", "268435456", "max", "Infinity")));
    }

    @Test
    void isInstalledKeepsOnlyImagesSomeAgentHas() {
        world = new GraphQLWorld(0, 4, 8);
        assertThat(images(SUPERADMIN, "(is_installed: true)")).isEmpty();
        assertThat(images(SUPERADMIN, "(is_installed: false)")).hasSize(2)
                .allSatisfy(i -> assertThat(i).containsEntry("installed", false).containsEntry("installed_agents", null));
        // is_operation only widens to operational images; the catalogue has none.
        assertThat(images(SUPERADMIN, "(is_operation: null)")).hasSize(2);
    }

    @Test
    void anUnknownLoadFilterIsRefused() {
        world = new GraphQLWorld(0, 4, 8);
        Map<String, Object> answer = world.run(USER, "{ images(load_filters: [\"secret\"]) { name } }");
        assertThat(error(answer)).containsEntry("extensions", Map.of("code", "api_parsing_invalid-parameters"));
    }

    @Test
    void presetsAreForEveryoneWithSlotsAsTheManagerWritesThem() {
        world = new GraphQLWorld(0, 4, 8);
        List<Map<String, Object>> presets = data(world.run(USER, "{ resource_presets(order: \"-name\","
                + " filter: \"name ilike \\\"cpu%\\\"\") { name resource_slots shared_memory scaling_group_name } }"),
                "resource_presets");
        assertThat(presets).extracting(p -> p.get("name")).containsExactly("cpu03-large", "cpu02-medium", "cpu01-small");
        assertThat(presets.get(0)).containsEntry("resource_slots", "{\"cpu\": \"8\", \"mem\": \"17179869184\"}")
                .containsEntry("shared_memory", new java.math.BigDecimal("2147483648.0")).containsEntry("scaling_group_name", null);
        Map<String, Object> one = data(world.run(USER, "{ resource_preset(name: \"cuda01-small\") { resource_slots } }"),
                "resource_preset");
        assertThat((String) one.get("resource_slots")).contains("\"cuda.shares\": \"0.5\"");
        assertThat(Set.of(error(world.run(USER, "{ resource_preset { name } }")).get("message")))
                .containsExactly("Query.resolve_resource_preset() missing 1 required positional argument: 'name'");
    }
}
