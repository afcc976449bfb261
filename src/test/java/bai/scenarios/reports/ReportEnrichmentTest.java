package bai.scenarios.reports;

import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.TestStepResultStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReportEnrichmentTest {
    private static final String FEATURE = """
            Feature: Sample

              Scenario: Roles
                Given Alice signs in
                When I ask for my roles
                And she logs in
                Then she sees them
            """;

    private final MessageStream stream = new MessageStream(FEATURE,
            List.of("{actor} signs in", "{actor} asks for her/his/their roles", "she sees them"),
            Set.of("I ask for my roles", "she logs in"));
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ReportEnrichment enrichment = new ReportEnrichment(new PrintStream(console, true, StandardCharsets.UTF_8));

    private List<Envelope> enrich(Envelope... messages) {
        List<Envelope> out = new ArrayList<>();
        for (Envelope message : messages) {
            out.addAll(enrichment.enrich(message));
        }
        return out;
    }

    @Test
    void whatAnAfterStepHookAttachesIsBoundToTheStepItRanAfter() {
        enrich(stream.prelude.toArray(Envelope[]::new));

        List<Envelope> out = enrich(
                stream.attachment("Roles", "after Alice signs in", "text/plain", "HTTP exchanges", "GET /auth"),
                stream.attachment("Roles", "before", "text/x.cucumber.log+plain", null, "Target: emulator"),
                stream.attachment("Roles", "Alice signs in", "text/plain", "made by the step", "x"));

        assertThat(out).extracting(m -> m.getAttachment().orElseThrow().getTestStepId().orElseThrow()).containsExactly(
                stream.step("Roles", "Alice signs in"),
                stream.step("Roles", "before"),
                stream.step("Roles", "Alice signs in"));
        assertThat(Attachments.text(out.get(0).getAttachment().orElseThrow())).isEqualTo("GET /auth");
    }

    @Test
    void anUndefinedStepGetsTheClosestStepsAndTheGlossaryInTheReportsAndOnTheConsole() {
        enrich(stream.prelude.toArray(Envelope[]::new));

        List<Envelope> out = enrich(stream.stepFinished("Roles", "I ask for my roles", TestStepResultStatus.UNDEFINED));

        assertThat(out).hasSize(2);
        Attachment advice = out.get(0).getAttachment().orElseThrow();
        assertThat(out.get(1).getTestStepFinished()).as("the step's own message follows its advice").isPresent();
        assertThat(advice.getTestStepId()).hasValue(stream.step("Roles", "I ask for my roles"));
        assertThat(advice.getTestCaseStartedId()).hasValue("started-Roles");
        assertThat(advice.getMediaType()).isEqualTo("text/plain");
        assertThat(advice.getFileName()).hasValue("No step matches this one. Did you mean …?");
        assertThat(Attachments.text(advice))
                .contains("{actor} asks for her/his/their roles")
                .contains("features/GLOSSARY.md", "reports/glossary.html")
                .doesNotContain("she sees them");
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("""

                bai-scenarios: undefined step at features/sample.feature:5:
                    When I ask for my roles
                  Did you mean:
                    {actor} asks for her/his/their roles
                  Every step the suite understands: features/GLOSSARY.md (and reports/glossary.html after a run)

                """);
    }

    @Test
    void anUndefinedStepAfterAnotherIsSkippedButAdvisedToo() {
        enrich(stream.prelude.toArray(Envelope[]::new));

        List<Envelope> out = enrich(stream.stepFinished("Roles", "she logs in", TestStepResultStatus.SKIPPED));

        assertThat(out).hasSize(2);
        assertThat(Attachments.text(out.get(0).getAttachment().orElseThrow())).contains("{actor} signs in");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("    And she logs in\n", "    {actor} signs in\n");
    }

    @Test
    void theConsoleHearsOfAnUndefinedStepOnceButEveryScenarioGetsItsAdvice() {
        enrich(stream.prelude.toArray(Envelope[]::new));

        List<Envelope> first = enrich(stream.stepFinished("Roles", "I ask for my roles", TestStepResultStatus.UNDEFINED));
        int printed = console.size();
        List<Envelope> second = enrich(stream.stepFinished("Roles", "I ask for my roles", TestStepResultStatus.UNDEFINED));

        assertThat(first).hasSize(2);
        assertThat(second).hasSize(2);
        assertThat(console.size()).isEqualTo(printed);
    }

    @Test
    void otherStepsAndMessagesPassAsTheyAre() {
        enrich(stream.prelude.toArray(Envelope[]::new));
        Envelope passed = stream.stepFinished("Roles", "Alice signs in", TestStepResultStatus.PASSED);
        Envelope failed = stream.stepFinished("Roles", "she sees them", TestStepResultStatus.FAILED);
        Envelope skipped = stream.stepFinished("Roles", "she sees them", TestStepResultStatus.SKIPPED);

        assertThat(enrich(passed, failed, skipped)).containsExactly(passed, failed, skipped);
        assertThat(console.size()).isZero();
    }
}
