package bai.scenarios.timing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {
    @TempDir
    Path dir;

    /** A run-info.json as the run report plugin writes it, scaled to a run time. */
    private Path runInfo(String name, long wallMs, int failed) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("target", "embedded emulator");
        info.put("contract_check", "Contract check: on");
        info.put("tag_expression", "not @wip");
        info.put("scenarios_selected", 20);
        info.put("scenario_wall_ms", wallMs);
        info.put("scenario_time_ms", 40_000);
        info.put("requests", 200);
        info.put("jvm_start_to_run_ms", 900);
        info.put("scenarios", failed == 0 ? Map.of("passed", 20) : Map.of("passed", 20 - failed, "failed", failed));
        info.put("interrupted", false);
        info.put("parallelism", Map.of("cores", 2));
        Map<String, Object> phases = new LinkedHashMap<>();
        for (String key : BenchReport.phaseKeys()) {
            phases.put(key, Map.of("ms", 1000));
        }
        info.put("phases", phases);
        info.put("resources", Map.of("heap_peak_mb", 300, "threads_peak", 40));
        List<Map<String, Object>> timings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> phaseMs = new LinkedHashMap<>();
            BenchReport.phaseKeys().forEach(k -> phaseMs.put(k, 10));
            timings.add(Map.of("name", "Scenario " + i + " <x>", "uri", "features/a.feature", "line", i + 3,
                    "ms", 100 * i, "requests", i, "phases_ms", phaseMs));
        }
        info.put("scenario_timings", timings);
        Path file = dir.resolve(name);
        BenchReport.JSON.writeValue(file.toFile(), info);
        return file;
    }

    @Test
    void levelsSpeedupChoiceAndSlowestScenarios() throws IOException {
        StringBuilder tsv = new StringBuilder("threads\tround\twall_ms\texit\tload_before\tload_after\trun_info\n");
        long[][] walls = {{1, 60_000}, {2, 31_000}, {4, 20_000}, {8, 19_500}, {16, 19_000}};
        for (int round = 1; round <= 2; round++) {
            for (long[] level : walls) {
                int failed = level[0] == 16 && round == 2 ? 1 : 0; // the highest level had a failure
                Path info = runInfo("run-p" + level[0] + "-k" + round + ".json", level[1] + round * 100, failed);
                tsv.append(level[0]).append('\t').append(round).append('\t').append(level[1] + 9000).append("\t0\t1.5\t2.25\t")
                        .append(info).append('\n');
            }
        }
        tsv.append("32\t1\t5000\t124\t3.0\t4.0\t-\n"); // a run that left no report (killed)
        Path index = dir.resolve("runs.tsv");
        Files.writeString(index, tsv);

        BenchReport.write(index, dir.resolve("out"));

        JsonNode bench = BenchReport.JSON.readTree(dir.resolve("out/bench.json").toFile());
        assertThat(bench.path("levels")).hasSize(6);
        JsonNode one = bench.path("levels").get(0);
        assertThat(one.path("threads").asInt()).isEqualTo(1);
        assertThat(one.path("median_scenario_wall_ms").asLong()).isEqualTo(60_150);
        assertThat(bench.path("levels").get(2).path("speedup").asDouble()).isEqualTo(2.99);
        assertThat(bench.path("levels").get(4).path("failed_runs").asInt()).isEqualTo(1);
        assertThat(bench.path("levels").get(5).path("failed_runs").asInt()).as("no report is a failed run").isEqualTo(1);
        assertThat(bench.path("choice").path("fastest_threads").asInt()).isEqualTo(8);
        assertThat(bench.path("choice").path("recommended_threads").asInt()).as("4 is within 5% of 8").isEqualTo(4);
        assertThat(bench.path("slowest")).hasSize(BenchReport.SLOWEST);
        assertThat(bench.path("slowest").get(0).path("median_ms").asLong()).isEqualTo(1900);
        assertThat(bench.path("machine").path("load_max").asDouble()).isEqualTo(4.0);

        String html = Files.readString(dir.resolve("out/bench.html"));
        assertThat(html.split("<svg", -1)).as("four charts").hasSize(5);
        assertThat(html).doesNotContain("<script", "http://", "https://", "<link", "@import");
        assertThat(html).contains("Recommended parallelism: 4", "Scenario 19 &lt;x&gt;");
    }
}
