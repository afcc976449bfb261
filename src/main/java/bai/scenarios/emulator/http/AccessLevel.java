package bai.scenarios.emulator.http;

/** Who may call a route: the manager's {@code auth_required} family of route decorators. */
public enum AccessLevel {
    /** No credentials checked; an Authorization header is ignored. */
    PUBLIC,
    /** Any active keypair. */
    USER,
    /** A keypair whose {@code is_admin} flag is set (not the user's role). */
    ADMIN,
    /** A user whose role is {@code superadmin}. */
    SUPERADMIN;

    /** Applies the route-level check after authentication, as the manager's decorators do. */
    public void check(Caller caller) {
        if (this == PUBLIC) {
            return;
        }
        if (caller == null) {
            throw Problems.authFailed("Unauthorized access");
        }
        if (this == ADMIN && !caller.keypairIsAdmin()) {
            throw Problems.genericForbidden("Insufficient privileges");
        }
        if (this == SUPERADMIN && !caller.isSuperadmin()) {
            throw Problems.genericForbidden("Insufficient privileges");
        }
    }
}
