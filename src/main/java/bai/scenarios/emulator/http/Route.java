package bai.scenarios.emulator.http;

/**
 * One registered route: method, path template (segments like {@code {id}}), access level,
 * handler, how large a body it reads (aiohttp's {@code client_max_size}, 1 MiB, unless the
 * handler streams its body as the manager's multipart uploads do), and whether it needs a
 * running manager (the manager's {@code all_status_mw}: a frozen manager refuses it with
 * {@code 503 server-frozen}; routes with {@code read_status_mw} or none also work while frozen).
 */
public record Route(String method, String template, AccessLevel access, Handler handler, long maxBodyBytes,
                    boolean runningOnly) {
    public static final long DEFAULT_MAX_BODY = 1024L * 1024;

    /** Answers one call on a route. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiCall call);
    }
}
