package bai.scenarios.hooks;

import bai.scenarios.reports.ReportEnrichment;
import bai.scenarios.reports.ReportFormatters;
import io.cucumber.core.plugin.JsonFormatter;
import io.cucumber.core.plugin.MessageFormatter;
import io.cucumber.core.plugin.RerunFormatter;
import io.cucumber.messages.Convertor;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.TestRunFinished;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventHandler;
import io.cucumber.plugin.event.EventPublisher;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cucumber's file reports ({@code cucumber.html}, {@code cucumber.json}, {@code junit.xml},
 * {@code cucumber.ndjson}, {@code rerun.txt} in {@code reports/}), written by Cucumber's own
 * formatters, but complete even when the run is interrupted.
 *
 * <p>Cucumber's formatters write their document only when they see TestRunFinished, which an
 * interrupted JVM never sends. This plugin owns the formatters and feeds them the message stream
 * itself, one message at a time:
 * <ul>
 *   <li>the messages of a scenario (or a BeforeAll/AfterAll hook) are held back until it finishes,
 *       so the formatters only ever see finished ones (a normal run's reports say the same as
 *       before; in {@code cucumber.ndjson} each scenario's messages now come together instead of
 *       interleaved with those of the scenario running beside it);</li>
 *   <li>if the JVM shuts down before TestRunFinished, a shutdown hook sends them a TestRunFinished
 *       (success false, "interrupted") once, so each writes a complete document of what finished;
 *       messages after that are ignored;</li>
 *   <li>each report is written to {@code <name>.part} and moved into place when complete, so
 *       {@code reports/} never holds a half-written report (nor the previous run's).</li>
 * </ul>
 * On the way, the suite's {@link ReportEnrichment} adds what a reader of the features needs (the
 * evidence of a failed step at that step, advice at an undefined step), and the HTML and JUnit XML
 * formatters are configured for that reader ({@link ReportFormatters}).
 */
public final class DurableReports implements ConcurrentEventListener {

    /** Opens one of Cucumber's formatters on a stream. */
    @FunctionalInterface
    interface FormatterFactory {
        ConcurrentEventListener open(OutputStream out) throws IOException;
    }

    /** The reports, by file name; the same files as Cucumber's html/json/junit/message/rerun plugins, with the suite's HTML and JUnit XML configuration. */
    static final Map<String, FormatterFactory> REPORTS = reports();

    private static Map<String, FormatterFactory> reports() {
        Map<String, FormatterFactory> reports = new LinkedHashMap<>();
        reports.put("cucumber.html", ReportFormatters::html);
        reports.put("cucumber.json", JsonFormatter::new);
        reports.put("junit.xml", ReportFormatters::junitXml);
        reports.put("cucumber.ndjson", MessageFormatter::new);
        reports.put("rerun.txt", RerunFormatter::new);
        return Collections.unmodifiableMap(reports);
    }

