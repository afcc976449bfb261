package bai.scenarios.emulator.http;

/** The manager's auth middleware for routes that require authentication. */
public interface Authenticator {
    /**
     * Verifies the request's credentials.
     *
     * @return the caller, or null when the request carries no credentials at all (the route's
     *     access check then refuses it)
     * @throws ApiError with the manager's status and problem type when verification fails
     */
    Caller authenticate(ApiRequest request);
}
