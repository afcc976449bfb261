package bai.scenarios.emulator.graphql;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static bai.scenarios.emulator.graphql.GraphQLWorld.DOMAIN_ADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.MONITOR;
import static bai.scenarios.emulator.graphql.GraphQLWorld.SUPERADMIN;
import static bai.scenarios.emulator.graphql.GraphQLWorld.USER;
import static bai.scenarios.emulator.graphql.GraphQLWorld.data;
import static bai.scenarios.emulator.graphql.GraphQLWorld.error;
import static bai.scenarios.emulator.graphql.GraphQLWorld.items;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code user_list} and {@code keypair_list} as the web UI and the Python SDK ask for them:
 * who sees what, filter, order, pagination, and the fields the clients request.
 */
class DirectoryListsTest {
    private static final String USERS = "query($f: String, $o: String, $d: String, $l: Int!, $off: Int!) {"
            + " user_list(limit: $l, offset: $off, filter: $f, order: $o, domain_name: $d) { total_count items {"
            + " id uuid email role status domain_name totp_activated totp_activated_at main_access_key container_uid"
            + " container_main_gid container_gids } } }";
    private static final String KEYPAIRS = "query($f: String, $o: String, $e: String, $l: Int!, $off: Int!) {"
            + " keypair_list(limit: $l, offset: $off, filter: $f, order: $o, email: $e) { total_count items {"
            + " id access_key user_id is_active concurrency_limit concurrency_used user_info { email full_name } } } }";

    private final GraphQLWorld world = new GraphQLWorld(0, 4, 8);

    @AfterEach
    void stop() {
        world.close();
    }

