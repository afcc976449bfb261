package bai.scenarios.hooks;

import bai.scenarios.config.SuiteConfig.KeepFixtures;
import bai.scenarios.config.SuiteTarget;
import bai.scenarios.fixtures.CleanupLedger;
import bai.scenarios.fixtures.RunLeaks;
import bai.scenarios.timing.Phase;
import bai.scenarios.timing.ScenarioClock;
import io.cucumber.java.After;
import io.cucumber.java.Scenario;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Releases the scenario's fixtures newest-first after it ends, pass or fail, unless
 * {@code bai.keep-fixtures=on-failure} keeps a failed scenario's fixtures for inspection.
 * Runs before the other After hooks (Cucumber runs higher orders first).
 */
public class FixtureHooks {
    private final CleanupLedger ledger;
    private final ScenarioClock clock;

    public FixtureHooks(CleanupLedger ledger, ScenarioClock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @After(order = 10_000)
    public void releaseFixtures(Scenario scenario) {
        if (ledger.entries().isEmpty()) {
            return;
        }
        KeepFixtures keep = SuiteTarget.current().config().keepFixtures();
        if (scenario.isFailed() && keep == KeepFixtures.ON_FAILURE) {
            List<CleanupLedger.Entry> kept = ledger.abandon();
            kept.forEach(entry -> RunLeaks.kept(entry.description()));
            scenario.log("Kept for inspection (bai.keep-fixtures=on-failure):\n"
                    + kept.stream().map(e -> "- " + e.description()).collect(Collectors.joining("\n")));
            return;
        }
        int count = ledger.entries().size();
        List<CleanupLedger.Failure> failures = clock.time(Phase.TEARDOWN, ledger::releaseAll);
        if (failures.isEmpty()) {
            scenario.log("Released " + count + " fixture(s).");
            return;
        }
        failures.forEach(failure -> RunLeaks.failedToRelease(scenario.getName(), failure));
        scenario.attach(failures.stream().map(f -> "- " + f.description() + ": " + f.reason())
                        .collect(Collectors.joining("\n")), "text/plain",
                "Fixtures that could not be released (" + failures.size() + ")");
    }
}
