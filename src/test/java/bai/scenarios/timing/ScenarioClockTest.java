package bai.scenarios.timing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioClockTest {

    @Test
    void requestsOutsideEveryPhaseAreRequestsAndInsideBelongToThePhase() {
        ScenarioClock clock = new ScenarioClock();
        clock.request(5_000_000);
        try (PhaseTimer.Span ignored = clock.enter(Phase.FIXTURES)) {
            clock.request(7_000_000);
            clock.request(1_000_000);
        }
        ScenarioClock.Times times = clock.snapshot();
        assertThat(times.nanos().get(Phase.REQUESTS)).isEqualTo(5_000_000);
        assertThat(times.requests().get(Phase.REQUESTS)).isEqualTo(1);
        assertThat(times.requests().get(Phase.FIXTURES)).isEqualTo(2);
        assertThat(times.requestCount()).isEqualTo(3);
        assertThat(times.requestNanos()).isEqualTo(13_000_000);
    }

    @Test
    void anInnerPhaseTakesItsTimeFromTheOuterOne() {
        ScenarioClock clock = new ScenarioClock();
        long before = System.nanoTime();
        try (PhaseTimer.Span outer = clock.enter(Phase.FIXTURES)) {
            try (PhaseTimer.Span inner = clock.enter(Phase.KERNEL_START)) {
                spin(3_000_000);
            }
            spin(1_000_000);
        }
        long wall = System.nanoTime() - before;
        ScenarioClock.Times times = clock.snapshot();
        assertThat(times.nanos().get(Phase.KERNEL_START)).isGreaterThanOrEqualTo(3_000_000);
        assertThat(times.nanos().get(Phase.FIXTURES)).isGreaterThanOrEqualTo(1_000_000);
        assertThat(times.phaseNanos()).as("exclusive: never more than the wall time").isLessThanOrEqualTo(wall);
    }

    @Test
    void closingTwiceOrOutOfOrderIsHarmless() {
        ScenarioClock clock = new ScenarioClock();
        PhaseTimer.Span outer = clock.enter(Phase.WAITING);
        PhaseTimer.Span inner = clock.enter(Phase.EXECUTION);
        outer.close();
        outer.close();
        inner.close();
        ScenarioClock.Times times = clock.snapshot();
        assertThat(times.nanos().get(Phase.WAITING)).isNotNegative();
        assertThat(times.nanos().get(Phase.EXECUTION)).isNotNegative();
        clock.request(1);
        assertThat(clock.snapshot().requests().get(Phase.REQUESTS)).as("nothing is open any more").isEqualTo(1);
    }

    @Test
    void requestsFromManyThreadsAreAllCounted() throws InterruptedException {
        ScenarioClock clock = new ScenarioClock();
        List<Thread> threads = new ArrayList<>();
        try (PhaseTimer.Span ignored = clock.enter(Phase.TEARDOWN)) {
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        clock.request(10);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertThat(clock.snapshot().requests().get(Phase.TEARDOWN)).isEqualTo(8000);
    }

    @Test
    void aScenarioTimingSaysWhatNoPhaseCovered() {
        ScenarioClock clock = new ScenarioClock();
        clock.request(2_000_000);
        ScenarioTiming timing = ScenarioTiming.of("s", "features/a.feature", 3, "passed", "w1", 10_000_000,
                clock.snapshot());
        assertThat(timing.phaseMillis().get("requests")).isEqualTo(2);
        assertThat(timing.phaseMillis().get("other")).isEqualTo(8);
        PhaseTotals totals = PhaseTotals.of(List.of(timing, timing));
        assertThat(totals.scenarioMillis()).isEqualTo(20);
        assertThat(totals.millis().get("other")).isEqualTo(16);
        assertThat(totals.requestsPerScenario().get("median")).isEqualTo(1);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