    /**
     * Removes the reports of a previous run (and {@code run-info.json}) when this run will write
     * none, e.g. because its tag expression selected no scenario: none may pass for this run's.
     */
    public static void discardPreviousRun(Path directory) {
        List<String> names = new ArrayList<>(REPORTS.keySet());
        names.add("run-info.json");
        for (String name : names) {
            try {
                Files.deleteIfExists(directory.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the previous run's " + directory.resolve(name), e);
            }
        }
    }

    private final Path directory;
    private final Object lock = new Object();
    private final List<ReportFile> files = new ArrayList<>();
    private final List<EventHandler<Envelope>> formatters = new ArrayList<>();
    /** Held-back messages of the scenarios and run hooks still running, by their TestCaseStarted / TestRunHookStarted id. */
    private final Map<String, List<Envelope>> running = new LinkedHashMap<>();
    private final InterruptionHook hook = new InterruptionHook("bai-scenarios reports", this::interrupt);
    private final ReportEnrichment enrichment = new ReportEnrichment();
    private String testRunStartedId;
    private int finishedScenarios;
    private boolean finished;

    public DurableReports() {
        this(Path.of("reports"));
    }

    DurableReports(Path directory) {
        this.directory = directory;
    }

    @Override
    public void setEventPublisher(EventPublisher bus) {
        synchronized (lock) {
            open();
            hook.arm();
        }
        bus.registerHandlerFor(Envelope.class, this::receive);
    }

    private void open() {
        EventPublisher formatterHandlers = new EventPublisher() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> void registerHandlerFor(Class<T> type, EventHandler<T> handler) {
                if (type != Envelope.class) {
                    throw new IllegalStateException("DurableReports forwards Cucumber messages (Envelope) only, but a formatter"
                            + " asked for " + type.getName() + "; forward that event type too");
                }
                formatters.add((EventHandler<Envelope>) handler);
            }

            @Override
            public <T> void removeHandlerFor(Class<T> type, EventHandler<T> handler) {
                formatters.remove(handler);
            }
        };
        try {
            Files.createDirectories(directory);
            for (Map.Entry<String, FormatterFactory> report : REPORTS.entrySet()) {
                ReportFile file = new ReportFile(directory.resolve(report.getKey()));
                files.add(file);
                report.getValue().open(file.out).setEventPublisher(formatterHandlers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the reports in " + directory, e);
        }
    }

    private void receive(Envelope message) {
        synchronized (lock) {
            if (finished) {
                return; // interrupted: the reports are already complete
            }
            for (Envelope enriched : enrichment.enrich(message)) {
                if (!finished) {
                    hold(enriched);
                }
            }
        }
    }

    /** Holds back a scenario's (or run hook's) message until it has finished; passes the others on. Called with the lock held. */
    private void hold(Envelope message) {
        message.getTestRunStarted().flatMap(started -> started.getId()).ifPresent(id -> testRunStartedId = id);
        message.getTestCaseStarted().ifPresent(started -> running.put(started.getId(), new ArrayList<>()));
        message.getTestRunHookStarted().ifPresent(started -> running.put(started.getId(), new ArrayList<>()));
        Optional<String> owner = owner(message);
        List<Envelope> heldBack = owner.map(running::get).orElse(null);
        if (heldBack != null) {
            heldBack.add(message);
            if (closes(message) && InterruptionHook.shutdownInProgress()) {
                return; // finished only because the run is being torn down: left out as unfinished
            }
            if (closes(message)) {
                running.remove(owner.get());
                heldBack.forEach(this::deliver);
                if (message.getTestCaseFinished().isPresent()) {
                    finishedScenarios++;
                }
            }
            return;
        }
        if (message.getTestRunFinished().isPresent()) {
            finished = true;
            try {
                running.values().forEach(heldBackMessages -> heldBackMessages.forEach(this::deliver)); // none, normally
                running.clear();
                deliver(message);
            } finally {
                complete(true);
            }
            return;
        }
        deliver(message);
    }

    /** The scenario or run hook a message belongs to: the id of its TestCaseStarted or TestRunHookStarted. */
    private static Optional<String> owner(Envelope message) {
        return message.getTestCaseStarted().map(m -> m.getId())
                .or(() -> message.getTestStepStarted().map(m -> m.getTestCaseStartedId()))
                .or(() -> message.getTestStepFinished().map(m -> m.getTestCaseStartedId()))
                .or(() -> message.getTestCaseFinished().map(m -> m.getTestCaseStartedId()))
                .or(() -> message.getAttachment().flatMap(m -> m.getTestCaseStartedId().or(m::getTestRunHookStartedId)))
                .or(() -> message.getTestRunHookStarted().map(m -> m.getId()))
                .or(() -> message.getTestRunHookFinished().map(m -> m.getTestRunHookStartedId()));
    }

    private static boolean closes(Envelope message) {
        return message.getTestCaseFinished().isPresent() || message.getTestRunHookFinished().isPresent();
    }

    private void deliver(Envelope message) {
        for (EventHandler<Envelope> formatter : formatters) {
            formatter.receive(message);
        }
    }

    /**
     * The JVM is shutting down before TestRunFinished: finish every report with what has finished.
     * Does nothing if the reports are already complete; never throws (it runs in a shutdown hook).
     */
    void interrupt() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            int unfinished = (int) running.values().stream()
                    .filter(messages -> messages.stream().anyMatch(m -> m.getTestCaseStarted().isPresent())).count();
            running.clear();
            Envelope end = Envelope.of(new TestRunFinished(
                    "The run was interrupted before it finished: the reports show the " + finishedScenarios
                            + " scenario(s) that finished and leave out the " + unfinished + " still running.",
                    false, Convertor.toMessage(Instant.now()), null, testRunStartedId));
            for (EventHandler<Envelope> formatter : formatters) {
                try {
                    formatter.receive(end);
                } catch (RuntimeException e) {
                    System.err.println("bai-scenarios: a report could not be finished after the interruption: " + e);
                }
            }
            complete(false);
            System.err.println("bai-scenarios: run interrupted; " + directory + " holds the " + finishedScenarios
                    + " scenario(s) that finished (" + unfinished + " left out, still running)");
        }
    }

    /** Closes the files (the formatters have closed them already) and moves each into place. */
    private void complete(boolean rethrow) {
        hook.disarm();
        UncheckedIOException failure = null;
        for (ReportFile file : files) {
            try {
                file.complete();
            } catch (UncheckedIOException e) {
                System.err.println("bai-scenarios: " + e.getMessage());
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null && rethrow) {
            throw failure;
        }
    }

    /** One report: written to {@code <name>.part}, moved to {@code <name>} when complete. */
    private static final class ReportFile {
        private final Path target;
        private final Path part;
        private final OutputStream out;

        ReportFile(Path target) throws IOException {
            this.target = target;
            this.part = target.resolveSibling(target.getFileName() + ".part");
            Files.deleteIfExists(target); // the previous run's report must not pass for this run's
            this.out = new BufferedOutputStream(Files.newOutputStream(part));
        }

        void complete() {
            try {
                out.close();
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot complete " + target + " (the partial report is " + part + ")", e);
            }
        }
    }
}
