package bai.scenarios.emulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartPhasesTest {
    @Test
    void recordsEachPhaseInOrderAndTheTotal() {
        StartPhases phases = new StartPhases();
        phases.mark("first");
        phases.mark("second");
        assertThat(phases.phases()).extracting(StartPhases.Phase::name).containsExactly("first", "second");
        assertThat(phases.phases()).allSatisfy(phase -> {
            assertThat(phase.micros()).isNotNegative();
            assertThat(phase.cpuMicros()).isGreaterThanOrEqualTo(-1);
            assertThat(phase.classesLoaded()).isNotNegative();
        });
        assertThat(phases.totalCpuMicros()).isEqualTo(phases.phases().stream().anyMatch(p -> p.cpuMicros() < 0) ? -1
                : phases.phases().stream().mapToLong(StartPhases.Phase::cpuMicros).sum());
        long sum = phases.phases().stream().mapToLong(StartPhases.Phase::micros).sum();
        assertThat(phases.totalMicros()).as("each phase rounds down to microseconds, the total once")
                .isBetween(sum, sum + phases.phases().size());
        assertThat(phases.toString()).startsWith("total ").contains("first ", " ms (CPU ", "second ");
    }

    @Test
    void anotherThreadsPartCountsFromTheSameBeginning() {
        long began = System.nanoTime() - 5_000_000;
        StartPhases phases = new StartPhases(began);
        phases.mark("waited");
        assertThat(phases.began()).isEqualTo(began);
        assertThat(phases.phases().get(0).micros()).isGreaterThanOrEqualTo(5_000);
    }

    @Test
    void tellsItsListenerEachPhaseAsItEnds() {
        List<String> seen = new ArrayList<>();
        StartPhases phases = new StartPhases(System.nanoTime(), seen::add);
        phases.mark("a");
        phases.mark("b");
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void aListenerThatThrowsFailsTheMarkAfterTheMarkIsRecorded() {
        StartPhases phases = new StartPhases(System.nanoTime(), name -> {
            throw new IllegalStateException("held");
        });
        assertThatThrownBy(() -> phases.mark("a")).hasMessage("held");
        assertThat(phases.phases()).extracting(StartPhases.Phase::name).containsExactly("a");
    }
}
