package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.sessions.TimingProfile;
import bai.scenarios.emulator.state.BootstrapData;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.StateLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The emulator's admin GraphQL rules, resolver by resolver, without HTTP in between. */
class AdminGraphQLTest {
    private static final Caller SUPERADMIN = new Caller("AKIAIOSFODNN7EXAMPLE", true, 30000,
            UUID.fromString("f38dea23-50fa-42a0-b5ae-338f5f4693f4"), "admin@lablup.com", "superadmin", "default",
            UUID.fromString("f38dea23-50fa-42a0-b5ae-338f5f4693f4"));
    private static final Caller USER = new Caller("AKIANABBDUSEREXAMPLE", false, 30000,
            UUID.fromString("dfa9da54-4b28-432f-be29-c0d680c7a412"), "user@lablup.com", "user", "default",
            UUID.fromString("dfa9da54-4b28-432f-be29-c0d680c7a412"));
    private static final Caller DOMAIN_ADMIN = new Caller("AKIAHUKCHDEZGEXAMPLE", true, 30000,
            UUID.fromString("4f13d193-f646-425a-a340-270c4d2b9860"), "domain-admin@lablup.com", "admin", "default",
            UUID.fromString("4f13d193-f646-425a-a340-270c4d2b9860"));

    private Directory directory;
    private AdminGraphQL graphQL;
    private Sessions sessions;

    @org.junit.jupiter.api.AfterEach
    void stop() {
        sessions.close();
    }

    @BeforeEach
    void boot() {
        StateLock state = new StateLock();
        directory = new Directory(BootstrapData.load(), state);
        sessions = Sessions.standalone(state, List.of(), TimingProfile.FAST, "python3");
        graphQL = new AdminGraphQL(directory, sessions);
    }

