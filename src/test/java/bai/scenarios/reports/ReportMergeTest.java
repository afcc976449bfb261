package bai.scenarios.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.TestRunFinished;
import io.cucumber.messages.types.TestStepResultStatus;
import io.cucumber.messages.ndjson.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A shard's reports folder: its message stream (one scenario) and its run-info.json. */
    private Path shard(String name, String scenario, TestStepResultStatus status, long ms) throws IOException {
        Path shard = Files.createDirectories(dir.resolve(name));
        MessageStream stream = new MessageStream("Feature: " + name + "\n  Scenario: " + scenario
                + "\n    Given a step\n", List.of("a step"));
        List<Envelope> messages = new ArrayList<>(stream.prelude);
        messages.addAll(stream.run(scenario, status));
        messages.add(Envelope.of(new TestRunFinished(null, status == TestStepResultStatus.PASSED,
                MessageStream.now(), null, "run-1")));
        StringWriter ndjson = new StringWriter();
        Serializer serializer = new Serializer();
        for (Envelope message : messages) {
            serializer.writeValue(ndjson, message);
            ndjson.write('\n');
        }
        Files.writeString(shard.resolve("cucumber.ndjson"), ndjson.toString(), StandardCharsets.UTF_8);
        Files.writeString(shard.resolve("run-info.json"), """
                {"target": "emulator", "requests": 10, "scenario_wall_ms": %d, "scenario_time_ms": %d,
                 "scenarios": {"%s": 1}, "interrupted": false,
                 "phases": {"fixture": {"ms": 5, "requests": 3}, "other": {"ms": 1}},
                 "scenario_timings": [{"name": "%s", "uri": "features/%s.feature", "ms": %d}]}
                """.formatted(ms, ms, status == TestStepResultStatus.PASSED ? "passed" : "failed", scenario, name, ms));
        return shard;
    }

    @Test
    void theShardsBecomeOneReportThatFailsWhenAShardFailed() throws IOException {
        Path one = shard("one", "First scenario", TestStepResultStatus.PASSED, 1200);
        Path two = shard("two", "Second scenario", TestStepResultStatus.FAILED, 3400);
        Path out = dir.resolve("merged");

        String summary = ReportMerge.merge(out, List.of(one, two));

        List<JsonNode> messages = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("cucumber.ndjson"))) {
            messages.add(JSON.readTree(line));
        }
        assertThat(messages.stream().filter(m -> m.has("meta")).count()).isLessThanOrEqualTo(1);
        assertThat(messages.stream().filter(m -> m.has("testRunStarted")).count()).isEqualTo(1);
        assertThat(messages.stream().filter(m -> m.has("testCaseFinished")).count()).isEqualTo(2);
        List<JsonNode> finished = messages.stream().filter(m -> m.has("testRunFinished")).toList();
        assertThat(finished).hasSize(1);
        assertThat(finished.get(0).path("testRunFinished").path("success").asBoolean()).isFalse();

        String junit = Files.readString(out.resolve("junit.xml"));
        assertThat(junit).contains("First scenario").contains("Second scenario");
        assertThat(Files.readString(out.resolve("cucumber.html"))).contains("Second scenario");

        JsonNode info = JSON.readTree(out.resolve("run-info.json").toFile());
        assertThat(info.path("requests").asLong()).isEqualTo(20);
        assertThat(info.path("scenario_wall_ms").asLong()).isEqualTo(3400); // the slowest shard
        assertThat(info.path("scenario_time_ms").asLong()).isEqualTo(4600);
        assertThat(info.path("scenarios").path("passed").asLong()).isEqualTo(1);
        assertThat(info.path("scenarios").path("failed").asLong()).isEqualTo(1);
        assertThat(info.path("phases").path("fixture").path("requests").asLong()).isEqualTo(6);
        assertThat(info.path("scenario_timings")).hasSize(2);

        JsonNode durations = JSON.readTree(out.resolve("scenario-durations.json").toFile()).path("features");
        assertThat(durations.path("features/one.feature").asLong()).isEqualTo(1200);
        assertThat(durations.path("features/two.feature").asLong()).isEqualTo(3400);
        assertThat(summary).contains("2 shard(s)");
    }

    @Test
    void aShardWithoutReportsMakesTheMergedRunFailAndInterrupted() throws IOException {
        Path one = shard("one", "First scenario", TestStepResultStatus.PASSED, 1000);
        Path lost = Files.createDirectories(dir.resolve("lost"));
        Path out = dir.resolve("merged");

        ReportMerge.merge(out, List.of(one, lost));

        String last = Files.readAllLines(out.resolve("cucumber.ndjson")).stream().reduce((a, b) -> b).orElseThrow();
        assertThat(JSON.readTree(last).path("testRunFinished").path("success").asBoolean()).isFalse();
        assertThat(JSON.readTree(out.resolve("run-info.json").toFile()).path("interrupted").asBoolean()).isTrue();
    }
}
