package bai.scenarios.client;

/** The manager refused a REST call: carries its problem document. */
public final class ManagerRejection extends CallRefused {
    private final transient Problem problem;
    private final String call;

    public ManagerRejection(String call, Problem problem) {
        super(call + " was refused: " + problem);
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

    @Override
    public int status() {
        return problem.status();
    }

    @Override
    public String code() {
        return problem.typeSlug();
    }

    @Override
    public String errorCode() {
        return problem.errorCode();
    }

    @Override
    public String reason() {
        return problem.toString();
    }
}