    private Map<String, Object> run(Caller caller, String query, Map<String, Object> variables) {
        return graphQL.execute(caller, query, variables, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> field(Map<String, Object> answer, String name) {
        return (Map<String, Object>) ((Map<String, Object>) answer.get("data")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstError(Map<String, Object> answer) {
        return ((List<Map<String, Object>>) answer.get("errors")).get(0);
    }

    private Map<String, Object> createDomain(Caller caller, String name) {
        return run(caller, "mutation($n: String!) { create_domain(name: $n, props: {total_resource_slots: \"{\\\"mem\\\": \\\"2g\\\"}\"})"
                + " { ok msg domain { name is_active total_resource_slots } } }", Map.of("n", name));
    }

    @Test
    void superadminCreatesADomainWithTheManagersMessageAndSlotsInBytes() {
        Map<String, Object> result = field(createDomain(SUPERADMIN, "testing-d"), "create_domain");
        assertThat(result).containsEntry("ok", true).containsEntry("msg", "domain creation succeed");
        assertThat(((Map<?, ?>) result.get("domain")).get("total_resource_slots")).isEqualTo("{\"mem\": \"2147483648\"}");
    }

    @Test
    void aUserIsRefusedWithOkFalseNotAnError() {
        Map<String, Object> answer = createDomain(USER, "testing-d");
        assertThat(answer.get("errors")).isNull();
        assertThat(field(answer, "create_domain")).containsEntry("ok", false)
                .containsEntry("msg", "no permission to execute create_domain");
        assertThat(directory.domain("testing-d")).isEmpty();
    }

    @Test
    void aDuplicateDomainIsAGraphQLErrorWithTheManagersCode() {
        createDomain(SUPERADMIN, "testing-d");
        Map<String, Object> answer = createDomain(SUPERADMIN, "testing-d");
        assertThat(field(answer, "create_domain")).isNull();
        Map<String, Object> error = firstError(answer);
        assertThat((String) error.get("message")).startsWith("Invalid or Missing API Parameters. (");
        assertThat(error.get("extensions")).isEqualTo(Map.of("code", "api_parsing_invalid-parameters"));
        assertThat(error).containsKeys("locations", "path");
    }

    @Test
    void purgeIsRefusedWhileUsersRemain() {
        createDomain(SUPERADMIN, "testing-d");
        run(SUPERADMIN, "mutation { create_user(email: \"u@x.com\", props: {username: \"u\", password: \"p\","
                + " need_password_change: false, domain_name: \"testing-d\"}) { ok } }", Map.of());
        Map<String, Object> answer = run(SUPERADMIN, "mutation { purge_domain(name: \"testing-d\") { ok msg } }", Map.of());
        assertThat(firstError(answer).get("extensions")).isEqualTo(Map.of("code", "domain_purge_conflict"));
        assertThat(directory.domain("testing-d")).isPresent();
    }

    @Test
    void createUserCreatesAnAdminKeypairForAdmins() {
        createDomain(SUPERADMIN, "testing-d");
        Map<String, Object> result = field(run(SUPERADMIN, "mutation { create_user(email: \"a@x.com\", props: {"
                + "username: \"a\", password: \"p\", need_password_change: false, domain_name: \"testing-d\","
                + " role: \"admin\"}) { ok msg user { role status } keypair { access_key is_admin is_default is_active } } }",
                Map.of()), "create_user");
        assertThat(result).containsEntry("ok", true).containsEntry("msg", "success");
        assertThat((Map<String, Object>) result.get("keypair")).containsEntry("is_admin", true)
                .containsEntry("is_default", true).containsEntry("is_active", true);
    }

    @Test
    void deletingAUserDeactivatesTheirKeypairs() {
        run(SUPERADMIN, "mutation { delete_user(email: \"user2@lablup.com\") { ok } }", Map.of());
        assertThat(directory.keypair("AKIANATWOUSEREXAMPLE").orElseThrow().isActive()).isFalse();
        assertThat(directory.userByEmail("user2@lablup.com").orElseThrow().status()).isEqualTo("deleted");
    }

    @Test
    void aDefaultKeypairCannotBeDeleted() {
        Map<String, Object> result = field(run(SUPERADMIN,
                "mutation { delete_keypair(access_key: \"AKIANATWOUSEREXAMPLE\") { ok msg } }", Map.of()), "delete_keypair");
        assertThat(result).containsEntry("ok", false)
                .containsEntry("msg", "the keypair is used as the default access key by a user");
    }

    @Test
    void modifyingAMissingKeypairSaysNoMatch() {
        Map<String, Object> result = field(run(SUPERADMIN,
                "mutation { modify_keypair(access_key: \"AKIANOSUCH\", props: {rate_limit: 1}) { ok msg } }", Map.of()),
                "modify_keypair");
        assertThat(result).containsEntry("ok", false).containsEntry("msg", "no matching modifykeypair");
    }

    @Test
    void aDomainAdminManagesProjectsOfTheirOwnDomainOnly() {
        createDomain(SUPERADMIN, "testing-other");
        Map<String, Object> own = field(run(DOMAIN_ADMIN, "mutation { create_group(name: \"p\", props: {domain_name:"
                + " \"default\"}) { ok msg group { type } } }", Map.of()), "create_group");
        assertThat(own).containsEntry("ok", true);
        assertThat((Map<String, Object>) own.get("group")).containsEntry("type", "GENERAL");
        Map<String, Object> other = field(run(DOMAIN_ADMIN, "mutation { create_group(name: \"p\", props: {domain_name:"
                + " \"testing-other\"}) { ok msg } }", Map.of()), "create_group");
        // The project mutations' own gate formats graphql-core's info.path[0]: None for a top-level field.
        assertThat(other).containsEntry("ok", false).containsEntry("msg", "no permission to execute None");
        Map<String, Object> missing = field(run(DOMAIN_ADMIN, "mutation { purge_group(gid: \""
                + UUID.randomUUID() + "\") { ok msg } }", Map.of()), "purge_group");
        assertThat(missing).containsEntry("ok", false).containsEntry("msg", "no permission to execute None");
    }

    @Test
    void aRoleTheMutationDoesNotAllowIsToldTheFieldAsTheRequestSpelledIt() {
        Map<String, Object> answer = run(USER, "mutation { mine: create_group(name: \"p\", props: {domain_name:"
                + " \"default\"}) { ok msg } }", Map.of());
        assertThat(field(answer, "mine")).containsEntry("ok", false).containsEntry("msg", "no permission to execute mine");
    }

    @Test
    void aRegularUserSeesOnlyThemself() {
        Map<String, Object> answer = run(USER, "{ user { email } users { email } }", Map.of());
        assertThat(field(answer, "user")).containsEntry("email", "user@lablup.com");
        assertThat(firstError(answer).get("extensions")).isEqualTo(Map.of("code", "user_auth_forbidden"));
    }

    @Test
    void limitPoliciesAreCreatedChangedAndRefusedWhileInUse() {
        Map<String, Object> created = field(run(SUPERADMIN, "mutation { create_project_resource_policy(name: \"p1\","
                + " props: {max_network_count: 2}) { ok msg resource_policy { name max_network_count } } }", Map.of()),
                "create_project_resource_policy");
        // As the manager: ok and msg only, the policy itself is not returned.
        assertThat(created).containsEntry("ok", true).containsEntry("msg", "").containsEntry("resource_policy", null);
        assertThat(field(run(SUPERADMIN, "{ project_resource_policy(name: \"p1\") { max_network_count } }", Map.of()),
                "project_resource_policy")).containsEntry("max_network_count", 2);
        Map<String, Object> inUse = run(SUPERADMIN, "mutation { delete_user_resource_policy(name: \"default\") { ok } }",
                Map.of());
        assertThat(firstError(inUse).get("extensions")).isEqualTo(Map.of("code", "api_parsing_invalid-parameters"));
        Map<String, Object> missing = run(SUPERADMIN, "mutation { modify_user_resource_policy(name: \"nope\","
                + " props: {max_vfolder_count: 1}) { ok } }", Map.of());
        assertThat(firstError(missing)).containsEntry("message",
                "Entity not found. (No UserResourcePolicyRow matches the given key)");
        assertThat(firstError(missing).get("extensions")).isEqualTo(Map.of("code", "database_access_not-found"));
    }

    @Test
    void keypairPoliciesAnswerAsTheManagerDoes() {
        Map<String, Object> created = field(run(SUPERADMIN, "mutation { create_keypair_resource_policy(name: \"k1\","
                + " props: {default_for_unspecified: \"LIMITED\", total_resource_slots: \"{}\", max_session_lifetime: 0,"
                + " max_concurrent_sessions: 1, max_containers_per_session: 1, idle_timeout: 0}) { ok msg"
                + " resource_policy { name } } }", Map.of()), "create_keypair_resource_policy");
        assertThat(created).containsEntry("ok", true).containsEntry("msg", "").containsEntry("resource_policy", null);
        assertThat(directory.keypairPolicy("k1")).isPresent();
        for (String mutation : List.of("modify_keypair_resource_policy(name: \"nope\", props: {max_concurrent_sessions: 2})",
                "delete_keypair_resource_policy(name: \"nope\")")) {
            Map<String, Object> missing = run(SUPERADMIN, "mutation { " + mutation + " { ok msg } }", Map.of());
            assertThat(firstError(missing)).as(mutation).containsEntry("message",
                    "Entity not found. (No KeyPairResourcePolicyRow matches the given key)");
            assertThat(firstError(missing).get("extensions")).isEqualTo(Map.of("code", "database_access_not-found"));
        }
        // The deprecated vfolder fields read null, as on the manager.
        Map<String, Object> policy = field(run(SUPERADMIN, "{ keypair_resource_policy(name: \"k1\") {"
                + " max_vfolder_count max_vfolder_size max_quota_scope_size max_concurrent_sessions } }", Map.of()),
                "keypair_resource_policy");
        assertThat(policy).containsEntry("max_vfolder_count", null).containsEntry("max_vfolder_size", null)
                .containsEntry("max_quota_scope_size", null).containsEntry("max_concurrent_sessions", 1);
    }

    @Test
    void anInactiveUsersDefaultKeypairIsInactiveToo() {
        Map<String, Object> inactive = field(run(SUPERADMIN, "mutation { create_user(email: \"i@x.com\", props: {"
                + "username: \"i\", password: \"p\", need_password_change: false, domain_name: \"default\","
                + " status: \"inactive\"}) { ok user { status } keypair { is_active } } }", Map.of()), "create_user");
        assertThat((Map<String, Object>) inactive.get("user")).containsEntry("status", "inactive");
        assertThat((Map<String, Object>) inactive.get("keypair")).containsEntry("is_active", false);
        Map<String, Object> byFlag = field(run(SUPERADMIN, "mutation { create_user(email: \"j@x.com\", props: {"
                + "username: \"j\", password: \"p\", need_password_change: false, domain_name: \"default\","
                + " is_active: false}) { ok user { status } keypair { is_active } } }", Map.of()), "create_user");
        // The input's status defaults to "active" and wins over is_active, as in the manager's creator.
        assertThat((Map<String, Object>) byFlag.get("user")).containsEntry("status", "active");
        assertThat((Map<String, Object>) byFlag.get("keypair")).containsEntry("is_active", true);
    }

    @Test
    void anInvalidDocumentHasNoData() {
        Map<String, Object> answer = run(SUPERADMIN, "{ domains { nope } }", Map.of());
        assertThat(answer.get("data")).isNull();
        assertThat(firstError(answer)).doesNotContainKey("extensions");
    }

    @Test
    void aDocumentSentAgainAnswersFromTheCurrentStateWithItsOwnVariables() {
        String list = "query { domains { name } }";
        assertThat(run(SUPERADMIN, list, Map.of()).toString()).doesNotContain("testing-cache-b");
        createDomain(SUPERADMIN, "testing-cache-a");
        createDomain(SUPERADMIN, "testing-cache-b"); // the same mutation text, other variables: another domain

        assertThat(run(SUPERADMIN, list, Map.of()).toString()).contains("testing-cache-a", "testing-cache-b");
    }

    @Test
    void anInvalidDocumentSentAgainIsRefusedAgain() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Map<String, Object> answer = run(SUPERADMIN, "{ domains { nope_again } }", Map.of());
            assertThat(answer.get("data")).isNull();
            assertThat(firstError(answer).get("message").toString()).contains("nope_again");
        }
    }

    @Test
    void aDocumentTooDeepIsRefusedEveryTime() {
        String deep = "query Deep { " + "users { groups { ".repeat(6) + "id" + " } }".repeat(6) + " }";
        for (int attempt = 0; attempt < 2; attempt++) {
            Map<String, Object> answer = run(SUPERADMIN, deep, Map.of());
            assertThat(answer.get("data")).isNull();
            assertThat(firstError(answer)).containsEntry("message", "'Deep' exceeds maximum operation depth of 10.");
        }
    }
}
