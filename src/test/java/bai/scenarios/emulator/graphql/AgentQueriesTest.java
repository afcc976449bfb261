package bai.scenarios.emulator.graphql;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static bai.scenarios.emulator.graphql.GraphQLWorld.DOMAIN_ADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.SUPERADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.USER;
import static bai.scenarios.emulator.graphql.GraphQLWorld.data;
import static bai.scenarios.emulator.graphql.GraphQLWorld.error;
import static bai.scenarios.emulator.graphql.GraphQLWorld.items;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's view of capacity: {@code agents}, {@code agent_list}, {@code agent_summary_list}
 * and the scaling groups, with two agents (4 CPUs, 8 GiB each) and one running session.
 */
class AgentQueriesTest {
    private static final String EMPTY_SLOTS_AGENT = "{\"cpu\": \"0\", \"mem\": \"0\"}";
    private static final String FULL_AGENT = "{\"cpu\": \"4\", \"mem\": \"8589934592\"}";

    private final GraphQLWorld world = new GraphQLWorld(2, 4, 8);

    @AfterEach
    void stop() {
        world.close();
    }

    /** Starts one 2-CPU, 1 GiB session and waits until it runs; returns the agent it runs on. */
    private String runOne() {
        UUID id = world.start(USER, "busy", "2", "1g");
        world.awaitStatus(id, "RUNNING");
        return world.sessions.snapshot(id).orElseThrow().placedOn();
    }

