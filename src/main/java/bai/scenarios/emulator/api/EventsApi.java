package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.Sessions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * {@code GET /events/session}: server-sent events for session status changes, named as the
 * manager names them ({@code session_pending} … {@code session_started} … {@code session_terminated}).
 * Users see their own sessions; admins may name another owner; pings keep the stream alive.
 */
public final class EventsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PING = Duration.ofSeconds(1);
    private static final Set<String> SCOPES = Set.of("*", "session", "kernel", "session,kernel", "kernel,session");

    private EventsApi() {
    }

    public static void register(Router router, Sessions sessions) {
        router.add("GET", "/events/session", AccessLevel.USER, call -> subscribe(call, sessions));
    }

    private static ApiResponse subscribe(ApiCall call, Sessions sessions) {
        Caller caller = call.caller();
        String sessionName = first(call, "sessionName", first(call, "session_name", "*"));
        String owner = first(call, "ownerAccessKey", caller.accessKey());
        String scope = first(call, "scope", "*");
        if (!SCOPES.contains(scope)) {
            throw Problems.invalidApiParameters("Invalid scope: " + scope);
        }
        if (!owner.equals(caller.accessKey()) && !caller.keypairIsAdmin()) {
            throw Problems.genericForbidden("Only admins can watch other users' sessions");
        }
        if (!sessionName.equals("*") && sessions.liveByName(owner, sessionName).isEmpty()) {
            throw Problems.entityNotFound("Session not found: " + sessionName);
        }
        boolean superadmin = caller.isSuperadmin();
        boolean everyone = superadmin && owner.equals(caller.accessKey()) && sessionName.equals("*");
        // No thread is held while the stream is open: events arrive from the event dispatcher, pings
        // from the timer; both only queue bytes for the connection's IO thread.
        return ApiResponse.eventStream(sink -> {
            Consumer<Sessions.Event> listener = event -> {
                boolean mine = everyone || event.ownerAccessKey().equals(owner);
                boolean named = sessionName.equals("*") || event.sessionName().equals(sessionName);
                boolean inScope = event.isKernelEvent() ? !scope.equals("session") : !scope.equals("kernel");
                if (mine && named && inScope) {
                    sink.send("event: " + event.name() + "\ndata: " + json(event.payload()) + "\n\n");
                }
            };
            sink.send(": connected\n\n");
            sessions.listen(listener);
            ScheduledFuture<?> pings = sessions.background().every(PING, () -> {
                if (sessions.isClosed() || !sink.send(": ping\n\n")) {
                    sink.close();
                }
            });
            sink.onClose(() -> {
                sessions.unlisten(listener);
                pings.cancel(false);
            });
        });
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event payload is not serialisable", e);
        }
    }

    private static String first(ApiCall call, String name, String fallback) {
        return call.request().queryValues(name).stream().findFirst().orElse(fallback);
    }
}
