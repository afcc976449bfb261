package bai.scenarios.hooks;

import bai.scenarios.config.SuiteTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.Status;
import io.cucumber.plugin.event.TestCaseFinished;
import io.cucumber.plugin.event.TestRunFinished;
import io.cucumber.plugin.event.TestRunStarted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code reports/run-info.json} (target, timings, counts) and prints one summary line:
 * where the run's speed is measured, instead of in timed assertions.
 */
public class RunReportPlugin implements ConcurrentEventListener {
    private final Map<Status, Integer> outcomes = new EnumMap<>(Status.class);
    private Instant started;

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestRunStarted.class, event -> started = event.getInstant());
        publisher.registerHandlerFor(TestCaseFinished.class, this::count);
        publisher.registerHandlerFor(TestRunFinished.class, this::finish);
    }

    private synchronized void count(TestCaseFinished event) {
        outcomes.merge(event.getResult().getStatus(), 1, Integer::sum);
    }

    private synchronized void finish(TestRunFinished event) {
        Duration wall = Duration.between(started, event.getInstant());
        Map<String, Object> info = new LinkedHashMap<>();
        SuiteTarget.started().ifPresentOrElse(target -> {
            info.put("target", target.describe());
            info.put("endpoint", target.endpoint().toString());
            info.put("emulator", target.isEmulator());
            info.put("emulator_start_ms", target.emulatorStartMillis());
            info.put("manager_version", target.version().managerVersion());
            info.put("api_version", target.version().apiVersion());
            info.put("requests", target.requestCount());
            info.put("contract_check", target.contractNotice());
        }, () -> info.put("target", "not started (preflight failed)"));
        info.put("scenario_wall_ms", wall.toMillis());
        Map<String, Integer> counts = new LinkedHashMap<>();
        outcomes.forEach((status, n) -> counts.put(status.name().toLowerCase(), n));
        info.put("scenarios", counts);
        write(info);
        System.out.println("bai-scenarios run: " + counts + " in " + wall.toMillis() + " ms"
                + SuiteTarget.started().map(t -> ", " + t.requestCount() + " requests").orElse("")
                + " (details: reports/run-info.json)");
    }

    private static void write(Map<String, Object> info) {
        try {
            Path reports = Path.of("reports");
            Files.createDirectories(reports);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(reports.resolve("run-info.json").toFile(), info);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reports/run-info.json", e);
        }
    }
}
