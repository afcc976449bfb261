package bai.scenarios.timing;

import java.util.Locale;

/**
 * Where a scenario's time goes. Each nanosecond of a scenario belongs to at most one phase, the
 * innermost one open at the time; requests made inside a phase count towards that phase, and
 * {@link #REQUESTS} holds only the requests made outside every other phase. What no phase covers
 * (step glue, assertions, Cucumber itself) is reported as "other".
 */
public enum Phase {
    /** Creating the scenario's fixtures: domains, projects, users, keypairs, policies, sessions (the enqueue). */
    FIXTURES("fixture creation"),
    /** The scenario's own requests outside every other phase. */
    REQUESTS("requests"),
    /** Waiting for the target to reach a state (a session ending, staying pending, ...). */
    WAITING("waiting for state"),
    /** Waiting for a session's kernels to be RUNNING (or a blocking create to answer). */
    KERNEL_START("kernel start"),
    /** Running code in a session, the continue/input loop included. */
    EXECUTION("execution"),
    /** Releasing the scenario's fixtures after it ended. */
    TEARDOWN("teardown");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** What people read: "fixture creation". */
    public String label() {
        return label;
    }

    /** The key in the JSON reports: "fixtures", "kernel_start". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
