package bai.scenarios.client;

import bai.scenarios.client.transport.Credentials;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** {@code /auth}: does the manager accept this client's keypair? */
public final class AuthApi {
    private final ManagerClient client;

    AuthApi(ManagerClient client) {
        this.client = client;
    }

    /** The manager's verdict on a signed test call, and what it echoed back. */
    public record AuthCheck(boolean authorized, String echo) {
    }

    /** Signed {@code POST /auth} with a token the manager must echo. */
    public AuthCheck verify(String echo) {
        return parse(client.post("/auth", Map.of("echo", echo)).orThrow().json());
    }

    /** Signed {@code GET /auth}: the lightest authenticated call there is. */
    public AuthCheck verify() {
        return parse(client.get("/auth").orThrow().json());
    }

    /** A signed-in user's keypair, as {@code POST /auth/authorize} hands it out. */
    public record Login(Credentials keypair, String role, String status) {
    }

    /** Signs in with user id (e-mail) and password; the answer carries the user's default keypair. */
    public Login authorize(String domain, String email, String password) {
        return authorize(domain, email, password, false);
    }

    /**
     * Signs in; with {@code force} the manager ends her oldest login sessions when her user
     * resource policy's {@code max_concurrent_logins} would refuse another.
     */
    public Login authorize(String domain, String email, String password, boolean force) {
        JsonNode data = client.post("/auth/authorize", Map.of("type", "keypair", "domain", domain, "username", email,
                "password", password, "force", force)).orThrow().json().path("data");
        return new Login(new Credentials(data.path("access_key").asText(), data.path("secret_key").asText()),
                data.path("role").asText(), data.path("status").asText());
    }

    /** The caller's roles: globally, in their domain, and (when asked) in a project. */
    public record Roles(String global, String domain, String project) {
    }

    public Roles roles() {
        JsonNode body = client.get("/auth/role").orThrow().json();
        return new Roles(body.path("global_role").asText(), body.path("domain_role").asText(),
                body.path("group_role").asText(null));
    }

    private static AuthCheck parse(JsonNode body) {
        return new AuthCheck("yes".equals(body.path("authorized").asText()), body.path("echo").asText());
    }
}
