package bai.scenarios.reports;

import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.TestStepResultStatus;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventHandler;
import io.cucumber.plugin.event.EventPublisher;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFormattersTest {
    private static final String FEATURE = """
            Feature: Clocks
              Scenario Outline: A call from a clock that is <drift> is refused
                Given my clock is <drift>

                Examples:
                  | drift           |
                  | 20 minutes slow |
                  | 20 minutes fast |
            """;

    private final MessageStream stream = new MessageStream(FEATURE, List.of("my clock is {word} {word} {word}"));

    private String write(ConcurrentEventListener formatter, ByteArrayOutputStream out) {
        List<EventHandler<Envelope>> handlers = new ArrayList<>();
        formatter.setEventPublisher(new EventPublisher() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> void registerHandlerFor(Class<T> type, EventHandler<T> handler) {
                handlers.add((EventHandler<Envelope>) handler);
            }

            @Override
            public <T> void removeHandlerFor(Class<T> type, EventHandler<T> handler) {
            }
        });
        List<Envelope> messages = new ArrayList<>(stream.prelude);
        for (String scenario : stream.stepIds.keySet()) {
            messages.addAll(stream.run(scenario, TestStepResultStatus.PASSED));
        }
        messages.add(MessageStream.runFinished());
        messages.forEach(message -> handlers.forEach(handler -> handler.receive(message)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void junitXmlNamesEachExampleByItsValues() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        String xml = write(ReportFormatters.junitXml(out), out);

        assertThat(xml)
                .contains("name=\"A call from a clock that is &lt;drift&gt; is refused - A call from a clock that is 20 minutes slow is refused\"")
                .contains("name=\"A call from a clock that is &lt;drift&gt; is refused - A call from a clock that is 20 minutes fast is refused\"")
                .contains("classname=\"Clocks\"")
                .doesNotContain("#1.1");
    }

    @Test
    void theHtmlReportCarriesTheSuitesScriptAndStyle() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        String html = write(ReportFormatters.html(out), out);

        assertThat(html.strip()).endsWith("</html>");
        assertThat(html).contains("<title>bai-scenarios</title>")
                .contains("href=\"glossary.html\"", "features/GLOSSARY.md")
                .contains("#bai-report-links")
                .contains("exampleLabels");
        try (var script = ReportFormatters.class.getResourceAsStream("/bai/scenarios/reports/report.js")) {
            assertThat(html).contains(new String(script.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
