package bai.scenarios.timing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands each finished scenario's phase times from the glue (which owns the scenario's
 * {@link ScenarioClock}) to the run report plugin (which sees the scenario's start, end and
 * outcome), keyed by Cucumber's test case id. Thread-safe: scenarios finish in parallel.
 */
public final class RunTimings {
    private static final Map<String, ScenarioClock.Times> FINISHED = new HashMap<>();

    private RunTimings() {
    }

    public static synchronized void finished(String testCaseId, ScenarioClock.Times times) {
        FINISHED.put(testCaseId, times);
    }

    /** The scenario's times, once: the plugin takes them when the scenario's TestCaseFinished arrives. */
    public static synchronized Optional<ScenarioClock.Times> take(String testCaseId) {
        return Optional.ofNullable(FINISHED.remove(testCaseId));
    }
}
