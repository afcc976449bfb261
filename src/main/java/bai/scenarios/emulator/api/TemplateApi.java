package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.SessionService;

/** {@code /template/session}: the caller's session templates (the halfstack examples at boot). */
public final class TemplateApi {
    private TemplateApi() {
    }

    public static void register(Router router, SessionService service) {
        router.add("GET", "/template/session", AccessLevel.USER, call -> ApiResponse.ok(service.templatesOf(call.caller())));
        router.addRunningOnly("POST", "/session/_/create-from-template", AccessLevel.USER,
                call -> service.createFromTemplate(call.caller(), call.jsonBody()));
    }
}
