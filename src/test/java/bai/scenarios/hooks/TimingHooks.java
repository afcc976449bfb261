package bai.scenarios.hooks;

import bai.scenarios.timing.RunTimings;
import bai.scenarios.timing.ScenarioClock;
import io.cucumber.java.After;
import io.cucumber.java.Scenario;

/**
 * Hands the scenario's phase times ({@link ScenarioClock}) to the run report once every other
 * After hook, the fixtures' release included, has run (Cucumber runs lower orders last).
 */
public class TimingHooks {
    private final ScenarioClock clock;

    public TimingHooks(ScenarioClock clock) {
        this.clock = clock;
    }

    @After(order = -1_000_000)
    public void recordPhases(Scenario scenario) {
        RunTimings.finished(scenario.getId(), clock.snapshot());
    }
}
