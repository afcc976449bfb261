package bai.scenarios.steps;

import bai.scenarios.client.CallRefused;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Then;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about how the manager answered the scenario's last call. */
@Glossary(value = "Refused calls", order = 5)
public class OutcomeSteps {
    private final LastOutcome outcome;

    public OutcomeSteps(LastOutcome outcome) {
        this.outcome = outcome;
    }

    @Glossary(value = "the last \"tries to …\" step was refused by the manager, for this reason (see Refusals)",
            reads = "the last call's outcome")
    @Then("the call is refused {refusal}")
    public void callIsRefused(Refusal refusal) {
        CallRefused rejection = outcome.rejection();
        assertThat(refusal.matches(rejection)).as("%s is a refusal %s", rejection.getMessage(), refusal.phrase())
                .isTrue();
    }
}
