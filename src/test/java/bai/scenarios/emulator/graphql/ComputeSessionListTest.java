package bai.scenarios.emulator.graphql;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static bai.scenarios.emulator.graphql.GraphQLWorld.DOMAIN_ADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.MONITOR;
import static bai.scenarios.emulator.graphql.GraphQLWorld.SUPERADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.USER;
import static bai.scenarios.emulator.graphql.GraphQLWorld.USER2;
import static bai.scenarios.emulator.graphql.GraphQLWorld.data;
import static bai.scenarios.emulator.graphql.GraphQLWorld.error;
import static bai.scenarios.emulator.graphql.GraphQLWorld.items;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code compute_session_list}, the web UI's session list: scoping by role, the status argument,
 * filter, order and pagination. Without agents every session stays PENDING (or CANCELLED once
 * destroyed), so no kernel runs here.
 */
class ComputeSessionListTest {
    private static final String LIST = "query($status: String, $ak: String, $filter: String, $order: String,"
            + " $limit: Int!, $offset: Int!) { compute_session_list(limit: $limit, offset: $offset, status: $status,"
            + " access_key: $ak, filter: $filter, order: $order) { total_count items { id session_id name status"
            + " access_key user_email group_name scaling_group requested_slots occupying_slots priority } } }";

    private final GraphQLWorld world = new GraphQLWorld(0, 4, 8);

    @AfterEach
    void stop() {
        world.close();
    }

