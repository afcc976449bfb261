package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorAccounts.Account;
import bai.scenarios.emulator.EmulatorAccounts.Project;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who reaches whose session, as the manager's access-key scope resolution
 * ({@code resolve_access_key_scope}, {@code check_if_requester_is_eligible_to_act_as_target_user})
 * and its project lookup ({@code query_userinfo}) decide: the probe findings of issue 11.
 */
class SessionScopeTest {
    private static ManagerEmulator emulator;
    private static EmulatorCaller superadmin;
    private static EmulatorAccounts accounts;
    private static Project home;
    private static Project elsewhere;
    private static Account owner;
    private static Account domainAdmin;
    private static Account foreignAdmin;
    private static Account stranger;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        superadmin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(60));
        accounts = new EmulatorAccounts(emulator.endpoint(), superadmin);
        String domain = accounts.domain();
        String otherDomain = accounts.domain();
        home = accounts.project(domain, Map.of());
        elsewhere = accounts.project(otherDomain, Map.of());
        owner = accounts.user(domain, "user", List.of(home.id()));
        domainAdmin = accounts.user(domain, "admin", List.of(home.id()));
        foreignAdmin = accounts.user(otherDomain, "admin", List.of(elsewhere.id()));
        stranger = accounts.user(otherDomain, "user", List.of(elsewhere.id()));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String running(EmulatorCaller who, Project project) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("session_name", EmulatorAccounts.unique("scope"),
                "image", "python", "domain", project.domain(), "group", project.name()));
        Answer created = who.call("POST", "/session", body);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(created.path("status").asText()).isEqualTo("RUNNING");
        return created.path("sessionId").asText();
    }

    private static void assertForbidden(Answer answer, String msg) {
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(403);
        assertThat(answer.path("type").asText()).endsWith("/generic-forbidden");
        assertThat(answer.path("msg").asText()).isEqualTo(msg);
    }

    @Test
    void aDomainAdminOfAnotherDomainReachesNothingOnBehalfOfTheOwner() {
        String id = running(owner.caller(), home);
        String as = "?owner_access_key=" + owner.accessKey();
        String sameDomainOnly = "Domain-admins can perform operations on behalf of other users in the same domain only.";
        assertForbidden(foreignAdmin.caller().call("GET", "/session/" + id + "/logs" + as, null), sameDomainOnly);
        assertForbidden(foreignAdmin.caller().call("DELETE", "/session/" + id + as + "&forced=true", null),
                sameDomainOnly);
        assertForbidden(foreignAdmin.caller().call("GET", "/session/" + id + "/status-history" + as, null),
                sameDomainOnly);
        // Info and execute never read owner_access_key: the session is looked up among the caller's own.
        assertThat(foreignAdmin.caller().call("GET", "/session/" + id + as, null).status()).isEqualTo(404);
        assertThat(foreignAdmin.caller().call("POST", "/session/" + id + as,
                Map.of("mode", "query", "code", "print(1)")).status()).isEqualTo(404);
        assertThat(owner.caller().call("GET", "/session/" + id, null).path("status").asText()).isEqualTo("RUNNING");
        // The admin of the owner's own domain may.
        assertThat(domainAdmin.caller().call("GET", "/session/" + id + "/logs" + as, null).status()).isEqualTo(200);
        Answer destroyed = domainAdmin.caller().call("DELETE", "/session/" + id + as + "&forced=true", null);
        assertThat(destroyed.status()).as(String.valueOf(destroyed.body())).isEqualTo(200);
    }

    @Test
    void aDomainAdminReachesNothingOfTheSuperadminsOnHerBehalf() {
        String id = running(superadmin, new Project(null, "default", "default"));
        String as = "?owner_access_key=" + EmulatorCaller.SUPERADMIN_AK;
        String notSuperadmins = "Domain-admins cannot perform operations on behalf of super-admins.";
        // The superadmin is in the default domain: even its own domain admin may not act for her.
        Account defaultAdmin = accounts.user("default", "admin", List.of());
        assertForbidden(defaultAdmin.caller().call("GET", "/session/" + id + "/logs" + as, null), notSuperadmins);
        assertForbidden(defaultAdmin.caller().call("DELETE", "/session/" + id + as + "&forced=true", null),
                notSuperadmins);
        assertThat(defaultAdmin.caller().call("GET", "/session/" + id + as, null).status()).isEqualTo(404);
        assertThat(superadmin.call("GET", "/session/" + id, null).path("status").asText()).isEqualTo("RUNNING");
        superadmin.call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void anUnknownOwnerKeyIsInvalidNotUnknown() {
        String id = running(owner.caller(), home);
        for (EmulatorCaller who : List.of(superadmin, domainAdmin.caller(), owner.caller())) {
            Answer answer = who.call("GET", "/session/" + id + "/logs?owner_access_key=AKIANOSUCHKEYEXAMPLE", null);
            assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(400);
            assertThat(answer.path("type").asText()).endsWith("/invalid-api-params");
            assertThat(answer.path("msg").asText()).isEqualTo("Unknown owner access key");
        }
        owner.caller().call("DELETE", "/session/" + id + "?forced=true", null);
    }

    @Test
    void nobodyCreatesASessionInAProjectOfAnotherDomainOrOneSheIsNotAMemberOf() {
        Project notMine = accounts.project(home.domain(), Map.of());
        Answer otherDomain = owner.caller().call("POST", "/session", Map.of("session_name",
                EmulatorAccounts.unique("scope"), "image", "python", "domain", elsewhere.domain(),
                "group", elsewhere.name(), "enqueue_only", true));
        assertThat(otherDomain.status()).as(String.valueOf(otherDomain.body())).isEqualTo(400);
        assertThat(otherDomain.path("type").asText()).endsWith("/invalid-api-params");
        assertThat(otherDomain.path("msg").asText()).isEqualTo("You can only set the domain to your domain.");
        Answer notMember = owner.caller().call("POST", "/session", Map.of("session_name",
                EmulatorAccounts.unique("scope"), "image", "python", "domain", home.domain(),
                "group", notMine.name(), "enqueue_only", true));
        assertThat(notMember.status()).as(String.valueOf(notMember.body())).isEqualTo(400);
        assertThat(notMember.path("type").asText()).endsWith("/invalid-api-params");
        assertThat(notMember.path("msg").asText()).startsWith("Invalid group (" + notMine.name() + ")");
        // A domain admin in her own name is no member either; acting for a member she may.
        Answer adminOwn = domainAdmin.caller().call("POST", "/session", Map.of("session_name",
                EmulatorAccounts.unique("scope"), "image", "python", "domain", home.domain(),
                "group", notMine.name(), "enqueue_only", true));
        assertThat(adminOwn.status()).as(String.valueOf(adminOwn.body())).isEqualTo(400);
        Answer foreign = foreignAdmin.caller().call("POST", "/session", Map.of("session_name",
                EmulatorAccounts.unique("scope"), "image", "python", "domain", home.domain(),
                "group", home.name(), "enqueue_only", true, "owner_access_key", owner.accessKey()));
        assertForbidden(foreign, "Domain-admins can perform operations on behalf of other users in the same domain only.");
        Answer strangerIn = stranger.caller().call("POST", "/session", Map.of("session_name",
                EmulatorAccounts.unique("scope"), "image", "python", "domain", home.domain(),
                "group", home.name(), "enqueue_only", true));
        assertThat(strangerIn.status()).isEqualTo(400);
    }
}
