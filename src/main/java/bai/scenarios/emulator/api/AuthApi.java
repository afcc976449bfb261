package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Router;

/** {@code /auth}: the signed echo test that proves a keypair works. */
public final class AuthApi {
    private AuthApi() {
    }

    public static void register(Router router) {
        for (String path : new String[] {"/auth", "/auth/test"}) {
            router.add("GET", path, AccessLevel.USER, call -> echo(""));
            router.add("POST", path, AccessLevel.USER, AuthApi::echoBody);
        }
    }

    private static ApiResponse echoBody(ApiCall call) {
        return echo(ApiCall.requiredString(call.jsonBody(), "VerifyAuthRequest", "echo"));
    }

    private static ApiResponse echo(String text) {
        return ApiResponse.ok(RootApi.ordered("authorized", "yes", "echo", text));
    }
}
