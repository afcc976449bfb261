package bai.scenarios.emulator.http;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The manager's middleware chain, in its order: exception → auth → API version (and
 * {@code X-Method-Override}, 404/405) → rate limit → route access check → handler.
 * Every failure becomes problem+json; nothing escapes as a crash.
 */
public final class ManagerPipeline {
    private static final Logger LOG = Logger.getLogger(ManagerPipeline.class.getName());

    /** The API versions the manager accepts in {@code X-BackendAI-Version}. */
    public static final Set<String> VALID_VERSIONS = Set.of(
            "v4.20181215", "v4.20190115", "v4.20190315", "v4.20190615", "v5.20191215", "v6.20200815",
            "v6.20220315", "v6.20220615", "v6.20221201", "v6.20230315", "v7.20230615", "v8.20240315",
            "v8.20240915", "v9.20250722");
    public static final String LATEST_VERSION = "v9.20250722";

    private final Router router;
    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;

    public ManagerPipeline(Router router, Authenticator authenticator, RateLimiter rateLimiter) {
        this.router = router;
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
    }

    /** Answers one request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        ApiResponse response;
        try {
            response = dispatch(request);
        } catch (ApiError error) {
            response = ApiResponse.problem(error);
        } catch (RuntimeException unexpected) {
            LOG.log(Level.WARNING, "uncaught error in " + request.method() + " " + request.path(), unexpected);
            response = ApiResponse.problem(Problems.internalServerError());
        }
        response.headers().put("Server", "BackendAI");
        return response;
    }

    private ApiResponse dispatch(ApiRequest request) {
        Router.Match match = router.match(request.method(), request.path());
        Caller caller = null;
        if (match.found() && match.route().access() != AccessLevel.PUBLIC) {
            caller = authenticator.authenticate(request);
        }

        String override = request.header("X-Method-Override");
        if (override != null && !override.isEmpty()) {
            request = request.withMethod(override);
            match = router.match(override, request.path());
        }
        if (!match.found()) {
            throw match.failure(request.path());
        }
        checkApiVersion(request);

        if (caller == null) {
            ApiResponse response = run(match, request, null);
            response.headers().put("X-RateLimit-Limit", "1000");
            response.headers().put("X-RateLimit-Remaining", "1000");
            response.headers().put("X-RateLimit-Window", String.valueOf(RateLimiter.WINDOW_SECONDS));
            return response;
        }
        int used = rateLimiter.count(caller.accessKey());
        if (used > caller.rateLimit()) {
            throw Problems.rateLimitExceeded();
        }
        ApiResponse response = run(match, request, caller);
        response.headers().put("X-RateLimit-Limit", String.valueOf(caller.rateLimit()));
        response.headers().put("X-RateLimit-Remaining", String.valueOf(caller.rateLimit() - used));
        response.headers().put("X-RateLimit-Window", String.valueOf(RateLimiter.WINDOW_SECONDS));
        return response;
    }

    private static ApiResponse run(Router.Match match, ApiRequest request, Caller caller) {
        match.route().access().check(caller);
        return match.route().handler().handle(new ApiCall(request, caller, match.params()));
    }

    private static void checkApiVersion(ApiRequest request) {
        String version = request.header("X-BackendAI-Version");
        if (version == null || version.isEmpty()) {
            version = request.header("X-Sorna-Version");
        }
        // No header at all means the v5 default; anything unknown is refused, public routes included.
        if (version != null && !version.isEmpty() && !VALID_VERSIONS.contains(version)) {
            throw Problems.genericBadRequest("Unsupported API version.");
        }
    }
}
