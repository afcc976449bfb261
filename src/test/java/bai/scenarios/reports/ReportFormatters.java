package bai.scenarios.reports;

import io.cucumber.htmlformatter.MessagesToHtmlWriter;
import io.cucumber.junitxmlformatter.MessagesToJunitXmlWriter;
import io.cucumber.messages.ndjson.Serializer;
import io.cucumber.messages.types.Envelope;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.query.NamingStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Cucumber's HTML and JUnit XML formatters, configured for readers of the features instead of with
 * Cucumber's defaults (which {@code io.cucumber.core.plugin.HtmlFormatter} and {@code JUnitFormatter}
 * fix): the HTML report gets {@link HtmlView}'s presentation and the suite's script and style
 * ({@code report.js}, {@code report.css}: a link to the step glossary, examples labelled by their
 * values); {@code junit.xml} names each example of an outline by its values (its pickle name:
 * "A call from a clock that is 20 minutes slow is refused") instead of "#1.1".
 */
public final class ReportFormatters {
    private static final String RESOURCES = "/bai/scenarios/reports/";

    private ReportFormatters() {
    }

    public static ConcurrentEventListener html(OutputStream out) throws IOException {
        MessagesToHtmlWriter writer = MessagesToHtmlWriter.builder(new Serializer()::writeValue)
                .title("bai-scenarios")
                .customCss(resource("report.css"))
                .customScript(resource("report.js"))
                .build(out);
        HtmlView view = new HtmlView();
        return new EnvelopeFormatter(new EnvelopeWriter() {
            @Override
            public void write(Envelope message) throws IOException {
                writer.write(view.present(message));
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        });
    }

    public static ConcurrentEventListener junitXml(OutputStream out) {
        MessagesToJunitXmlWriter writer = MessagesToJunitXmlWriter.builder()
                .testNamingStrategy(NamingStrategy.strategy(NamingStrategy.Strategy.LONG)
                        .exampleName(NamingStrategy.ExampleName.PICKLE)
                        .featureName(NamingStrategy.FeatureName.EXCLUDE) // the feature is the test's class name
                        .build())
                .build(out);
        return new EnvelopeFormatter(new EnvelopeWriter() {
            @Override
            public void write(Envelope message) throws IOException {
                writer.write(message);
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        });
    }

    private static Supplier<InputStream> resource(String name) {
        return () -> {
            InputStream in = ReportFormatters.class.getResourceAsStream(RESOURCES + name);
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing resource " + RESOURCES + name));
            }
            return in;
        };
    }

    /** One of Cucumber's message writers (HTML, JUnit XML): each message, then close once the run has finished. */
    interface EnvelopeWriter {
        void write(Envelope message) throws IOException;

        void close() throws IOException;
    }

    /** A message writer as a Cucumber formatter, closed by TestRunFinished as Cucumber's own formatters are. */
    private static final class EnvelopeFormatter implements ConcurrentEventListener {
        private final EnvelopeWriter writer;

        EnvelopeFormatter(EnvelopeWriter writer) {
            this.writer = writer;
        }

        @Override
        public void setEventPublisher(EventPublisher publisher) {
            publisher.registerHandlerFor(Envelope.class, this::receive);
        }

        private void receive(Envelope message) {
            try {
                writer.write(message);
                if (message.getTestRunFinished().isPresent()) {
                    writer.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
