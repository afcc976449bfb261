package bai.scenarios.hooks;

import bai.scenarios.client.transport.SecretsSeen;
import bai.scenarios.config.SuiteTarget;
import bai.scenarios.emulator.StartPhases;
import bai.scenarios.selection.TagSelection;
import bai.scenarios.timing.ParallelismSetting;
import bai.scenarios.timing.PhaseTotals;
import bai.scenarios.timing.ResourceSampler;
import bai.scenarios.timing.RunTimings;
import bai.scenarios.timing.ScenarioTiming;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.Status;
import io.cucumber.plugin.event.TestCase;
import io.cucumber.plugin.event.TestCaseFinished;
import io.cucumber.plugin.event.TestCaseStarted;
import io.cucumber.plugin.event.TestRunFinished;
import io.cucumber.plugin.event.TestRunStarted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Writes {@code reports/run-info.json} (target, timings, counts, where the time went per phase
 * and per scenario, the resources the test JVM used) and prints two summary lines:
 * where the run's speed is measured, instead of in timed assertions; it also records what the tag
 * expression selected ({@link TagSelection}). If the run is interrupted
 * (the JVM shuts down before TestRunFinished), a shutdown hook writes it with what finished and
 * {@code "interrupted": true}.
 */
public class RunReportPlugin implements ConcurrentEventListener {
    private final Map<Status, Integer> outcomes = new EnumMap<>(Status.class);
    private final Path reports;
    private final TagSelection selection;
    private final InterruptionHook hook = new InterruptionHook("bai-scenarios run report", this::interrupt);
    private final List<ScenarioTiming> timings = new ArrayList<>();
    private final ParallelismSetting parallelism = ParallelismSetting.ofThisRun();
    private ResourceSampler resources;
    private long cpuAtStart = -1;
    private Instant started;
    private int running;
    private boolean written;

    public RunReportPlugin() {
        this(Path.of("reports"), TagSelection.ofThisRun());
    }

