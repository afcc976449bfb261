package bai.scenarios.world;

import bai.scenarios.client.ManagerClient;
import bai.scenarios.fixtures.AdminFixtures.NewUser;

import java.util.Optional;

/**
 * Someone in a scenario ("I", "Alice"), with the signed client that acts for them and, for
 * actors the scenario created, their account (e-mail, password, default keypair).
 */
public record Actor(String name, ManagerClient client, Optional<NewUser> account) {

    public NewUser requireAccount() {
        return account.orElseThrow(() -> new IllegalStateException(name + " is not an account this scenario created"));
    }

    @Override
    public String toString() {
        return name + " (" + client.credentials().accessKey() + ")";
    }
}