    private Map<String, Object> users(bai.scenarios.emulator.http.Caller caller, Map<String, Object> variables) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("l", 50, "off", 0));
        all.putAll(variables);
        return world.run(caller, USERS, all);
    }

    private Map<String, Object> keypairs(bai.scenarios.emulator.http.Caller caller, Map<String, Object> variables) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("l", 50, "off", 0));
        all.putAll(variables);
        return world.run(caller, KEYPAIRS, all);
    }

    private static List<Object> column(Map<String, Object> answer, String list, String field) {
        Map<String, Object> page = data(answer, list);
        return items(page).stream().map(i -> i.get(field)).toList();
    }

    private void createUserIn(String domain, String email) {
        world.run(SUPERADMIN, "mutation($d: String!) { create_domain(name: $d, props: {}) { ok } }", Map.of("d", domain));
        Map<String, Object> created = world.run(SUPERADMIN, "mutation($e: String!, $d: String!) { create_user(email: $e,"
                + " props: {username: $e, password: \"p\", need_password_change: false, domain_name: $d,"
                + " container_uid: 2000, container_gids: [3000, 3001]}) { ok } }", Map.of("e", email, "d", domain));
        assertThat((Map<String, Object>) data(created, "create_user")).containsEntry("ok", true);
    }

    @Test
    void usersAreListedForAdminsOfTheirScopeOnly() {
        createUserIn("testing-far", "far@x.com");
        assertThat(column(users(SUPERADMIN, Map.of()), "user_list", "email")).contains("far@x.com", "user@lablup.com");
        assertThat(column(users(DOMAIN_ADMIN, Map.of()), "user_list", "email")).contains("user@lablup.com")
                .doesNotContain("far@x.com");
        assertThat(error(users(DOMAIN_ADMIN, Map.of("d", "testing-far")))).containsEntry("extensions",
                Map.of("code", "user_auth_forbidden"));
        assertThat(error(users(USER, Map.of()))).containsEntry("extensions",
                Map.of("code", "user_auth_forbidden"));
        assertThat((String) error(users(MONITOR, Map.of())).get("message")).contains("Unknown client role");
    }

    @Test
    void userItemsCarryTheFieldsTheClientsAskFor() {
        createUserIn("testing-far", "far@x.com");
        Map<String, Object> far = items(data(users(SUPERADMIN, Map.of("f", "email == \"far@x.com\"")), "user_list"))
                .get(0);
        assertThat(far).containsEntry("totp_activated", false).containsEntry("totp_activated_at", null)
                .containsEntry("container_uid", 2000).containsEntry("container_main_gid", null)
                .containsEntry("container_gids", List.of(3000, 3001));
        // The legacy User type's id is the plain UUID; main_access_key is the user's default keypair.
        assertThat(far.get("id")).isEqualTo(far.get("uuid"));
        assertThat((String) far.get("main_access_key")).startsWith("AKIA");
        Map<String, Object> user = items(data(users(SUPERADMIN, Map.of("f", "email == \"user@lablup.com\"")),
                "user_list")).get(0);
        assertThat(user).containsEntry("main_access_key", USER.accessKey());
    }

    @Test
    void userListFiltersOrdersAndPages() {
        Map<String, Object> byRole = users(SUPERADMIN, Map.of("f", "role == \"user\" & email ilike \"%LABLUP%\"",
                "o", "-email"));
        // "2" sorts before "@" (and before letters, in the database's collation too).
        assertThat(column(byRole, "user_list", "email")).containsExactly("user@lablup.com", "user2@lablup.com");
        Map<String, Object> page = data(users(SUPERADMIN, Map.of("o", "email", "l", 2, "off", 1)), "user_list");
        assertThat(page).containsEntry("total_count", 5);
        assertThat(items(page)).extracting(i -> i.get("email"))
                .containsExactly("domain-admin@lablup.com", "monitor@lablup.com");
        assertThat((String) error(users(SUPERADMIN, Map.of("f", "password == \"x\""))).get("message"))
                .isEqualTo("Query filter parsing error: Error trying to process rule \"binary_expr\":\n\n"
                        + "('Unknown/unsupported field name', 'password')");
    }

    @Test
    void aUserSeesOnlyHerOwnKeypairs() {
        assertThat(column(keypairs(USER, Map.of()), "keypair_list", "access_key")).containsExactly(USER.accessKey());
        assertThat(error(keypairs(USER, Map.of("e", "user2@lablup.com")))).containsEntry("extensions",
                Map.of("code", "backendai_generic_forbidden"));
        assertThat(column(keypairs(DOMAIN_ADMIN, Map.of()), "keypair_list", "access_key")).hasSize(5);
        assertThat(column(keypairs(SUPERADMIN, Map.of("e", "user2@lablup.com")), "keypair_list", "access_key"))
                .containsExactly("AKIANATWOUSEREXAMPLE");
    }

    @Test
    void keypairItemsCountLiveSessionsAndNameTheirOwner() {
        world.start(USER, "k1", "1", "1g");
        world.start(USER, "k2", "1", "1g");
        Map<String, Object> mine = items(data(keypairs(USER, Map.of()), "keypair_list")).get(0);
        // The legacy KeyPair id is the access key; concurrency_limit is the manager's constant 0.
        assertThat(mine).containsEntry("id", USER.accessKey()).containsEntry("user_id", "user@lablup.com")
                .containsEntry("concurrency_limit", 0)
                .containsEntry("user_info", Map.of("email", "user@lablup.com", "full_name", "User Lablup"));
        // PENDING sessions hold no slots yet, so they do not count as used concurrency.
        assertThat(mine).containsEntry("concurrency_used", 0);
    }

    @Test
    void keypairListFiltersByOwnerAndProject() {
        Map<String, Object> admins = keypairs(SUPERADMIN, Map.of("f", "is_admin == true", "o", "access_key"));
        assertThat(column(admins, "keypair_list", "access_key"))
                .containsExactly("AKIAHUKCHDEZGEXAMPLE", "AKIAIOSFODNN7EXAMPLE");
        createUserIn("testing-far", "far@x.com");
        Map<String, Object> inProject = data(keypairs(SUPERADMIN, Map.of("f", "projects == \"model-store\"")),
                "keypair_list");
        // The new user belongs to no project: an array field matches when any item does.
        assertThat(inProject).containsEntry("total_count", 5);
        assertThat(GraphQLWorld.<Map<String, Object>>data(keypairs(SUPERADMIN, Map.of()), "keypair_list")).containsEntry("total_count", 6);
        Map<String, Object> byEmail = keypairs(SUPERADMIN, Map.of("f", "email like \"user2%\""));
        assertThat(column(byEmail, "keypair_list", "access_key")).containsExactly("AKIANATWOUSEREXAMPLE");
    }
}
