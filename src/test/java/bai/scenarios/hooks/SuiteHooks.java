package bai.scenarios.hooks;

import bai.scenarios.config.DestructiveGuard;
import bai.scenarios.config.PreflightFailure;
import bai.scenarios.config.SuiteConfig;
import bai.scenarios.config.SuiteTarget;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.fixtures.FixtureNames;
import bai.scenarios.fixtures.Leftovers;
import bai.scenarios.fixtures.RunLeaks;
import bai.scenarios.selection.TagSelection;
import io.cucumber.java.AfterAll;

import java.util.List;
import io.cucumber.java.BeforeAll;

/**
 * Starts the run's target once (the configured manager, or the embedded emulator), runs the
 * preflight, and stops the emulator after the last scenario.
 */
public class SuiteHooks {

    @BeforeAll
    public static void startTarget() {
        // Waits evaluate their condition on the waiting thread: no thread per wait (over a thousand
        // a run). Each condition is a request with its own timeout, so atMost still bounds a wait.
        org.awaitility.Awaitility.pollInSameThread();
        try {
            SuiteConfig config = SuiteConfig.fromEnvironment();
            DestructiveGuard.refusal(config.endpoint(), TagSelection.ofThisRun().runningWith(DestructiveGuard.TAG),
                    System.getProperties(), System.getenv()).ifPresent(line -> {
                        throw new PreflightFailure(line);
                    });
            SuiteTarget target = SuiteTarget.start(config);
            System.out.println("bai-scenarios target: " + target.describe()
                    + (target.isEmulator() ? ", started in " + target.emulatorStartMillis() + " ms" : "")
                    + ", preflight passed after " + target.readyMillis() + " ms");
            System.out.println("bai-scenarios " + target.contractNotice());
        } catch (PreflightFailure failure) {
            System.err.println("bai-scenarios: " + failure.getMessage());
            throw failure;
        }
    }

    /**
     * Fails the run if anything of this run is left on the target, or could not be released;
     * fixtures kept on purpose (bai.keep-fixtures=on-failure) are listed, not counted.
     */
    @AfterAll(order = 100)
    public static void checkForLeaks() {
        if (SuiteTarget.started().isEmpty()) {
            return; // the preflight failed: nothing ran, nothing to check
        }
        SuiteTarget target = SuiteTarget.current();
        ManagerClient superadmin = target.client(target.configuredCredentials(), exchange -> { });
        List<String> kept = RunLeaks.kept();
        List<String> leaked = Leftovers.find(superadmin, FixtureNames.runPrefix()).describe().stream()
                .filter(line -> kept.stream().noneMatch(k -> k.startsWith(line.split(" \\(")[0])))
                .toList();
        if (!kept.isEmpty()) {
            System.out.println("bai-scenarios kept for inspection: " + String.join(", ", kept));
        }
        List<String> failures = RunLeaks.failedReleases();
        if (leaked.isEmpty() && failures.isEmpty()) {
            System.out.println("bai-scenarios leak check: nothing of this run (" + FixtureNames.runPrefix()
                    + "*) is left on the target" + (kept.isEmpty() ? "" : " but the " + kept.size()
                    + " fixture(s) kept for inspection"));
            return;
        }
        String report = "Leak check failed: " + (leaked.isEmpty() ? "" : "left on the target: " + String.join("; ", leaked))
                + (failures.isEmpty() ? "" : (leaked.isEmpty() ? "" : ". ") + "releases that failed: "
                + String.join("; ", failures));
        System.err.println("bai-scenarios " + report);
        throw new AssertionError(report);
    }

    @AfterAll(order = 0)
    public static void stopTarget() {
        SuiteTarget.stop();
    }
}
