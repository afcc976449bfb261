package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import bai.scenarios.emulator.api.AuthApi;
import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.state.Directory.LoginSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code max_concurrent_logins} of the user resource policy: set through
 * {@code PATCH /v2/resource-policies/user/{name}}, enforced by {@code POST /auth/authorize} with
 * the manager's {@code TooManyConcurrentLoginSessions} (409) unless {@code force} evicts the
 * oldest login session.
 */
class LoginSessionCapTest {
    private static ManagerEmulator emulator;
    private static EmulatorCaller admin;
    private static EmulatorCaller anyone;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(30));
        anyone = EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static Answer login(String email, boolean force) {
        return anyone.call("POST", "/auth/authorize", Map.of("type", "keypair", "domain", "default",
                "username", email, "password", "C8qnIo29", "force", force));
    }

    private static Answer cap(Object logins) {
        Map<String, Object> body = new HashMap<>();
        body.put("max_concurrent_logins", logins);
        return admin.call("PATCH", "/v2/resource-policies/user/default", body);
    }

    @Test
    void aSecondLoginIsRefusedUntilForcedAndTheCapCanBeCleared() {
        Answer set = cap(1);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.path("user_resource_policy", "max_concurrent_logins").asInt()).isEqualTo(1);
        assertThat(set.path("user_resource_policy", "name").asText()).isEqualTo("default");
        try {
            Answer first = login("user@lablup.com", false);
            assertThat(first.status()).isEqualTo(200);
            Answer second = login("user@lablup.com", false);
            assertThat(second.status()).isEqualTo(409);
            assertThat(second.path("type").asText()).isEqualTo("https://api.backend.ai/probs/active-login-session-exists");
            assertThat(second.path("title").asText()).isEqualTo("Too many concurrent login sessions for this user.");
            assertThat(second.path("error_code").asText()).isEqualTo("auth_auth_conflict");
            Answer forced = login("user@lablup.com", true);
            assertThat(forced.status()).isEqualTo(200);
            assertThat(forced.path("data", "session_token").asText())
                    .isNotEqualTo(first.path("data", "session_token").asText());
            // The forced login took the only place: another one is refused again.
            assertThat(login("user@lablup.com", false).status()).isEqualTo(409);
        } finally {
            assertThat(cap(null).status()).isEqualTo(200);
        }
        assertThat(login("user@lablup.com", false).status()).isEqualTo(200);
    }

    @Test
    void theV2UpdateRefusesACapBelowOneAndAnUnknownPolicy() {
        assertThat(cap(0).status()).isEqualTo(400);
        Answer unknown = admin.call("PATCH", "/v2/resource-policies/user/no-such-policy",
                Map.of("max_concurrent_logins", 2));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.path("type").asText()).endsWith("/user-resource-policy-not-found");
        assertThat(anyone.call("PATCH", "/v2/resource-policies/user/default", Map.of("max_concurrent_logins", 2))
                .status()).isEqualTo(403);
    }

    @Test
    void evictionFollowsTheManagersRule() {
        UUID user = UUID.randomUUID();
        Instant now = Instant.now();
        List<LoginSession> three = List.of(new LoginSession("a", user, null, now.minusSeconds(3)),
                new LoginSession("b", user, null, now.minusSeconds(2)), new LoginSession("c", user, null, now));
        assertThat(AuthApi.loginSessionsToEvict(null, three, false)).isEmpty();
        assertThat(AuthApi.loginSessionsToEvict(4, three, false)).isEmpty();
        assertThat(AuthApi.loginSessionsToEvict(3, three, true)).containsExactly("a");
        // A cap lowered below what she already has: down to one below the cap in one go.
        assertThat(AuthApi.loginSessionsToEvict(1, three, true)).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> AuthApi.loginSessionsToEvict(3, three, false)).isInstanceOf(ApiError.class);
        // A cap of 0 refuses every login, forced or not, even with no session open.
        assertThatThrownBy(() -> AuthApi.loginSessionsToEvict(0, List.of(), true)).isInstanceOf(ApiError.class);
    }
}
