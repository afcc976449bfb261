package bai.scenarios.reports;

import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.TestStep;

import java.util.List;
import java.util.Optional;

/**
 * What an {@code @AfterStep} hook attaches belongs to the step it ran after. Cucumber binds it to
 * the hook's own test step, which the HTML report folds away among the scenario's "N hooks", and the
 * suite's hook attaches exactly the evidence a reader needs beside a failed step: the redacted HTTP
 * exchanges ({@code hooks.ScenarioHooks}). So such an attachment is bound to the Gherkin step
 * before the hook, in every report.
 */
final class AfterStepEvidence {
    private final RunIndex index;

    AfterStepEvidence(RunIndex index) {
        this.index = index;
    }

    Attachment bindToItsStep(Attachment attachment) {
        return attachment.getTestStepId()
                .flatMap(index::testStep)
                .filter(index::isAfterStepHook)
                .flatMap(hook -> gherkinStepBefore(hook.getId()))
                .map(step -> Attachments.movedTo(attachment, step))
                .orElse(attachment);
    }

    private Optional<String> gherkinStepBefore(String hookStepId) {
        List<TestStep> steps = index.stepsAround(hookStepId);
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).getId().equals(hookStepId)) {
                for (int j = i - 1; j >= 0; j--) {
                    if (steps.get(j).getPickleStepId().isPresent()) {
                        return Optional.of(steps.get(j).getId());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
