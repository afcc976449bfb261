package bai.scenarios.emulator.api;

import bai.scenarios.emulator.EmulatorVersion;
import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.ManagerStatus;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code /manager/status}: the manager's status (superadmins only), and freezing it for
 * maintenance. Neither route has the manager's status middleware, so a frozen manager can always
 * be unfrozen; while frozen, routes that need a running manager answer {@code 503 server-frozen}.
 */
public final class ManagerApi {
    private final ManagerStatus status;
    private final IntSupplier activeSessions;
    private final Supplier<String> serviceAddress;

    private ManagerApi(ManagerStatus status, IntSupplier activeSessions, Supplier<String> serviceAddress) {
        this.status = status;
        this.activeSessions = activeSessions;
        this.serviceAddress = serviceAddress;
    }

    /**
     * @param activeSessions how many sessions hold agent resources (the manager counts main
     *     kernels whose status is neither PENDING, TERMINATED nor CANCELLED)
     * @param serviceAddress the {@code host:port} the emulator serves on (the manager's
     *     {@code service-addr} setting)
     */
    public static void register(Router router, ManagerStatus status, IntSupplier activeSessions,
                                Supplier<String> serviceAddress) {
        ManagerApi api = new ManagerApi(status, activeSessions, serviceAddress);
        router.add("GET", "/manager/status", AccessLevel.SUPERADMIN, api::fetch);
        router.add("PUT", "/manager/status", AccessLevel.SUPERADMIN, api::update);
    }

    private ApiResponse fetch(ApiCall call) {
        String current = status.current().wire();
        int active = activeSessions.getAsInt();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", "emulator");
        node.put("num_proc", 1);
        node.put("service_addr", serviceAddress.get());
        node.put("heartbeat_timeout", 40.0);
        node.put("ssl_enabled", false);
        node.put("active_sessions", active);
        node.put("status", current);
        node.put("version", EmulatorVersion.reported());
        node.put("api_version", apiVersion(call));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("nodes", List.of(node));
        answer.put("status", current);
        answer.put("active_sessions", active);
        return ApiResponse.ok(answer);
    }

    /** The request's API version as the manager keeps it: {@code [9, "20250722"]}. */
    private static List<Object> apiVersion(ApiCall call) {
        String header = call.request().header("X-BackendAI-Version");
        if (header == null || header.isEmpty()) {
            header = call.request().header("X-Sorna-Version");
        }
        if (header == null || header.isEmpty()) {
            header = "v5.20191215";
        }
        String[] parts = header.substring(1).split("\\.", 2);
        List<Object> version = new ArrayList<>();
        version.add(Integer.parseInt(parts[0]));
        version.add(parts[1]);
        return version;
    }

    private ApiResponse update(ApiCall call) {
        JsonNode body = call.jsonBody();
        String wanted = ApiCall.requiredString(body, "UpdateManagerStatusRequest", "status");
        JsonNode forceKill = body.path("force_kill");
        if (!forceKill.isMissingNode() && !forceKill.isNull() && !forceKill.isBoolean()) {
            throw Problems.invalidApiParameters("1 validation error for UpdateManagerStatusRequest\nforce_kill\n"
                    + "  Input should be a valid boolean");
        }
        ManagerStatus.Value value = ManagerStatus.Value.of(wanted);
        if (value == null) {
            // ManagerStatus(status) raises a ValueError nobody catches: the exception middleware's 500.
            throw Problems.internalServerError();
        }
        // force_kill is accepted and, as in the manager's service, has no effect.
        status.set(value);
        return ApiResponse.empty(204);
    }
}
