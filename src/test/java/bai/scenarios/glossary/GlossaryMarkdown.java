package bai.scenarios.glossary;

import bai.scenarios.glossary.StepGlossary.Group;
import bai.scenarios.glossary.StepGlossary.ParameterDoc;
import bai.scenarios.glossary.StepGlossary.RefusalDoc;
import bai.scenarios.glossary.StepGlossary.StepDoc;

import java.util.Locale;

/**
 * The glossary as Markdown, {@code features/GLOSSARY.md}: checked in beside the features, so QA
 * reads it where they write; {@code GlossaryTest} fails when it no longer matches the glue.
 */
public final class GlossaryMarkdown {
    /** How to regenerate it, said in the file and in the stale-file failure. */
    public static final String REGENERATE = "mvn -q test-compile exec:java -Dexec.classpathScope=test"
            + " -Dexec.mainClass=bai.scenarios.glossary.GlossaryMain";

    private GlossaryMarkdown() {
    }

    public static String render(StepGlossary glossary) {
        StringBuilder md = new StringBuilder();
        md.append("# Step glossary\n\n");
        md.append("Every step the scenarios can use, generated from the glue code (do not edit: regenerate with\n`")
                .append(REGENERATE).append("`; a test fails when this file is stale). The same\n")
                .append("glossary is written beside every run's report as `reports/glossary.html`.\n\n");
        md.append(GlossaryText.HOW_TO_READ).append("\n\n");
        md.append("## Contents\n\n");
        md.append("- [Words the steps refer to](#words-the-steps-refer-to)\n");
        md.append("- [Parameter types](#parameter-types)\n");
        md.append("- [Refusals: \"Then the call is refused …\"](#refusals)\n");
        for (Group group : glossary.groups()) {
            md.append("- [").append(group.title()).append("](#").append(anchor(group.title())).append(") (")
                    .append(group.steps().size()).append(")\n");
        }
        md.append("\n## Words the steps refer to\n\n").append(GlossaryText.STATE_WORDS).append("\n");

        md.append("\n## Parameter types\n\n| parameter | accepts | meaning |\n| --- | --- | --- |\n");
        for (ParameterDoc p : glossary.parameterTypes()) {
            md.append("| `{").append(p.name()).append("}` | ").append(cell(p.accepts())).append(" | ")
                    .append(cell(p.meaning())).append(" |\n");
        }
        md.append("\nCucumber's own: `{string}` (text in double or single quotes), `{int}` (a whole number),"
                + " `{word}` (one word without spaces).\n");

        md.append("\n<a id=\"refusals\"></a>\n## Refusals: \"Then the call is refused …\"\n\n")
                .append(GlossaryText.REFUSALS).append("\n\n| phrase | the manager's answers it accepts |\n| --- | --- |\n");
        for (RefusalDoc r : glossary.refusals()) {
            md.append("| `").append(r.phrase()).append("` | ").append(cell(String.join("; ", r.accepts())))
                    .append(" |\n");
        }

        for (Group group : glossary.groups()) {
            md.append("\n## ").append(group.title()).append("\n");
            for (StepDoc step : group.steps()) {
                md.append("\n### ").append(step.keyword()).append(" `").append(step.expression()).append("`\n\n");
                md.append(capitalised(step.meaning())).append(".\n\n");
                md.append("- Outcome: ").append(outcome(step)).append("\n");
                if (!step.reads().isEmpty()) {
                    md.append("- Reads: ").append(step.reads()).append("\n");
                }
                if (!step.sets().isEmpty()) {
                    md.append("- Sets: ").append(step.sets()).append("\n");
                } else if (!step.keyword().equals("Then")) {
                    md.append("- Sets: nothing the later steps refer to\n");
                }
                if (step.example() == null) {
                    md.append("- Example: unused\n");
                } else {
                    md.append("- Example: `").append(step.example().keyword()).append(" ").append(step.example().text())
                            .append("` (").append(step.example().location()).append(step.uses() > 1
                                    ? "; used " + step.uses() + " times" : "").append(")\n");
                }
            }
        }
        return md.toString();
    }

    /** Whether a step must succeed, records a refusal, or checks. */
    static String outcome(StepDoc step) {
        if (step.isAttempt()) {
            return "plain, it must succeed (a refusal fails the step with the manager's answer); with `tries to` /"
                    + " `try to` it records the outcome, refusal included, for `Then the call is refused …`";
        }
        return switch (step.keyword()) {
            case "Given" -> "prepares; it must succeed";
            case "When" -> "must succeed (a refusal fails the step with the manager's answer)";
            default -> "checks; fails with what it found instead";
        };
    }

    static String anchor(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").trim().replace(' ', '-');
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? "(undocumented)" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
