package bai.scenarios.steps;

import bai.scenarios.world.Cast;
import bai.scenarios.world.FrozenManager;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about freezing the manager for maintenance. */
@Glossary(value = "Freezing the manager", order = 95)
public class ManagerStateSteps {
    private final Cast cast;
    private final FrozenManager frozen;

    public ManagerStateSteps(Cast cast, FrozenManager frozen) {
        this.cast = cast;
        this.frozen = frozen;
    }

    @Glossary(value = "I (a superadmin) freeze the manager for maintenance: calls that need a running manager are"
            + " refused for everyone until it is unfrozen; it is unfrozen after the scenario in any case"
            + " (tag the scenario `@destructive @isolated`)", sets = "the manager's status")
    @Given("I have frozen the manager for maintenance")
    public void freeze() {
        frozen.freezing(cast.me().client());
        cast.me().client().managerState().freeze();
    }

    @Glossary(value = "I (a superadmin) set the manager running again", sets = "the manager's status")
    @When("I unfreeze the manager")
    public void unfreeze() {
        cast.me().client().managerState().unfreeze();
        frozen.unfrozen();
    }

    @Glossary(value = "the manager's own status reads `running` (asked by me, a superadmin)")
    @Then("the manager reports that it is running")
    public void reportsRunning() {
        assertThat(cast.me().client().managerState().status()).as("the manager's status").isEqualTo("running");
    }
}