    RunReportPlugin(Path reports, TagSelection selection) {
        this.reports = reports;
        this.selection = selection;
    }

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestRunStarted.class, this::start);
        publisher.registerHandlerFor(TestCaseStarted.class, event -> started());
        publisher.registerHandlerFor(TestCaseFinished.class, this::count);
        publisher.registerHandlerFor(TestRunFinished.class, event -> finish(event.getInstant(), false));
    }

    private synchronized void start(TestRunStarted event) {
        started = event.getInstant();
        cpuAtStart = ResourceSampler.processCpuMillis();
        resources = ResourceSampler.start(250);
        try {
            Files.deleteIfExists(reports.resolve("run-info.json")); // the previous run's must not pass for this run's
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + reports.resolve("run-info.json"), e);
        }
        hook.arm();
    }

    private synchronized void started() {
        running++;
    }

    private synchronized void count(TestCaseFinished event) {
        if (InterruptionHook.shutdownInProgress()) {
            return; // finished only because the run is being torn down: still counted as unfinished
        }
        running--;
        outcomes.merge(event.getResult().getStatus(), 1, Integer::sum);
        TestCase testCase = event.getTestCase();
        String id = testCase.getId() == null ? "" : testCase.getId().toString();
        timings.add(ScenarioTiming.of(testCase.getName(), testCase.getUri() == null ? null : relative(testCase.getUri()),
                testCase.getLocation() == null ? 0 : testCase.getLocation().getLine(),
                event.getResult().getStatus().name().toLowerCase(Locale.ROOT), Thread.currentThread().getName(),
                event.getResult().getDuration() == null ? 0 : event.getResult().getDuration().toNanos(),
                RunTimings.take(id).orElse(null)));
    }

    /** Each phase's milliseconds (one decimal) of {@code micros}, in order. */
    private static Map<String, Object> millis(StartPhases phases, ToLongFunction<StartPhases.Phase> micros) {
        Map<String, Object> perPhase = new LinkedHashMap<>();
        phases.phases().forEach(phase -> perPhase.put(phase.name(),
                Math.round(micros.applyAsLong(phase) / 100.0) / 10.0));
        return perPhase;
    }

    /** {@code features/auth/login.feature}, not the machine's absolute path. */
    private static String relative(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            return uri.toString();
        }
        Path path = Path.of(uri);
        Path here = Path.of("").toAbsolutePath();
        return (path.startsWith(here) ? here.relativize(path) : path).toString().replace('\\', '/');
    }

    /** The JVM is shutting down before TestRunFinished; does nothing if run-info.json is already written. */
    void interrupt() {
        try {
            finish(Instant.now(), true);
        } catch (RuntimeException e) {
            System.err.println("bai-scenarios: cannot write run-info.json after the interruption: " + e);
        }
    }

    private synchronized void finish(Instant end, boolean interrupted) {
        if (written || started == null) {
            return;
        }
        written = true;
        hook.disarm();
        Duration wall = Duration.between(started, end);
        Map<String, Object> info = new LinkedHashMap<>();
        SuiteTarget.started().ifPresentOrElse(target -> {
            info.put("target", target.describe());
            info.put("endpoint", target.endpoint().toString());
            info.put("emulator", target.isEmulator());
            info.put("emulator_start_ms", target.emulatorStartMillis());
            // Where that went, per phase (StartPhases, a measurement): the starting thread's, until start
            // returned, and the initialisation thread's, from the same beginning until requests are handled.
            // The CPU beside each (that thread's own): steadier than the wall time on a busy machine.
            target.emulatorStartPhases().ifPresent(phases -> {
                info.put("emulator_start_cpu_ms", phases.totalCpuMicros() / 1000);
                info.put("emulator_start_phases_ms", millis(phases, StartPhases.Phase::micros));
                info.put("emulator_start_phases_cpu_ms", millis(phases, StartPhases.Phase::cpuMicros));
            });
            target.emulatorInitPhases().ifPresent(phases -> {
                info.put("emulator_init_ms", phases.totalMicros() / 1000);
                info.put("emulator_init_cpu_ms", phases.totalCpuMicros() / 1000);
                info.put("emulator_init_phases_ms", millis(phases, StartPhases.Phase::micros));
                info.put("emulator_init_phases_cpu_ms", millis(phases, StartPhases.Phase::cpuMicros));
            });
            // Kernel starts: from the warm pool, forked on demand or cold, and pooled runners forked or
            // started as processes.
            target.emulatorKernelPool().ifPresent(pool -> {
                Map<String, Object> kernels = new LinkedHashMap<>();
                kernels.put("warm_starts", pool.warm());
                kernels.put("forked_on_demand", pool.forkedOnDemand());
                kernels.put("cold_starts", pool.cold());
                kernels.put("pool_size", pool.poolSize());
                kernels.put("pooled_runners_forked", pool.pooledForked());
                kernels.put("pooled_runners_started", pool.pooledStarted());
                info.put("kernel_starts", kernels);
            });
            // From starting the target to a passed preflight: what the start cost the run in all.
            info.put("target_ready_ms", target.readyMillis());
            info.put("target_ready_cpu_ms", target.readyCpuMillis());
            info.put("manager_version", target.version().managerVersion());
            info.put("api_version", target.version().apiVersion());
            info.put("requests", target.requestCount());
            info.put("contract_check", target.contractNotice());
        }, () -> info.put("target", "not started (preflight failed)"));
        selection.expression().ifPresent(expression -> {
            info.put("tag_expression", expression);
            info.put("scenarios_selected", selection.selected());
            info.put("scenarios_in_features", selection.scenarios());
        });
        info.put("scenario_wall_ms", wall.toMillis());
        // The test JVM's own start (to the first event of the run): what JVM flags and class-data sharing change.
        info.put("jvm_start_to_run_ms", started.toEpochMilli() - ManagementFactory.getRuntimeMXBean().getStartTime());
        // CPU time of the test JVM (all threads, the embedded emulator's included): to the run's start
        // and in all; less disturbed by other load on the machine than wall time.
        info.put("jvm_cpu_to_run_ms", cpuAtStart);
        info.put("jvm_cpu_ms", ResourceSampler.processCpuMillis());
        info.put("jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("-XX:") || flag.startsWith("-Xshare") || flag.startsWith("-Xss")
                        || flag.startsWith("-Xm"))
                .toList());
        Map<String, Integer> counts = new LinkedHashMap<>();
        outcomes.forEach((status, n) -> counts.put(status.name().toLowerCase(), n));
        info.put("scenarios", counts);
        info.put("interrupted", interrupted);
        if (interrupted) {
            info.put("unfinished_scenarios", running);
        }
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("enabled", parallelism.parallel());
        threads.put("strategy", parallelism.strategy());
        threads.put("configured", parallelism.threads());
        threads.put("workers_used", timings.stream().map(ScenarioTiming::worker).distinct().count());
        threads.put("cores", Runtime.getRuntime().availableProcessors());
        info.put("parallelism", threads);
        PhaseTotals totals = PhaseTotals.of(timings);
        info.put("scenario_time_ms", totals.scenarioMillis());
        info.put("phases", totals.toJson());
        info.put("requests_per_scenario", totals.requestsPerScenario());
        if (resources != null) {
            info.put("resources", resources.finish());
        }
        info.put("scenario_timings", timings.stream().map(ScenarioTiming::toJson).toList());
        write(info);
        System.out.println("bai-scenarios run" + (interrupted ? " interrupted: finished " : ": ") + counts
                + (interrupted ? ", " + running + " unfinished," : "") + " in " + wall.toMillis() + " ms"
                + SuiteTarget.started().map(t -> ", " + t.requestCount() + " requests").orElse("")
                + " (details: reports/run-info.json)");
        System.out.println("bai-scenarios time per phase: " + totals.oneLine());
    }

    private void write(Map<String, Object> info) {
        Path file = reports.resolve("run-info.json");
        Path part = reports.resolve("run-info.json.part");
        try {
            Files.createDirectories(reports);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(part.toFile(), info);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // For the report hygiene check after the run: digests only, never a secret itself.
            SecretsSeen.write(SecretsSeen.DIGESTS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
