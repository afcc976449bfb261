package bai.scenarios.timing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns the runs of {@code .ci/bench} (its {@code runs.tsv} index and each run's
 * {@code run-info.json}) into {@code bench.json} and {@code bench.html}: per parallelism level the
 * median run time and its spread, the speedup over the lowest level, where time goes per phase,
 * and the slowest scenarios. {@code mvn -q exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=bai.scenarios.timing.BenchReport -Dexec.args="target/bench/runs.tsv reports"}.
 */
public final class BenchReport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SLOWEST = 15;
    /** A level within this much of the fastest median counts as just as fast (run-to-run noise). */
    static final double AS_FAST = 0.05;

    /** One run of the scenario set. */
    record Run(int threads, int round, long mavenWallMillis, int exit, double loadBefore, double loadAfter,
               JsonNode info) {
        boolean reported() {
            return info != null;
        }

        boolean passed() {
            return exit == 0 && reported() && !info.path("interrupted").asBoolean(false)
                    && info.path("scenarios").path("failed").asInt(0) == 0
                    && info.path("scenarios").path("undefined").asInt(0) == 0
                    && info.path("scenarios").path("ambiguous").asInt(0) == 0;
        }

        long scenarioWall() {
            return info.path("scenario_wall_ms").asLong();
        }
    }

    /** The medians of one level's runs. */
    record Level(int threads, List<Run> runs) {
        List<Run> reported() {
            return runs.stream().filter(Run::reported).toList();
        }

        long failedRuns() {
            return runs.stream().filter(r -> !r.passed()).count();
        }

        double median(ToDoubleFunction<Run> value) {
            return BenchReport.median(reported().stream().mapToDouble(value).sorted().toArray());
        }

        double min(ToDoubleFunction<Run> value) {
            return reported().stream().mapToDouble(value).min().orElse(Double.NaN);
        }

        double max(ToDoubleFunction<Run> value) {
            return reported().stream().mapToDouble(value).max().orElse(Double.NaN);
        }

        /** Median over runs of each phase's total (ms), in the reports' order, "other" last. */
        Map<String, Double> phases() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String key : BenchReport.phaseKeys()) {
                out.put(key, median(r -> r.info.path("phases").path(key).path("ms").asDouble()));
            }
            return out;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchReport RUNS_TSV OUTPUT_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        Map<String, Object> bench = write(Path.of(args[0]), out);
        System.out.println("bench: " + bench.get("summary"));
        System.out.println("bench: " + out.resolve("bench.html") + " and " + out.resolve("bench.json"));
    }

    /** Reads the index, writes {@code bench.json} and {@code bench.html} into {@code out}; returns the bench. */
    public static Map<String, Object> write(Path index, Path out) throws IOException {
        List<Run> runs = read(index);
        Map<String, Object> bench = summarise(runs);
        Files.createDirectories(out);
        atomically(out.resolve("bench.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(bench));
        atomically(out.resolve("bench.html"), BenchPage.render(JSON.valueToTree(bench)));
        return bench;
    }

    static List<Run> read(Path index) throws IOException {
        List<Run> runs = new ArrayList<>();
        List<String> lines = Files.readAllLines(index);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            JsonNode info = null;
            if (f.length > 6 && !f[6].equals("-")) {
                Path file = Path.of(f[6]);
                if (!file.isAbsolute() && !Files.exists(file)) {
                    file = index.resolveSibling(file.getFileName());
                }
                if (Files.exists(file)) {
                    info = JSON.readTree(file.toFile());
                }
            }
            runs.add(new Run(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), number(f[4]), number(f[5]), info));
        }
        return runs;
    }

    static Map<String, Object> summarise(List<Run> runs) {
        Map<Integer, List<Run>> byLevel = new TreeMap<>();
        runs.forEach(run -> byLevel.computeIfAbsent(run.threads(), t -> new ArrayList<>()).add(run));
        List<Level> levels = byLevel.entrySet().stream().map(e -> new Level(e.getKey(), e.getValue())).toList();
        Map<String, Object> bench = new LinkedHashMap<>();
        bench.put("generated", Instant.now().toString());
        JsonNode any = runs.stream().filter(Run::reported).map(Run::info).findFirst().orElse(null);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", any == null ? Runtime.getRuntime().availableProcessors()
                : any.path("parallelism").path("cores").asInt(Runtime.getRuntime().availableProcessors()));
        machine.put("load_min", runs.stream().flatMapToDouble(r -> java.util.stream.DoubleStream.of(r.loadBefore(),
                r.loadAfter())).filter(v -> !Double.isNaN(v)).min().orElse(0));
        machine.put("load_max", runs.stream().flatMapToDouble(r -> java.util.stream.DoubleStream.of(r.loadBefore(),
                r.loadAfter())).filter(v -> !Double.isNaN(v)).max().orElse(0));
        machine.put("load_note", "the 1-minute load average around each run (other builds share this machine)");
        bench.put("machine", machine);
        if (any != null) {
            bench.put("target", any.path("target").asText());
            bench.put("contract_check", any.path("contract_check").asText());
            bench.put("tag_expression", any.path("tag_expression").asText(""));
            bench.put("scenarios", any.path("scenarios_selected").asInt(any.path("scenario_timings").size()));
        }
        bench.put("runs_per_level", levels.stream().mapToInt(l -> l.runs().size()).max().orElse(0));

        Level base = levels.isEmpty() ? null : levels.get(0);
        double baseWall = base == null ? Double.NaN : base.median(Run::scenarioWall);
        List<Map<String, Object>> levelJson = new ArrayList<>();
        for (Level level : levels) {
            Map<String, Object> l = new LinkedHashMap<>();
            double wall = level.median(Run::scenarioWall);
            l.put("threads", level.threads());
            l.put("runs", level.runs().size());
            l.put("failed_runs", level.failedRuns());
            l.put("median_scenario_wall_ms", round(wall));
            l.put("min_scenario_wall_ms", round(level.min(Run::scenarioWall)));
            l.put("max_scenario_wall_ms", round(level.max(Run::scenarioWall)));
            l.put("median_maven_wall_ms", round(level.median(Run::mavenWallMillis)));
            l.put("median_scenario_time_ms", round(level.median(r -> r.info().path("scenario_time_ms").asDouble())));
            l.put("median_requests", round(level.median(r -> r.info().path("requests").asDouble())));
            l.put("median_jvm_start_to_run_ms", round(level.median(r -> r.info().path("jvm_start_to_run_ms").asDouble())));
            l.put("median_jvm_cpu_ms", round(level.median(r -> r.info().path("jvm_cpu_ms").asDouble())));
            l.put("speedup", round2(baseWall / wall));
            l.put("ideal_speedup", round2((double) level.threads() / base.threads()));
            Map<String, Long> phases = new LinkedHashMap<>();
            level.phases().forEach((k, v) -> phases.put(k, round(v)));
            l.put("phases_ms", phases);
            l.put("median_heap_peak_mb", round(level.median(r -> r.info().path("resources").path("heap_peak_mb").asDouble())));
            l.put("median_threads_peak", round(level.median(r -> r.info().path("resources").path("threads_peak").asDouble())));
            levelJson.add(l);
        }
        bench.put("levels", levelJson);

        // The fastest level that passed every run, then the fewest threads as fast as it (within AS_FAST).
        List<Level> clean = levels.stream().filter(l -> l.failedRuns() == 0 && !l.reported().isEmpty()).toList();
        Map<String, Object> choice = new LinkedHashMap<>();
        if (!clean.isEmpty()) {
            Level fastest = clean.stream().min(Comparator.comparingDouble(l -> l.median(Run::scenarioWall))).get();
            double best = fastest.median(Run::scenarioWall);
            Level chosen = clean.stream().filter(l -> l.median(Run::scenarioWall) <= best * (1 + AS_FAST))
                    .min(Comparator.comparingInt(Level::threads)).get();
            choice.put("fastest_threads", fastest.threads());
            choice.put("recommended_threads", chosen.threads());
            choice.put("rule", "the fewest threads whose median run time is within " + Math.round(AS_FAST * 100)
                    + "% of the fastest level's, among levels where every run passed");
        }
        bench.put("choice", choice);

        Level slowBase = clean.isEmpty() ? base : clean.get(0);
        bench.put("slowest_at_threads", slowBase == null ? null : slowBase.threads());
        bench.put("slowest", slowBase == null ? List.of() : slowest(slowBase));

        List<Map<String, Object>> runJson = new ArrayList<>();
        for (Run run : runs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("threads", run.threads());
            r.put("round", run.round());
            r.put("passed", run.passed());
            r.put("maven_wall_ms", run.mavenWallMillis());
            r.put("scenario_wall_ms", run.reported() ? run.scenarioWall() : null);
            r.put("scenario_time_ms", run.reported() ? run.info().path("scenario_time_ms").asLong() : null);
            r.put("requests", run.reported() ? run.info().path("requests").asLong() : null);
            r.put("scenarios", run.reported() ? run.info().path("scenarios") : null);
            r.put("load_before", Double.isNaN(run.loadBefore()) ? null : run.loadBefore());
            r.put("load_after", Double.isNaN(run.loadAfter()) ? null : run.loadAfter());
            runJson.add(r);
        }
        bench.put("runs", runJson);
        bench.put("summary", summary(levelJson, choice, machine));
        return bench;
    }

    private static List<Map<String, Object>> slowest(Level level) {
        Map<String, List<JsonNode>> byScenario = new LinkedHashMap<>();
        for (Run run : level.reported()) {
            for (JsonNode s : run.info().path("scenario_timings")) {
                byScenario.computeIfAbsent(s.path("uri").asText() + ":" + s.path("line").asInt(), k -> new ArrayList<>())
                        .add(s);
            }
        }
        List<Map<String, Object>> all = new ArrayList<>();
        byScenario.forEach((where, samples) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", samples.get(0).path("name").asText());
            s.put("where", where);
            s.put("median_ms", round(median(samples.stream().mapToDouble(n -> n.path("ms").asDouble()).sorted().toArray())));
            Map<String, Long> phases = new LinkedHashMap<>();
            for (String key : phaseKeys()) {
                phases.put(key, round(median(samples.stream().mapToDouble(n -> n.path("phases_ms").path(key).asDouble())
                        .sorted().toArray())));
            }
            s.put("phases_ms", phases);
            s.put("requests", round(median(samples.stream().mapToDouble(n -> n.path("requests").asDouble()).sorted()
                    .toArray())));
            all.add(s);
        });
        all.sort(Comparator.comparingLong((Map<String, Object> s) -> (Long) s.get("median_ms")).reversed());
        return all.subList(0, Math.min(SLOWEST, all.size()));
    }

    private static String summary(List<Map<String, Object>> levels, Map<String, Object> choice,
                                  Map<String, Object> machine) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> level : levels) {
            text.append(level.get("threads")).append(" threads ")
                    .append(String.format("%.1f s", ((Long) level.get("median_scenario_wall_ms")) / 1000.0))
                    .append(" (x").append(level.get("speedup")).append(")")
                    .append((Long) level.get("failed_runs") > 0 ? " " + level.get("failed_runs") + " failed run(s)" : "")
                    .append("; ");
        }
        text.append(choice.isEmpty() ? "no level passed every run"
                : "recommended " + choice.get("recommended_threads") + " threads");
        text.append(String.format("; load %.1f-%.1f on %s cores", (Double) machine.get("load_min"),
                (Double) machine.get("load_max"), machine.get("cores")));
        return text.toString();
    }

    static List<String> phaseKeys() {
        List<String> keys = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            keys.add(phase.key());
        }
        keys.add("other");
        return keys;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static long round(double value) {
        return Double.isNaN(value) ? 0 : Math.round(value);
    }

    private static double round2(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? 0 : Math.round(value * 100) / 100.0;
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void atomically(Path file, String text) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, text);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
