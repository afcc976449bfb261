package bai.scenarios.hooks;

import bai.scenarios.client.transport.Exchange;
import bai.scenarios.config.SuiteTarget;
import bai.scenarios.world.Evidence;
import io.cucumber.java.AfterStep;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import org.opentest4j.TestAbortedException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Per-scenario reporting: names the target at the start of each scenario, and when a step
 * fails attaches the redacted HTTP exchanges the scenario made up to that point (the reports
 * show them at the failed step: {@code reports.AfterStepEvidence}).
 */
public class ScenarioHooks {
    private final Evidence evidence;
    private boolean evidenceAttached;

    public ScenarioHooks(Evidence evidence) {
        this.evidence = evidence;
    }

    @Before(order = 0)
    public void nameTarget(Scenario scenario) {
        SuiteTarget target = SuiteTarget.current();
        scenario.log("Target: " + target.describe() + "\n" + target.contractNotice());
        if (scenario.getSourceTagNames().contains("@emulator-only") && !target.isEmulator()) {
            throw new TestAbortedException("@emulator-only: needs the embedded emulator, the target is "
                    + target.describe());
        }
    }

    @AfterStep
    public void attachEvidenceOfFailedStep(Scenario scenario) {
        if (!scenario.isFailed() || evidenceAttached) {
            return;
        }
        evidenceAttached = true;
        List<Exchange> exchanges = evidence.exchanges();
        if (exchanges.isEmpty()) {
            scenario.log("The scenario sent no request to the manager before it failed.");
            return;
        }
        StringBuilder transcript = new StringBuilder();
        if (evidence.total() > exchanges.size()) {
            transcript.append("(the last ").append(exchanges.size()).append(" of ").append(evidence.total())
                    .append(" exchanges)\n\n");
        }
        for (Exchange exchange : exchanges) {
            transcript.append(exchange.render()).append("\n----\n");
        }
        scenario.attach(transcript.toString().getBytes(StandardCharsets.UTF_8), "text/plain",
                "HTTP exchanges up to the failure (" + exchanges.size() + ", secrets redacted)");
    }
}
