package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.vfolders.BackgroundTasks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * {@code GET /events/session} and {@code GET /events/background-task}. The session stream: server-sent events for session status changes, named as the
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

    /** Also {@code GET /events/background-task}: a background task's events (clone, asynchronous deletes). */
    public static void register(Router router, Sessions sessions, BackgroundTasks tasks) {
        register(router, sessions);
        router.add("GET", "/events/background-task", AccessLevel.USER, call -> backgroundTask(call, sessions, tasks));
    }

    /**
     * The manager's {@code push_background_task_events}: any authenticated caller may follow any
     * task id ({@code taskId}, or {@code task_id}); the task's latest event comes first, and after
     * its closing event the stream sends {@code server_close} and ends. An unknown task's stream
     * stays open. No thread is held: events are queued by whoever publishes them, pings by the timer.
     */
    private static ApiResponse backgroundTask(ApiCall call, Sessions sessions, BackgroundTasks tasks) {
        String raw = first(call, "taskId", first(call, "task_id", null));
        if (raw == null) {
            throw Problems.invalidApiParameters("1 validation error for PushBackgroundTaskEventsRequest\ntaskId\n"
                    + "  Field required");
        }
        java.util.UUID id;
        try {
            id = raw.matches("(?i)[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                    ? java.util.UUID.fromString(raw.length() == 32 ? raw.replaceFirst(
                    "(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5") : raw) : null;
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null) {
            throw Problems.invalidApiParameters("1 validation error for PushBackgroundTaskEventsRequest\ntaskId\n"
                    + "  Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:`"
                    + " followed by [0-9a-fA-F-]");
        }
        java.util.UUID taskId = id;
        return ApiResponse.eventStream(sink -> {
            sink.send(": connected\n\n");
            ScheduledFuture<?> pings = sessions.background().every(PING, () -> {
                if (sessions.isClosed() || !sink.send(": ping\n\n")) {
                    sink.close();
                }
            });
            sink.onClose(() -> pings.cancel(false));
            tasks.subscribe(taskId, sink);
        });
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
