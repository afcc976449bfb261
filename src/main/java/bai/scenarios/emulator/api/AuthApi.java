package bai.scenarios.emulator.api;

import bai.scenarios.emulator.auth.SshKeypairs;
import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Directory.LoginSession;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code /auth}: the signed echo test, login with a password, the caller's roles, and the SSH
 * keypair of the caller's access key (read, generate, upload).
 */
public final class AuthApi {
    /** The manager's {@code auth.login_session_max_age} default (7 days). */
    static final Duration LOGIN_SESSION_MAX_AGE = Duration.ofSeconds(604800);
    private final Directory directory;
    private final SshKeypairs sshKeypairs;
    private final Executor slowWork;

    private AuthApi(Directory directory, SshKeypairs sshKeypairs, Executor slowWork) {
        this.directory = directory;
        this.sshKeypairs = sshKeypairs;
        this.slowWork = slowWork;
    }

    /**
     * @param slowWork where key generation runs (the agents' pool): it takes tens of
     *     milliseconds and more, so no request worker does it
     */
    public static void register(Router router, Directory directory, SshKeypairs sshKeypairs, Executor slowWork) {
        AuthApi api = new AuthApi(directory, sshKeypairs, slowWork);
        for (String path : new String[] {"/auth", "/auth/test"}) {
            router.add("GET", path, AccessLevel.USER, call -> echo(""));
            router.add("POST", path, AccessLevel.USER, AuthApi::echoBody);
        }
        router.add("POST", "/auth/authorize", AccessLevel.PUBLIC, api::authorize);
        router.add("GET", "/auth/role", AccessLevel.USER, api::role);
        router.add("GET", "/auth/ssh-keypair", AccessLevel.USER, api::sshPublicKey);
        router.add("PATCH", "/auth/ssh-keypair", AccessLevel.USER, api::generateSshKeypair);
        router.add("POST", "/auth/ssh-keypair", AccessLevel.USER, api::uploadSshKeypair);
    }

    private static ApiResponse echoBody(ApiCall call) {
        return echo(ApiCall.requiredString(call.jsonBody(), "VerifyAuthRequest", "echo"));
    }

    private static ApiResponse echo(String text) {
        return ApiResponse.ok(RootApi.ordered("authorized", "yes", "echo", text));
    }

