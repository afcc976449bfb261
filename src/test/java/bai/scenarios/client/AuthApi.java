package bai.scenarios.client;

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

    private static AuthCheck parse(JsonNode body) {
        return new AuthCheck("yes".equals(body.path("authorized").asText()), body.path("echo").asText());
    }
}
