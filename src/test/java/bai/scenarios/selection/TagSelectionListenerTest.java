package bai.scenarios.selection;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TagSelectionListenerTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final AtomicInteger discarded = new AtomicInteger();
    private final TagSelection selection = new TagSelection();
    private final TagSelectionListener listener = new TagSelectionListener(selection,
            new PrintStream(console, true, StandardCharsets.UTF_8), discarded::incrementAndGet);

    @Test
    void saysWhatTheExpressionSelectedBeforeAnythingRuns() {
        selection.record("@auth", "a", List.of("@auth"), true);
        selection.record("@auth", "b", List.of("@admin"), false);
        selection.record("@auth", "a", List.of("@auth"), true); // planned twice, counted once

        listener.testPlanExecutionStarted(null);

        assertThat(printed()).isEqualTo("bai-scenarios Tag expression '@auth' selected 1 of 2 scenarios\n");
        assertThat(discarded).hasValue(0);
    }

    @Test
    void anExpressionThatSelectsNothingNamesTheTagsThereAreAndLeavesNoOldReport() {
        selection.record("@smok", "a", List.of("@smoke", "@auth"), false);
        selection.record("@smok", "b", List.of("@admin"), false);

        listener.testPlanExecutionStarted(null);

        assertThat(printed()).isEqualTo("bai-scenarios Tag expression '@smok' selected 0 of 2 scenarios; there is nothing"
                + " to run. The scenarios' tags are: @admin @auth @smoke\n");
        assertThat(discarded).hasValue(1);
    }

    @Test
    void withoutCucumberScenariosItSaysNothing() {
        listener.testPlanExecutionStarted(null);

        assertThat(printed()).isEmpty();
        assertThat(discarded).hasValue(0);
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
