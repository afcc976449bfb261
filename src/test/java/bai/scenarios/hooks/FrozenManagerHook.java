package bai.scenarios.hooks;

import bai.scenarios.world.FrozenManager;
import io.cucumber.java.After;
import io.cucumber.java.Scenario;

/**
 * Unfreezes the manager after a scenario that froze it, pass or fail, and whatever
 * {@code bai.keep-fixtures} says: a frozen manager refuses every other user. Runs before the
 * fixtures are released (Cucumber runs higher orders first), since releasing them needs a
 * running manager. A failed unfreeze fails the scenario loudly.
 */
public class FrozenManagerHook {
    private final FrozenManager frozen;

    public FrozenManagerHook(FrozenManager frozen) {
        this.frozen = frozen;
    }

    @After(order = 20_000)
    public void unfreeze(Scenario scenario) {
        frozen.frozenBy().ifPresent(client -> {
            client.managerState().unfreeze();
            frozen.unfrozen();
            scenario.log("The manager was unfrozen after the scenario.");
        });
    }
}
