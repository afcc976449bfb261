package bai.scenarios.emulator.graphql;

/**
 * A resolver failure reported the way graphene reports the manager's errors: the field becomes
 * null and the error reads {@code "<title> (<msg>)"} with {@code extensions.code} = error code.
 */
public final class GqlError extends RuntimeException {
    private final String title;
    private final String detail;
    private final String code;

    public GqlError(String title, String detail, String code) {
        super(detail == null ? title : title + " (" + detail + ")", null, false, false);
        this.title = title;
        this.detail = detail;
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** A Python exception graphene reports as it is: its text, no {@code extensions.code}. */
    public static GqlError plain(String message) {
        return new GqlError(message, null, null);
    }

    public static GqlError forbidden(String detail) {
        return new GqlError("Forbidden operation.", detail, "backendai_generic_forbidden");
    }

    /** The manager's InsufficientPrivilege, raised bare by the users/groups resolvers. */
    public static GqlError insufficientPrivilege() {
        return new GqlError("Insufficient privilege.", null, "user_auth_forbidden");
    }

    /** Raised for roles the legacy resolvers do not know (e.g. monitor). */
    public static GqlError unknownClientRole() {
        return invalidParameters("Unknown client role");
    }

    public static GqlError invalidParameters(String detail) {
        return new GqlError("Invalid or Missing API Parameters.", detail, "api_parsing_invalid-parameters");
    }

    public static GqlError notFound(String objectName, String detail, String code) {
        return new GqlError("No such " + objectName + ".", detail, code);
    }

    @Override
    public String toString() {
        return getMessage() + " [" + code + "]" + (title == null ? "" : "");
    }
}
