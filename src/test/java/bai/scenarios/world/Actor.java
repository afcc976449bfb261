package bai.scenarios.world;

import bai.scenarios.client.ManagerClient;

/** Someone in a scenario ("I", later "Alice"), with the signed client that acts for them. */
public record Actor(String name, ManagerClient client) {
    @Override
    public String toString() {
        return name + " (" + client.credentials().accessKey() + ")";
    }
}
