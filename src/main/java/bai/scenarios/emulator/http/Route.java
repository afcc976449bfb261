package bai.scenarios.emulator.http;

/**
 * One registered route: method, path template (segments like {@code {id}}), access level,
 * handler, and how large a body it reads (aiohttp's {@code client_max_size}, 1 MiB, unless the
 * handler streams its body as the manager's multipart uploads do).
 */
public record Route(String method, String template, AccessLevel access, Handler handler, long maxBodyBytes) {
    public static final long DEFAULT_MAX_BODY = 1024L * 1024;

    /** Answers one call on a route. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiCall call);
    }
}
