package bai.scenarios.reports;

import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.AttachmentContentEncoding;
import io.cucumber.messages.types.TestStepFinished;
import io.cucumber.messages.types.TestStepResultStatus;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Advice for a step no step definition matches, for someone who writes features and not Java:
 * the closest existing steps ("did you mean …?") and where every step is listed (the glossary),
 * instead of only Cucumber's Java snippet. It goes into the reports as an attachment at the
 * undefined step, and onto the console as soon as the scenario has run (so before the snippets
 * Cucumber's summary prints at the end; once per distinct step text).
 */
final class UndefinedStepAdvice {
    static final String GLOSSARY = "features/GLOSSARY.md (and reports/glossary.html after a run)";
    static final int SUGGESTIONS = 3;

    private final RunIndex index;
    private final PrintStream console;
    private final Set<String> told = new HashSet<>();

    UndefinedStepAdvice(RunIndex index, PrintStream console) {
        this.index = index;
        this.console = console;
    }

    /**
     * The advice for an undefined step, bound to it; empty for any other step. A step no definition
     * matches finishes as undefined, or as skipped when an earlier step of its scenario already
     * failed or was undefined: it needs the advice all the same.
     */
    Optional<Attachment> adviceFor(TestStepFinished finished) {
        boolean undefined = finished.getTestStepResult().getStatus() == TestStepResultStatus.UNDEFINED
                || index.matchesNoDefinition(finished.getTestStepId());
        if (!undefined) {
            return Optional.empty();
        }
        return index.writtenStep(finished.getTestStepId()).map(step -> {
            List<StepSuggestions.Suggestion> closest = index.suggestions().closest(step.text(), SUGGESTIONS);
            if (told.add(step.text())) {
                console.print(consoleText(step, closest));
            }
            return new Attachment(reportText(closest), AttachmentContentEncoding.IDENTITY,
                    closest.isEmpty() ? "No step matches this one" : "No step matches this one. Did you mean …?",
                    "text/plain", null, finished.getTestCaseStartedId(), finished.getTestStepId(), null, null, null,
                    finished.getTimestamp());
        });
    }

    static String reportText(List<StepSuggestions.Suggestion> closest) {
        StringBuilder text = new StringBuilder();
        if (closest.isEmpty()) {
            text.append("No existing step is close to this one.\n");
        } else {
            text.append("The closest existing steps ({…} is a value you choose, a/b means a or b):\n");
            closest.forEach(suggestion -> text.append("  ").append(suggestion.pattern()).append('\n'));
        }
        return text.append("\nEvery step the suite understands, with examples: ").append(GLOSSARY).append('\n').toString();
    }

    static String consoleText(RunIndex.WrittenStep step, List<StepSuggestions.Suggestion> closest) {
        StringBuilder text = new StringBuilder("\nbai-scenarios: undefined step")
                .append(step.location().isEmpty() ? "" : " at " + step.location()).append(":\n")
                .append("    ").append(step.keyword().isEmpty() ? "" : step.keyword() + " ").append(step.text()).append('\n');
        if (closest.isEmpty()) {
            text.append("  No existing step is close to it.\n");
        } else {
            text.append("  Did you mean:\n");
            closest.forEach(suggestion -> text.append("    ").append(suggestion.pattern()).append('\n'));
        }
        return text.append("  Every step the suite understands: ").append(GLOSSARY).append("\n\n").toString();
    }
}
