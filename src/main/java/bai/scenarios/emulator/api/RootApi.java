package bai.scenarios.emulator.api;

import bai.scenarios.emulator.EmulatorVersion;
import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.ManagerPipeline;
import bai.scenarios.emulator.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /} (API version) and the public health probes. */
public final class RootApi {
    private RootApi() {
    }

    public static void register(Router router) {
        router.add("GET", "", AccessLevel.PUBLIC, call -> hello());
        router.add("GET", "/", AccessLevel.PUBLIC, call -> hello());
        router.add("GET", "/health", AccessLevel.PUBLIC, call -> ApiResponse.ok(
                ordered("status", "ok", "version", EmulatorVersion.reported())));
        // The emulator has no backing services to lose, so both probes are always healthy.
        router.add("GET", "/health/livez", AccessLevel.PUBLIC, call -> ApiResponse.empty(200));
        router.add("GET", "/health/readyz", AccessLevel.PUBLIC, call -> ApiResponse.empty(200));
    }

    private static ApiResponse hello() {
        return ApiResponse.ok(ordered("version", ManagerPipeline.LATEST_VERSION, "manager", EmulatorVersion.reported()));
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
