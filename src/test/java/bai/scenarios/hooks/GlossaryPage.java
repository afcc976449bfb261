package bai.scenarios.hooks;

import bai.scenarios.glossary.GlossaryHtml;
import bai.scenarios.glossary.StepGlossary;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.TestRunFinished;
import io.cucumber.plugin.event.TestRunStarted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes the step glossary, {@code reports/glossary.html}, beside the living report on each run:
 * begun when the run starts, on a thread of its own (it reads every feature file, so the scenarios
 * need not wait for it), and finished before the run ends; a failure to write it fails there.
 */
public final class GlossaryPage implements ConcurrentEventListener {
    private final Path reports;
    private volatile CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);

    public GlossaryPage() {
        this(Path.of("reports"));
    }

    GlossaryPage(Path reports) {
        this.reports = reports;
    }

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestRunStarted.class, event ->
                writing = CompletableFuture.runAsync(this::write, runnable -> {
                    Thread thread = new Thread(runnable, "bai-glossary-page");
                    thread.setDaemon(true);
                    thread.start();
                }));
        publisher.registerHandlerFor(TestRunFinished.class, event -> {
            try {
                writing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        });
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
