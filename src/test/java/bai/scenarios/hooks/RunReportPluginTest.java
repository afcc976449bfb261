package bai.scenarios.hooks;

import bai.scenarios.selection.TagSelection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.plugin.event.Result;
import io.cucumber.plugin.event.Status;
import io.cucumber.plugin.event.TestCase;
import io.cucumber.plugin.event.TestCaseFinished;
import io.cucumber.plugin.event.TestCaseStarted;
import io.cucumber.plugin.event.TestRunFinished;
import io.cucumber.plugin.event.TestRunStarted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunReportPluginTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final TestCase SCENARIO = (TestCase) Proxy.newProxyInstance(
            TestCase.class.getClassLoader(), new Class<?>[] {TestCase.class}, (proxy, method, args) -> null);

    @TempDir
    Path reports;

    private final DurableReportsTest.Bus bus = new DurableReportsTest.Bus();

    private void runThreeScenariosAndFinishTwo() {
        bus.send(new TestRunStarted(START));
        for (int i = 0; i < 3; i++) {
            bus.send(new TestCaseStarted(START, SCENARIO));
        }
        bus.send(new TestCaseFinished(START.plusSeconds(1), SCENARIO, new Result(Status.PASSED, Duration.ofSeconds(1), null)));
        bus.send(new TestCaseFinished(START.plusSeconds(2), SCENARIO, new Result(Status.FAILED, Duration.ofSeconds(2), null)));
    }

    @Test
    void anInterruptedRunSaysSoAndCountsWhatFinished() throws Exception {
        RunReportPlugin plugin = new RunReportPlugin(reports, new TagSelection());
        plugin.setEventPublisher(bus);
        runThreeScenariosAndFinishTwo();

        plugin.interrupt();

        JsonNode info = new ObjectMapper().readTree(reports.resolve("run-info.json").toFile());
        assertThat(info.get("interrupted").asBoolean()).isTrue();
        assertThat(info.get("scenarios").get("passed").asInt()).isEqualTo(1);
        assertThat(info.get("scenarios").get("failed").asInt()).isEqualTo(1);
        assertThat(info.get("unfinished_scenarios").asInt()).isEqualTo(1);
        assertThat(info.get("scenario_wall_ms").asLong()).isPositive();

        Files.delete(reports.resolve("run-info.json"));
        plugin.interrupt();
        bus.send(new TestRunFinished(START.plusSeconds(3), new Result(Status.PASSED, Duration.ofSeconds(3), null)));
        assertThat(reports.resolve("run-info.json")).as("written once").doesNotExist();
    }

    @Test
    void aNormalRunIsNotInterrupted() throws Exception {
        Files.writeString(reports.resolve("run-info.json"), "{\"from\": \"the previous run\"}");
        RunReportPlugin plugin = new RunReportPlugin(reports, new TagSelection());
        plugin.setEventPublisher(bus);
        runThreeScenariosAndFinishTwo();
        assertThat(reports.resolve("run-info.json")).as("the previous run's is gone").doesNotExist();
        bus.send(new TestCaseFinished(START.plusSeconds(3), SCENARIO, new Result(Status.PASSED, Duration.ofSeconds(1), null)));

        bus.send(new TestRunFinished(START.plusSeconds(4), new Result(Status.PASSED, Duration.ofSeconds(4), null)));
        plugin.interrupt();

        JsonNode info = new ObjectMapper().readTree(reports.resolve("run-info.json").toFile());
        assertThat(info.get("interrupted").asBoolean()).isFalse();
        assertThat(info.has("unfinished_scenarios")).isFalse();
        assertThat(info.get("scenarios").get("passed").asInt()).isEqualTo(2);
        assertThat(info.get("scenario_wall_ms").asLong()).isEqualTo(4000);
        assertThat(reports.resolve("run-info.json.part")).doesNotExist();
        assertThat(info.has("tag_expression")).as("no tag expression was applied").isFalse();
    }

    @Test
    void theTagSelectionIsRecorded() throws Exception {
        TagSelection selection = new TagSelection();
        selection.record("@auth", "[engine:cucumber]/[feature:a]/[scenario:3]", List.of("@auth"), true);
        selection.record("@auth", "[engine:cucumber]/[feature:a]/[scenario:7]", List.of(), false);
        selection.record("@auth", "[engine:cucumber]/[feature:b]/[scenario:3]", List.of("@admin"), false);
        RunReportPlugin plugin = new RunReportPlugin(reports, selection);
        plugin.setEventPublisher(bus);

        bus.send(new TestRunStarted(START));
        bus.send(new TestRunFinished(START.plusSeconds(1), new Result(Status.PASSED, Duration.ofSeconds(1), null)));

        JsonNode info = new ObjectMapper().readTree(reports.resolve("run-info.json").toFile());
        assertThat(info.get("tag_expression").asText()).isEqualTo("@auth");
        assertThat(info.get("scenarios_selected").asInt()).isEqualTo(1);
        assertThat(info.get("scenarios_in_features").asInt()).isEqualTo(3);
    }
}
