package bai.scenarios.emulator.http;

/** One registered route: method, path template (segments like {@code {id}}), access level, handler. */
public record Route(String method, String template, AccessLevel access, Handler handler) {

    /** Answers one call on a route. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiCall call);
    }
}
