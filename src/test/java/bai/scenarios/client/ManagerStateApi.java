package bai.scenarios.client;

import java.util.Map;

/**
 * The manager's own status ({@code GET}/{@code PUT /manager/status}, superadmins only): running,
 * or frozen for maintenance, when calls that need a running manager are refused with
 * {@code 503 server-frozen}. Freezing affects every user of the manager.
 */
public final class ManagerStateApi {
    private final ManagerClient client;

    ManagerStateApi(ManagerClient client) {
        this.client = client;
    }

    /** {@code running}, {@code frozen}, … as the manager reports it. */
    public String status() {
        return client.get("/manager/status").orThrow().json().path("status").asText();
    }

    public void freeze() {
        set("frozen");
    }

    public void unfreeze() {
        set("running");
    }

    private void set(String status) {
        client.send("PUT", "/manager/status", Map.of(), Map.of("status", status)).orThrow();
    }
}