    private Map<String, Object> list(bai.scenarios.emulator.http.Caller caller, Map<String, Object> variables) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("limit", 20, "offset", 0));
        all.putAll(variables);
        return world.run(caller, LIST, all);
    }

    private static List<String> names(Map<String, Object> answer) {
        Map<String, Object> list = data(answer, "compute_session_list");
        return items(list).stream().map(i -> (String) i.get("name")).toList();
    }

    @Test
    void aUserSeesHerOwnSessionsByStatus() {
        world.start(USER, "u-a", "1", "1g");
        UUID cancelled = world.start(USER, "u-b", "1", "1g");
        world.start(USER2, "u2-a", "1", "1g");
        world.destroy(cancelled);
        world.awaitStatus(cancelled, "CANCELLED");

        assertThat(names(list(USER, Map.of()))).containsExactlyInAnyOrder("u-a", "u-b");
        assertThat(names(list(USER, Map.of("status", "PENDING")))).containsExactly("u-a");
        assertThat(names(list(USER, Map.of("status", "CANCELLED,TERMINATED")))).containsExactly("u-b");
        // Another user's access key is not hers to ask for.
        Map<String, Object> other = list(USER, Map.of("ak", USER2.accessKey()));
        assertThat(error(other)).containsEntry("message", "Forbidden operation.")
                .containsEntry("extensions", Map.of("code", "backendai_generic_forbidden"));
    }

    @Test
    void adminsSeeTheirDomainAndSuperadminsEveryone() {
        world.start(USER, "u-a", "1", "1g");
        world.start(USER2, "u2-a", "1", "1g");
        assertThat(names(list(DOMAIN_ADMIN, Map.of()))).containsExactlyInAnyOrder("u-a", "u2-a");
        assertThat(names(list(SUPERADMIN, Map.of("ak", USER2.accessKey())))).containsExactly("u2-a");
        Map<String, Object> otherDomain = world.run(DOMAIN_ADMIN,
                "{ compute_session_list(limit: 5, offset: 0, domain_name: \"elsewhere\") { total_count } }");
        assertThat(error(otherDomain).get("extensions")).isEqualTo(Map.of("code", "backendai_generic_forbidden"));
        Map<String, Object> monitor = list(MONITOR, Map.of());
        assertThat(error(monitor)).containsEntry("message", "Invalid or Missing API Parameters. (Unknown client role)");
    }

    @Test
    void itemsShowTheOwnerTheProjectAndTheSlots() {
        world.start(USER, "u-a", "2", "1g");
        Map<String, Object> item = items(data(list(USER, Map.of()), "compute_session_list")).get(0);
        assertThat(item).containsEntry("access_key", USER.accessKey()).containsEntry("user_email", "user@lablup.com")
                .containsEntry("group_name", "default").containsEntry("scaling_group", "default")
                // The manager's default: the scheduler lowers it only after ~10 s of failed attempts.
                .containsEntry("priority", 10)
                .containsEntry("requested_slots", "{\"cpu\": \"2\", \"mem\": \"1073741824\"}")
                // PENDING: nothing is allocated yet.
                .containsEntry("occupying_slots", "{}");
        assertThat(item.get("id")).isEqualTo(item.get("session_id").toString());
    }

    @Test
    void pagesCountEveryMatchAndComeNewestFirst() {
        for (String name : List.of("s1", "s2", "s3", "s4", "s5")) {
            world.start(USER, name, "1", "1g");
        }
        Map<String, Object> page = data(list(USER, Map.of("limit", 2, "offset", 1)), "compute_session_list");
        assertThat(page).containsEntry("total_count", 5);
        assertThat(items(page)).extracting(i -> i.get("name")).containsExactly("s4", "s3");
        assertThat(items(data(list(USER, Map.of("limit", 2, "offset", 4)), "compute_session_list"))).hasSize(1);
        assertThat(items(data(list(USER, Map.of("limit", 2, "offset", 9)), "compute_session_list"))).isEmpty();
    }

    @Test
    void filterAndOrderFollowTheManagersMiniLanguage() {
        for (String name : List.of("alpha", "beta", "gamma")) {
            world.start(USER, name, "1", "1g");
        }
        assertThat(names(list(USER, Map.of("filter", "(name ilike \"AL%\" | name ilike \"%MMA\") & status == \"pending\"",
                "order", "+name")))).containsExactly("alpha", "gamma");
        assertThat(names(list(USER, Map.of("filter", "name in [\"beta\", \"gamma\"]", "order", "-name"))))
                .containsExactly("gamma", "beta");
        assertThat(names(list(USER, Map.of("filter", "!(name == \"beta\")", "order", "name"))))
                .containsExactly("alpha", "gamma");
        assertThat(names(list(USER, Map.of("filter", "terminated_at == null & type == \"INTERACTIVE\"")))).hasSize(3);
        Map<String, Object> unknownField = list(USER, Map.of("filter", "colour == \"red\""));
        assertThat(error(unknownField)).containsEntry("message", "Query filter parsing error: Error trying to process"
                + " rule \"binary_expr\":\n\n('Unknown/unsupported field name', 'colour')")
                .containsEntry("extensions", Map.of("code", "backendai_generic_internal-error"));
        Map<String, Object> unknownOrder = list(USER, Map.of("order", "-colour"));
        assertThat((String) error(unknownOrder).get("message")).startsWith("Query ordering parsing error:")
                .endsWith("('Unknown/unsupported field name', 'colour')");
    }

    @Test
    void theStatusArgumentNamesStatusesAsTheManagersEnumDoes() {
        Map<String, Object> lowerCase = list(USER, Map.of("status", "running"));
        assertThat(error(lowerCase)).containsEntry("message", "'running'")
                .containsEntry("extensions", Map.of("code", "backendai_generic_internal-error"));
    }

    @Test
    void aSessionOfSomeoneElseIsNotAUsersToSee() {
        UUID theirs = world.start(USER2, "u2-a", "1", "1g");
        Map<String, Object> answer = world.run(USER, "query($id: UUID!) { compute_session(id: $id) { name } }",
                Map.of("id", theirs.toString()));
        assertThat((Object) data(answer, "compute_session")).isNull();
        Map<String, Object> admin = world.run(DOMAIN_ADMIN, "query($id: UUID!) { compute_session(id: $id) { name"
                + " containers { id kernel_id } } }", Map.of("id", theirs.toString()));
        Map<String, Object> session = data(admin, "compute_session");
        assertThat(session).containsEntry("name", "u2-a");
        @SuppressWarnings("unchecked")
        Map<String, Object> container = ((List<Map<String, Object>>) session.get("containers")).get(0);
        // The plain kernel UUID, not a Relay global id.
        assertThat(container.get("id")).isEqualTo(container.get("kernel_id").toString());
    }
}
