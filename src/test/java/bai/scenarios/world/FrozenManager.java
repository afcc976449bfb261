package bai.scenarios.world;

import bai.scenarios.client.ManagerClient;

import java.util.Optional;

/**
 * Whether this scenario froze the manager, and with whose client. Noted before the freeze is
 * asked for, so that {@code hooks.FrozenManagerHook} unfreezes the manager after the scenario,
 * pass or fail. Fresh for every scenario (PicoContainer).
 */
public final class FrozenManager {
    private ManagerClient frozenBy;

    public void freezing(ManagerClient by) {
        frozenBy = by;
    }

    public Optional<ManagerClient> frozenBy() {
        return Optional.ofNullable(frozenBy);
    }

    public void unfrozen() {
        frozenBy = null;
    }
}