    @Test
    void agentsShowWhatTheyHaveAndWhatRunningSessionsHold() {
        String busy = runOne();
        List<Map<String, Object>> agents = data(world.run(SUPERADMIN, "{ agents { id status scaling_group schedulable"
                + " available_slots occupied_slots cpu_slots mem_slots used_cpu_slots used_mem_slots container_count"
                + " live_stat compute_containers { id kernel_id status agent } } }"), "agents");
        assertThat(agents).hasSize(2);
        Map<String, Object> used = agents.stream().filter(a -> a.get("id").equals(busy)).findFirst().orElseThrow();
        Map<String, Object> idle = agents.stream().filter(a -> !a.get("id").equals(busy)).findFirst().orElseThrow();
        assertThat(used).containsEntry("status", "ALIVE").containsEntry("scaling_group", "default")
                .containsEntry("schedulable", true).containsEntry("available_slots", FULL_AGENT)
                .containsEntry("occupied_slots", "{\"cpu\": \"2\", \"mem\": \"1073741824\"}")
                .containsEntry("cpu_slots", 4.0).containsEntry("mem_slots", 8192)
                .containsEntry("used_cpu_slots", 2.0).containsEntry("used_mem_slots", 1024)
                .containsEntry("container_count", 1).containsEntry("live_stat", null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = (List<Map<String, Object>>) used.get("compute_containers");
        assertThat(containers).singleElement().satisfies(c -> {
            assertThat(c).containsEntry("status", "RUNNING").containsEntry("agent", busy);
            assertThat(c.get("id")).isEqualTo(c.get("kernel_id").toString());
        });
        assertThat(idle).containsEntry("occupied_slots", EMPTY_SLOTS_AGENT).containsEntry("container_count", 0)
                .containsEntry("compute_containers", List.of());
    }

    @Test
    void agentListPagesFiltersAndIsForSuperadminsOnly() {
        Map<String, Object> page = data(world.run(SUPERADMIN, "{ agent_list(limit: 1, offset: 1, order: \"-id\","
                + " status: \"ALIVE\") { total_count items { id } } }"), "agent_list");
        assertThat(page).containsEntry("total_count", 2);
        assertThat(items(page)).extracting(i -> i.get("id")).containsExactly("i-test-agent-1");
        Map<String, Object> filtered = data(world.run(SUPERADMIN, "{ agent_list(limit: 5, offset: 0,"
                + " filter: \"id == \\\"i-test-agent-2\\\" & schedulable == true\") { total_count } }"), "agent_list");
        assertThat(filtered).containsEntry("total_count", 1);
        assertThat(GraphQLWorld.<Map<String, Object>>data(world.run(SUPERADMIN, "{ agent_list(limit: 5, offset: 0, status: \"LOST\") { total_count } }"),
                "agent_list")).isEqualTo(Map.of("total_count", 0));
        assertThat(error(world.run(DOMAIN_ADMIN, "{ agent_list(limit: 5, offset: 0) { total_count } }")))
                .containsEntry("message", "Forbidden operation. (superadmin privilege required)");
        assertThat(error(world.run(USER, "{ agents { id } }")))
                .containsEntry("extensions", Map.of("code", "backendai_generic_forbidden"));
    }

    @Test
    void agentSummariesAreHiddenFromAllButSuperadmins() {
        runOne();
        // halfstack's hide-agents = true, as the emulated manager runs.
        assertThat(error(world.run(USER, "{ agent_summary_list(limit: 5, offset: 0) { total_count } }")))
                .containsEntry("message", "No such agent.")
                .containsEntry("extensions", Map.of("code", "backendai_read_not-found"));
        assertThat(error(world.run(DOMAIN_ADMIN, "{ agent_summary(agent_id: \"i-test-agent-1\") { id } }")))
                .containsEntry("message", "No such agent.");
        Map<String, Object> page = data(world.run(SUPERADMIN, "{ agent_summary_list(limit: 5, offset: 0) { total_count"
                + " items { id status available_slots occupied_slots } } }"), "agent_summary_list");
        assertThat(page).containsEntry("total_count", 2);
        assertThat(items(page)).extracting(i -> i.get("occupied_slots"))
                .containsExactlyInAnyOrder(EMPTY_SLOTS_AGENT, "{\"cpu\": \"2\", \"mem\": \"1073741824\"}");
        assertThat((String) error(world.run(SUPERADMIN, "{ agent_summary_list(limit: 5, offset: 0, filter: \"addr =="
                + " \\\"x\\\"\") { total_count } }")).get("message")).endsWith("('Unknown/unsupported field name', 'addr')");
    }

    @Test
    void scalingGroupsAddUpTheirAgents() {
        runOne();
        List<Map<String, Object>> groups = data(world.run(SUPERADMIN, "{ scaling_groups { name is_active"
                + " wsproxy_api_token use_host_network agent_count_by_status agent_total_resource_slots_by_status"
                + " resource_allocation_limit_for_sessions own_session_occupied_resource_slots } }"), "scaling_groups");
        assertThat(groups).singleElement().satisfies(g -> assertThat(g).containsEntry("name", "default")
                .containsEntry("agent_count_by_status", 2)
                .containsEntry("wsproxy_api_token", "v625xZLOgbMHhl0s49VuqQ").containsEntry("use_host_network", false)
                .containsEntry("agent_total_resource_slots_by_status", "{\"occupied_slots\": {\"cpu\": \"2\","
                        + " \"mem\": \"1073741824\"}, \"available_slots\": {\"cpu\": \"8\", \"mem\": \"17179869184\"}}")
                .containsEntry("resource_allocation_limit_for_sessions", FULL_AGENT)
                // The superadmin runs nothing; the user's session is not theirs.
                .containsEntry("own_session_occupied_resource_slots", "{}"));
        assertThat(error(world.run(USER, "{ scaling_groups { name } }")))
                .containsEntry("extensions", Map.of("code", "backendai_generic_forbidden"));
    }

    @Test
    void aRunningSessionShowsItsSlotsAndCountsAsUsedConcurrency() {
        String busy = runOne();
        Map<String, Object> item = items(data(world.run(USER, "{ compute_session_list(limit: 5, offset: 0) { items {"
                + " agent_ids occupying_slots occupied_slots starts_at status_data idle_checks containers {"
                + " occupied_slots preopen_ports live_stat } } } }"), "compute_session_list")).get(0);
        assertThat(item).containsEntry("agent_ids", List.of(busy))
                .containsEntry("occupying_slots", "{\"cpu\": \"2\", \"mem\": \"1073741824\"}")
                .containsEntry("status_data", null);
        assertThat(item.get("starts_at")).isNotNull();
        assertThat((String) item.get("idle_checks")).contains("\"session_lifetime\"");
        Map<String, Object> keypair = data(world.run(USER, "{ keypair { concurrency_used } }"), "keypair");
        assertThat(keypair).containsEntry("concurrency_used", 1);
    }
}
