package bai.scenarios.client;

/**
 * The admin GraphQL endpoint refused an operation: either an entry in {@code errors} (even with
 * HTTP 200) or a legacy mutation answering {@code ok: false} with a message.
 */
public final class GraphQLRejection extends CallRefused {
    private final String operation;
    private final String code;
    private final String reason;
    private final boolean mutationNotOk;

    private GraphQLRejection(String operation, String code, String reason, boolean mutationNotOk) {
        super("GraphQL " + operation + " was refused: " + reason + (code == null ? "" : " [" + code + "]"));
        this.operation = operation;
        this.code = code;
        this.reason = reason;
        this.mutationNotOk = mutationNotOk;
    }

    static GraphQLRejection error(String operation, String message, String code) {
        return new GraphQLRejection(operation, code, message, false);
    }

    static GraphQLRejection notOk(String operation, String msg) {
        return new GraphQLRejection(operation, null, msg, true);
    }

    public String operation() {
        return operation;
    }

    /** True when a legacy mutation answered {@code ok: false} rather than raising an error. */
    public boolean mutationNotOk() {
        return mutationNotOk;
    }

    @Override
    public int status() {
        return 200;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String reason() {
        return reason;
    }
}
