package bai.scenarios.hooks;

import bai.scenarios.glossary.GlossaryHtml;
import bai.scenarios.glossary.StepGlossary;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.TestRunStarted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the step glossary, {@code reports/glossary.html}, beside the living report at the start of each run. */
public final class GlossaryPage implements ConcurrentEventListener {
    private final Path reports;

    public GlossaryPage() {
        this(Path.of("reports"));
    }

    GlossaryPage(Path reports) {
        this.reports = reports;
    }

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestRunStarted.class, event -> write());
    }

    void write() {
        Path page = reports.resolve("glossary.html");
        Path part = reports.resolve("glossary.html.part");
        try {
            Files.createDirectories(reports);
            Files.writeString(part, GlossaryHtml.render(StepGlossary.build(Path.of("features"))));
            Files.move(part, page, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page, e);
        }
    }
}
