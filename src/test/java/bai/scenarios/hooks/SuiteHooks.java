package bai.scenarios.hooks;

import bai.scenarios.config.PreflightFailure;
import bai.scenarios.config.SuiteConfig;
import bai.scenarios.config.SuiteTarget;
import io.cucumber.java.AfterAll;
import io.cucumber.java.BeforeAll;

/**
 * Starts the run's target once (the configured manager, or the embedded emulator), runs the
 * preflight, and stops the emulator after the last scenario.
 */
public class SuiteHooks {

    @BeforeAll
    public static void startTarget() {
        try {
            SuiteTarget target = SuiteTarget.start(SuiteConfig.fromEnvironment());
            System.out.println("bai-scenarios target: " + target.describe()
                    + (target.isEmulator() ? ", started in " + target.emulatorStartMillis() + " ms" : ""));
            System.out.println("bai-scenarios " + target.contractNotice());
        } catch (PreflightFailure failure) {
            System.err.println("bai-scenarios: " + failure.getMessage());
            throw failure;
        }
    }

    @AfterAll
    public static void stopTarget() {
        SuiteTarget.stop();
    }
}
