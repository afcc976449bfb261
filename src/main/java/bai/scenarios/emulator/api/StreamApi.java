package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.sessions.StreamExecution;

/**
 * {@code /stream/session/{session_name}/execute}: running code over a WebSocket, as
 * {@code backend.ai run} does (see {@link StreamExecution} for the conversation). Signed like any
 * other call; it also works while the manager is frozen.
 */
public final class StreamApi {
    private StreamApi() {
    }

    public static void register(Router router, Sessions sessions) {
        router.add("GET", "/stream/session/{session_name}/execute", AccessLevel.USER,
                call -> StreamExecution.answer(sessions, call.caller(), call.pathParams().get("session_name")));
    }
}
