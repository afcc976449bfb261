package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.serving.ModelServices;

import java.util.List;

/** {@code /services}: model services (the manager's endpoints), their replicas (routes) and tokens. */
public final class ServiceApi {
    private ServiceApi() {
    }

    public static void register(Router router, ModelServices services) {
        router.add("GET", "/services", AccessLevel.USER, call -> {
            List<String> names = call.request().queryValues("name");
            return ApiResponse.ok(services.list(call.caller(), names.isEmpty() ? null : names.get(0)));
        });
        router.add("POST", "/services", AccessLevel.USER, call -> services.create(call.caller(), call.jsonBody()));
        router.add("POST", "/services/_/search", AccessLevel.USER,
                call -> ApiResponse.ok(services.search(call.caller(), call.jsonBody())));
        router.add("POST", "/services/_/try", AccessLevel.USER, call -> services.tryStart(call.caller(), call.jsonBody()));
        router.add("GET", "/services/_/runtimes", AccessLevel.USER, call -> ApiResponse.ok(services.runtimes()));
        router.add("GET", "/services/{service_id}", AccessLevel.USER,
                call -> ApiResponse.ok(services.info(call.caller(), call.pathParams().get("service_id"))));
        router.add("DELETE", "/services/{service_id}", AccessLevel.USER,
                call -> ApiResponse.ok(services.delete(call.caller(), call.pathParams().get("service_id"))));
        router.add("GET", "/services/{service_id}/errors", AccessLevel.USER,
                call -> ApiResponse.ok(services.errors(call.caller(), call.pathParams().get("service_id"))));
        router.add("POST", "/services/{service_id}/errors/clear", AccessLevel.USER, call -> {
            services.clearErrors(call.caller(), call.pathParams().get("service_id"));
            return ApiResponse.empty(204);
        });
        router.add("POST", "/services/{service_id}/scale", AccessLevel.USER, call -> ApiResponse.ok(
                services.scale(call.caller(), call.pathParams().get("service_id"), call.jsonBody())));
        router.add("POST", "/services/{service_id}/sync", AccessLevel.USER,
                call -> ApiResponse.ok(services.sync(call.caller(), call.pathParams().get("service_id"))));
        router.add("PUT", "/services/{service_id}/routings/{route_id}", AccessLevel.USER,
                call -> ApiResponse.ok(services.updateRoute(call.caller(), call.pathParams().get("service_id"),
                        call.pathParams().get("route_id"), call.jsonBody())));
        router.add("DELETE", "/services/{service_id}/routings/{route_id}", AccessLevel.USER,
                call -> ApiResponse.ok(services.deleteRoute(call.caller(), call.pathParams().get("service_id"),
                        call.pathParams().get("route_id"))));
        router.add("POST", "/services/{service_id}/token", AccessLevel.USER, call -> ApiResponse.ok(
                services.token(call.caller(), call.pathParams().get("service_id"), call.jsonBody())));
    }
}
