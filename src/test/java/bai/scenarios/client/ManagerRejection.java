package bai.scenarios.client;

/** The manager refused a call: carries its problem document. */
public final class ManagerRejection extends RuntimeException {
    private final transient Problem problem;
    private final String call;

    public ManagerRejection(String call, Problem problem) {
        super(call + " was refused: " + problem, null, false, false);
        this.call = call;
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** The refused call, e.g. {@code GET /auth}. */
    public String call() {
        return call;
    }
}
