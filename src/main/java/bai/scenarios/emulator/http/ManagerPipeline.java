package bai.scenarios.emulator.http;

import bai.scenarios.emulator.threads.Futures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The manager's middleware chain, in its order: exception → auth → API version (and
 * {@code X-Method-Override}, 404/405) → rate limit → manager status (routes that need a running
 * manager) → route access check → handler.
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
    private final ManagerStatus status;

    public ManagerPipeline(Router router, Authenticator authenticator, RateLimiter rateLimiter) {
        this(router, authenticator, rateLimiter, new ManagerStatus());
    }

    public ManagerPipeline(Router router, Authenticator authenticator, RateLimiter rateLimiter, ManagerStatus status) {
        this.router = router;
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.status = status;
    }

    /**
     * A request that passed every check that needs only its request line and headers; its body
     * (if any) is read only now, so an unauthenticated caller cannot make the emulator read one.
     */
    public record Admission(Router.Match match, ApiRequest request, Caller caller, Map<String, String> rateHeaders,
                            ApiResponse rejection) {
        public boolean admitted() {
            return rejection == null;
        }

        /** The body limit of the route (a refused admission reads no body at all). */
        public long bodyLimit() {
            return admitted() ? match.route().maxBodyBytes() : 0;
        }
    }

    /** Answers one request whose body is already read; never throws. Handy for tests. */
    public ApiResponse handle(ApiRequest request) {
        Admission admission = admit(request);
        if (!admission.admitted()) {
            return admission.rejection();
        }
        return handle(admission, request.body());
    }

    /** Routing, authentication, API version, rate limit and the route's access level; never throws. */
    public Admission admit(ApiRequest request) {
        try {
            return checked(request);
        } catch (RuntimeException failure) {
            return new Admission(null, request, null, Map.of(), failure(request, failure));
        }
    }

    /**
     * Runs the admitted request's handler with its body; never throws. A deferred answer's
     * failure is mapped the same way when it completes.
     */
    public ApiResponse handle(Admission admission, byte[] body) {
        return handleWith(admission, admission.request().withBody(body));
    }

    /** Runs the handler of a request whose body exceeded the route's limit (only reading it fails). */
    public ApiResponse handleWithRefusedBody(Admission admission) {
        return handleWith(admission, admission.request().withBodyRefused(admission.bodyLimit()));
    }

    private ApiResponse handleWith(Admission admission, ApiRequest request) {
        ApiResponse response;
        try {
            response = admission.match().route().handler().handle(new ApiCall(request, admission.caller(),
                    admission.match().params()));
        } catch (RuntimeException failure) {
            response = failure(request, failure);
        }
        if (response.isDeferred()) {
            ApiRequest original = request;
            return ApiResponse.later(response.deferred().handle((later, failure) ->
                    decorate(failure != null ? failure(original, Futures.cause(failure)) : later, admission.rateHeaders())));
        }
        return decorate(response, admission.rateHeaders());
    }

    private Admission checked(ApiRequest request) {
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

        Map<String, String> rate = new LinkedHashMap<>();
        if (caller == null) {
            rate.put("X-RateLimit-Limit", "1000");
            rate.put("X-RateLimit-Remaining", "1000");
        } else {
            int used = rateLimiter.count(caller.accessKey());
            if (used > caller.rateLimit()) {
                throw Problems.rateLimitExceeded();
            }
            rate.put("X-RateLimit-Limit", String.valueOf(caller.rateLimit()));
            rate.put("X-RateLimit-Remaining", String.valueOf(caller.rateLimit() - used));
        }
        rate.put("X-RateLimit-Window", String.valueOf(RateLimiter.WINDOW_SECONDS));
        // The manager lists all_status_mw before auth_required on these routes, and checks the
        // status without looking at the role: frozen means frozen for everyone, superadmins too.
        if (match.route().runningOnly() && status.isFrozen()) {
            throw Problems.serverFrozen();
        }
        match.route().access().check(caller);
        return new Admission(match, request, caller, rate, null);
    }

    private static ApiResponse decorate(ApiResponse response, Map<String, String> rateHeaders) {
        response.headers().putAll(rateHeaders);
        response.headers().put("Server", "BackendAI");
        return response;
    }

    /** Any failure as the manager's problem+json; unexpected ones are logged, never shown. */
    public static ApiResponse failure(ApiRequest request, Throwable failure) {
        ApiResponse response;
        if (failure instanceof ApiError error) {
            response = ApiResponse.problem(error);
        } else {
            // The failure's own message may carry caller text (a NUL, a line break): escaped on its line,
            // the stack trace (whose first line repeats it) only at FINE.
            LOG.warning("uncaught error in " + LogText.escape(request.method()) + " " + LogText.escape(request.path())
                    + ": " + LogText.escape(String.valueOf(failure)));
            LOG.log(Level.FINE, "stack trace of the uncaught error above", failure);
            response = ApiResponse.problem(Problems.internalServerError());
        }
        response.headers().put("Server", "BackendAI");
        return response;
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
