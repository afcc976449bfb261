package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi.AgentCapacity;
import bai.scenarios.world.Cast;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps about the cluster's capacity as an administrator sees it: the agents, what each has and
 * what the sessions on it hold. Scenarios that compare capacity over time run `@isolated`, since
 * any other session changes it.
 */
@Glossary(value = "Cluster capacity", order = 118)
public class CapacitySteps {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private final Cast cast;
    private Map<String, BigDecimal> noted;

    public CapacitySteps(Cast cast) {
        this.cast = cast;
    }

    /** What is free on all ALIVE agents together, per slot. */
    private Map<String, BigDecimal> freeCapacity() {
        List<AgentCapacity> agents = cast.me().client().admin().aliveAgents();
        assertThat(agents).as("the ALIVE agents").isNotEmpty();
        Map<String, BigDecimal> free = new LinkedHashMap<>();
        agents.forEach(agent -> agent.free().forEach((slot, amount) -> free.merge(slot, amount, BigDecimal::add)));
        return free;
    }

    @Glossary(value = "I (a superadmin) note how much CPU and memory is free on all the live agents together",
            sets = "the noted capacity")
    @Given("I have noted the agents' free capacity")
    public void noteCapacity() {
        noted = freeCapacity();
    }

    @Glossary(value = "the agents' free capacity is down by exactly this much since it was noted (waits up to 30 s"
            + " for the agents' books to settle)", reads = "the noted capacity")
    @Then("the agents have {int} CPU(s) and {int} GiB of memory less free than before")
    public void lessFree(int cpus, int gib) {
        expectChange(-cpus, -gib);
    }

    @Glossary(value = "the agents' free capacity is up by exactly this much since it was noted (waits up to 30 s)",
            reads = "the noted capacity")
    @Then("the agents have {int} CPU(s) and {int} GiB of memory more free than before")
    public void moreFree(int cpus, int gib) {
        expectChange(cpus, gib);
    }

    private void expectChange(int cpus, int gib) {
        if (noted == null) {
            throw new IllegalStateException("no capacity was noted in this scenario; add \"Given I have noted the"
                    + " agents' free capacity\" first");
        }
        BigDecimal cpuChange = BigDecimal.valueOf(cpus);
        BigDecimal memChange = new BigDecimal(BigInteger.valueOf(gib).shiftLeft(30));
        AtomicReference<Map<String, BigDecimal>> last = new AtomicReference<>();
        try {
            Awaitility.await("the agents' free capacity to change by " + cpus + " CPU and " + gib + " GiB")
                    .atMost(SETTLE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                        Map<String, BigDecimal> now = freeCapacity();
                        last.set(now);
                        return change(now, "cpu").compareTo(cpuChange) == 0 && change(now, "mem").compareTo(memChange) == 0;
                    });
        } catch (ConditionTimeoutException e) {
            Map<String, BigDecimal> now = last.get();
            throw new AssertionError("the agents' free capacity did not change by " + cpus + " CPU and " + gib
                    + " GiB within " + SETTLE.toSeconds() + " s: noted " + noted + ", last seen " + now + " (a change of "
                    + change(now, "cpu") + " CPU and " + change(now, "mem") + " bytes of memory)");
        }
    }

    private BigDecimal change(Map<String, BigDecimal> now, String slot) {
        return now.getOrDefault(slot, BigDecimal.ZERO).subtract(noted.getOrDefault(slot, BigDecimal.ZERO));
    }
}
