package bai.scenarios.timing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleSetTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\s+\\| \\d+ \\|$");

    @TempDir
    Path dir;

    @Test
    void generatesExactlyNScenariosInFeaturesOfAtMostFiftyAndReplacesAnEarlierSet() throws IOException {
        ScaleSet.generate(dir, 130);
        List<Path> files = ScaleSet.generate(dir, 73);

        assertThat(files).hasSize(2);
        try (var listed = Files.list(dir.resolve("features"))) {
            assertThat(listed.count()).isEqualTo(2); // the 130-scenario set's third file is gone
        }
        long rows = 0;
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(text).startsWith("@scale\nFeature: ");
            rows += ROW.matcher(text).results().count();
        }
        assertThat(rows).isEqualTo(73);
    }

    @Test
    void theMixIsSixAdminThreeTalkOneSessionPerTen() {
        String text = ScaleSet.feature(1, 1, 10);

        assertThat(text).contains("code runs in a new session").contains("signs in and reads her roles");
        assertThat(ROW.matcher(text).results().count()).isEqualTo(10);
    }

    @Test
    void fitsALineThroughTheRunTimes() {
        Map<String, Object> fit = ScaleSet.fit(List.of(new double[] {100, 1500}, new double[] {200, 2500},
                new double[] {400, 4500}));

        assertThat(fit).containsEntry("ms_per_scenario", 10.0).containsEntry("fixed_ms", 500L)
                .containsEntry("r_squared", 1.0);
        assertThat(ScaleSet.fit(List.of(new double[] {1, 1}))).isEmpty();
    }

    @Test
    void theReportReadsTheIndexAndToleratesARunWithoutReport() throws IOException {
        Path info = dir.resolve("run-info.json");
        Files.writeString(info, """
                {"scenario_wall_ms": 2000, "scenarios": {"passed": 20}, "parallelism": {"configured": 4},
                 "requests": 300, "resources": {"heap_peak_mb": 120}}""");
        Path index = dir.resolve("runs.txt");
        Files.writeString(index, "# scenarios run_info maven_wall_ms\n20 " + info + " 9000\n40 " + dir.resolve("none.json")
                + " 100\n");

        Map<String, Object> report = ScaleSet.report(index, dir.resolve("out"));

        assertThat(Files.exists(dir.resolve("out/scale.json"))).isTrue();
        assertThat((String) report.get("summary")).contains("20 scenarios: 2.0 s").contains("40 scenarios: no report");
    }
}
