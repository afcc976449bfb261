package bai.scenarios.client;

/** The manager could not be reached at all (refused, unknown host, timed out). */
public final class ManagerUnreachable extends RuntimeException {
    public ManagerUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
