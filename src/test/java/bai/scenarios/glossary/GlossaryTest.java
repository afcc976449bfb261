package bai.scenarios.glossary;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The glossary tells the truth: the checked-in Markdown is what the glue generates now, every step
 * and parameter type is documented, every step is used by a scenario, and every feature step
 * matches exactly one step.
 */
class GlossaryTest {
    private static final StepGlossary GLOSSARY = StepGlossary.build(Path.of("features"));

    @Test
    void theCheckedInGlossaryIsNotStale() throws IOException {
        assertThat(Files.readString(GlossaryMain.MARKDOWN))
                .as("%s is stale; regenerate it with: %s", GlossaryMain.MARKDOWN, GlossaryMarkdown.REGENERATE)
                .isEqualTo(GlossaryMarkdown.render(GLOSSARY));
    }

    @Test
    void everyStepAndParameterTypeIsDocumented() {
        assertThat(GLOSSARY.undocumented()).as("steps and parameter types without @Glossary").isEmpty();
        assertThat(GLOSSARY.steps()).allSatisfy(step -> assertThat(step.meaning()).as(step.expression()).isNotBlank());
    }

    @Test
    void everyFeatureStepMatchesExactlyOneStep() {
        assertThat(GLOSSARY.mismatches()).as("feature steps that match no step, or several").isEmpty();
    }

    @Test
    void everyStepIsUsedByAScenario() {
        assertThat(GLOSSARY.steps()).filteredOn(step -> step.example() == null)
                .extracting(StepGlossary.StepDoc::expression).as("steps no scenario uses").isEmpty();
    }

    @Test
    void theHtmlPageHoldsEveryStepAndLinksBackToTheReport() {
        String html = GlossaryHtml.render(GLOSSARY);
        assertThat(html).contains("href=\"cucumber.html\"");
        GLOSSARY.steps().forEach(step -> assertThat(html).contains(GlossaryHtml.escape(step.expression())));
    }
}