    /**
     * User id (e-mail) and password in, the user's default keypair out. Each success opens a
     * login session, capped by the user resource policy's {@code max_concurrent_logins}.
     */
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
            // The auth service raises the common InvalidAPIParameters here (generic-bad-request).
            throw Problems.invalidApiParameters("Unsupported authorization type");
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
        boolean force = body.path("force").asBoolean(false);
        String clientType = body.hasNonNull("client_type_id") ? body.get("client_type_id").asText() : null;
        String token = directory.atomically(() -> openLoginSession(user, clientType, force));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("response_type", "success");
        data.put("access_key", keypair.accessKey());
        data.put("secret_key", keypair.secretKey());
        data.put("role", user.role());
        data.put("status", user.status());
        data.put("session_token", token);
        data.put("user_id", user.uuid().toString());
        data.put("type", "keypair");
        return ApiResponse.ok(Map.of("data", data));
    }

    /**
     * The manager's {@code _create_login_session}, under the state lock: the user's live login
     * sessions (older than the login session max age are gone) against her resource policy's
     * {@code max_concurrent_logins}, then a new session, then the evicted ones removed.
     */
    private String openLoginSession(UserAccount user, String clientType, boolean force) {
        Integer cap = directory.userPolicy(user.resourcePolicy()).map(UserResourcePolicy::maxConcurrentLogins)
                .orElse(null);
        List<LoginSession> live = directory.liveLoginSessions(user.uuid(), clientType,
                Instant.now().minus(LOGIN_SESSION_MAX_AGE));
        List<String> evicted = loginSessionsToEvict(cap, live, force);
        LoginSession session = new LoginSession(UUID.randomUUID().toString(), user.uuid(), clientType, Instant.now());
        directory.addLoginSession(session);
        directory.removeLoginSessions(user.uuid(), evicted);
        return session.token();
    }

    /**
     * {@code _enforce_max_concurrent_logins}: no cap, or below it, evicts nothing; at or over it,
     * {@code force} evicts the oldest sessions down to one below the cap and refusal is
     * {@code TooManyConcurrentLoginSessions}; a cap of 0 (or less) refuses every login.
     */
    public static List<String> loginSessionsToEvict(Integer cap, List<LoginSession> liveOldestFirst, boolean force) {
        if (cap == null) {
            return List.of();
        }
        if (cap <= 0) {
            throw Problems.tooManyConcurrentLoginSessions();
        }
        int count = liveOldestFirst.size();
        if (count < cap) {
            return List.of();
        }
        if (!force) {
            throw Problems.tooManyConcurrentLoginSessions();
        }
        return liveOldestFirst.subList(0, count - cap + 1).stream().map(LoginSession::token).toList();
    }

    /** The user's default keypair, whatever its state: the manager hands it out as it is. */
    private Optional<Keypair> defaultKeypair(UUID userId) {
        return directory.keypairs(k -> k.userId().equals(userId) && k.isDefault()).stream().findFirst();
    }

    /**
     * Global, domain and (with {@code ?group=}) project role of the caller. The project role is
     * always {@code user} (per-project roles are not implemented in the manager); superadmins get
     * it for any project without a membership check, others must be members.
     */
    private ApiResponse role(ApiCall call) {
        Caller caller = call.caller();
        Map<String, Object> roles = new LinkedHashMap<>();
        roles.put("global_role", caller.isSuperadmin() ? "superadmin" : "user");
        roles.put("domain_role", caller.keypairIsAdmin() ? "admin" : "user");
        String group = call.request().queryValues("group").stream().findFirst().orElse(null);
        Object groupRole = null;
        if (group != null) {
            UUID groupId;
            try {
                groupId = UUID.fromString(group);
            } catch (IllegalArgumentException e) {
                throw Problems.invalidApiParameters("1 validation error for GetRoleRequest\ngroup\n"
                        + "  Input should be a valid UUID");
            }
            if (!caller.isSuperadmin()
                    && directory.groupsOf(caller.userId()).stream().noneMatch(g -> g.id().equals(groupId))) {
                throw Problems.objectNotFound("project (user group)",
                        "No such project or you are not the member of it.");
            }
            groupRole = "user";
        }
        roles.put("group_role", groupRole);
        return ApiResponse.ok(roles);
    }

    /** The public key of the caller's access key; an empty string when it has none. */
    private ApiResponse sshPublicKey(ApiCall call) {
        return ApiResponse.ok(Map.of("ssh_public_key", sshKeypairs.publicKey(call.caller().accessKey()).orElse("")));
    }

    /** A new RSA keypair for the caller's access key, both keys in the answer. */
    private ApiResponse generateSshKeypair(ApiCall call) {
        String accessKey = call.caller().accessKey();
        return ApiResponse.later(CompletableFuture.supplyAsync(() -> {
            SshKeypairs.Pair pair = SshKeypairs.generate();
            sshKeypairs.store(accessKey, pair);
            return ApiResponse.ok(pairAnswer(pair));
        }, slowWork));
    }

    /** An uploaded pair, stored once it proves to be a matching pair (each key ends in one newline). */
    private ApiResponse uploadSshKeypair(ApiCall call) {
        JsonNode body = call.jsonBody();
        String pubkey = ApiCall.requiredString(body, "UploadSSHKeypairRequest", "pubkey").stripTrailing() + "\n";
        String privkey = ApiCall.requiredString(body, "UploadSSHKeypairRequest", "privkey").stripTrailing() + "\n";
        String accessKey = call.caller().accessKey();
        return ApiResponse.later(CompletableFuture.supplyAsync(() -> {
            SshKeypairs.validate(privkey, pubkey);
            SshKeypairs.Pair pair = new SshKeypairs.Pair(pubkey, privkey);
            sshKeypairs.store(accessKey, pair);
            return ApiResponse.ok(pairAnswer(pair));
        }, slowWork));
    }

    private static Map<String, Object> pairAnswer(SshKeypairs.Pair pair) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ssh_public_key", pair.publicKey());
        answer.put("ssh_private_key", pair.privateKey());
        return answer;
    }
}
