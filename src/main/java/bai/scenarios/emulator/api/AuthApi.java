package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /auth}: the signed echo test, login with a password, and the caller's roles. */
public final class AuthApi {
    private final Directory directory;

    private AuthApi(Directory directory) {
        this.directory = directory;
    }

    public static void register(Router router, Directory directory) {
        AuthApi api = new AuthApi(directory);
        for (String path : new String[] {"/auth", "/auth/test"}) {
            router.add("GET", path, AccessLevel.USER, call -> echo(""));
            router.add("POST", path, AccessLevel.USER, AuthApi::echoBody);
        }
        router.add("POST", "/auth/authorize", AccessLevel.PUBLIC, api::authorize);
        router.add("GET", "/auth/role", AccessLevel.USER, api::role);
    }

    private static ApiResponse echoBody(ApiCall call) {
        return echo(ApiCall.requiredString(call.jsonBody(), "VerifyAuthRequest", "echo"));
    }

    private static ApiResponse echo(String text) {
        return ApiResponse.ok(RootApi.ordered("authorized", "yes", "echo", text));
    }

    /** User id (e-mail) and password in, the user's default keypair out. */
    private ApiResponse authorize(ApiCall call) {
        JsonNode body = call.jsonBody();
        String type = ApiCall.requiredString(body, "AuthorizeRequest", "type");
        String domain = ApiCall.requiredString(body, "AuthorizeRequest", "domain");
        String username = ApiCall.requiredString(body, "AuthorizeRequest", "username");
        String password = ApiCall.requiredString(body, "AuthorizeRequest", "password");
        if (!type.equals("keypair") && !type.equals("jwt")) {
            throw Problems.invalidApiParameters("1 validation error for AuthorizeRequest\ntype\n"
                    + "  Input should be 'keypair' or 'jwt'");
        }
        if (type.equals("jwt")) {
            throw Problems.invalidApiParams("Unsupported authorization type");
        }
        UserAccount user = directory.users(u -> u.email().equals(username) && u.domainName().equals(domain))
                .stream().findFirst()
                .filter(u -> u.password().equals(password))
                .orElseThrow(() -> Problems.authFailed("User credential mismatch."));
        if (user.status().equals("before-verification")) {
            throw Problems.authFailed("This account needs email verification.");
        }
        if (!user.isActive()) {
            throw Problems.authFailed("User credential mismatch.");
        }
        Keypair keypair = defaultKeypair(user.uuid())
                .orElseThrow(() -> Problems.authFailed("No API keypairs found."));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("response_type", "success");
        data.put("access_key", keypair.accessKey());
        data.put("secret_key", keypair.secretKey());
        data.put("role", user.role());
        data.put("status", user.status());
        data.put("session_token", UUID.randomUUID().toString());
        data.put("user_id", user.uuid().toString());
        data.put("type", "keypair");
        return ApiResponse.ok(Map.of("data", data));
    }

    /** The user's default keypair, whatever its state: the manager hands it out as it is. */
    private Optional<Keypair> defaultKeypair(UUID userId) {
        return directory.keypairs(k -> k.userId().equals(userId) && k.isDefault()).stream().findFirst();
    }

    /** Global, domain and (with {@code ?group=}) project role of the caller. */
    private ApiResponse role(ApiCall call) {
        Caller caller = call.caller();
        Map<String, Object> roles = new LinkedHashMap<>();
        roles.put("global_role", caller.isSuperadmin() ? "superadmin" : "user");
        roles.put("domain_role", caller.keypairIsAdmin() ? "admin" : "user");
        String group = call.request().queryValues("group").stream().findFirst().orElse(null);
        Object groupRole = null;
        if (group != null && !group.isEmpty()) {
            UUID groupId;
            try {
                groupId = UUID.fromString(group);
            } catch (IllegalArgumentException e) {
                throw Problems.invalidApiParameters("1 validation error for GetRoleRequest\ngroup\n"
                        + "  Input should be a valid UUID");
            }
            boolean member = directory.groupsOf(caller.userId()).stream().anyMatch(g -> g.id().equals(groupId));
            if (!member) {
                throw Problems.invalidApiParameters("No such project or you are not the member of it.");
            }
            groupRole = caller.keypairIsAdmin() ? "admin" : "user";
        }
        roles.put("group_role", groupRole);
        return ApiResponse.ok(roles);
    }
}
