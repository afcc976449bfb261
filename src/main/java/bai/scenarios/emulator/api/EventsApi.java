package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.vfolders.BackgroundTasks;
import bai.scenarios.emulator.vfolders.PyPaths;
import bai.scenarios.emulator.state.Directory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * {@code GET /events/session} and {@code GET /events/background-task}. The session stream: server-sent events for session status changes, named as the
 * manager names them ({@code session_pending} … {@code session_started} … {@code session_terminated}),
 * filtered as the manager's session event propagator filters them: a user sees her own sessions
 * (all her keypairs'), a domain admin those of her domain, a superadmin (and a monitor) everyone's.
 * A {@code sessionName} is resolved once, among the caller's live sessions, to the session it
 * names, which the stream then follows (renamed or not). {@code ownerAccessKey} only decides
 * whether a plain user may open the stream at all. Pings keep the stream alive.
 */
public final class EventsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PING = Duration.ofSeconds(1);

    private EventsApi() {
    }

    public static void register(Router router, Sessions sessions, Directory directory) {
        router.add("GET", "/events/session", AccessLevel.USER, call -> subscribe(call, sessions, directory));
    }

    /** Also {@code GET /events/background-task}: a background task's events (clone, asynchronous deletes). */
    public static void register(Router router, Sessions sessions, Directory directory, BackgroundTasks tasks) {
        register(router, sessions, directory);
        router.add("GET", "/events/background-task", AccessLevel.USER, call -> backgroundTask(call, sessions, tasks));
    }

    /**
     * The manager's {@code push_background_task_events}: any authenticated caller may follow any
     * task id ({@code taskId}, or {@code task_id}); the task's latest event comes first, and after
     * its closing event the stream sends {@code server_close} and ends. An unknown task's stream
     * stays open. No thread is held: events are queued by whoever publishes them, pings by the timer.
     */
    private static ApiResponse backgroundTask(ApiCall call, Sessions sessions, BackgroundTasks tasks) {
        String raw = first(call, null, "taskId", "task_id");
        if (raw == null) {
            throw Problems.invalidApiParameters("1 validation error for PushBackgroundTaskEventsRequest\ntaskId\n"
                    + "  Field required");
        }
        java.util.UUID id = PyPaths.pydanticUuid(raw);
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

    private static ApiResponse subscribe(ApiCall call, Sessions sessions, Directory directory) {
        Caller caller = call.caller();
        // Each field is read under its alias or (validate_by_name) its own name.
        String sessionName = first(call, "*", "sessionName", "session_name");
        String owner = first(call, caller.accessKey(), "ownerAccessKey", "owner_access_key");
        String groupName = first(call, "*", "groupName", "group_name");
        String scope = first(call, "*", "scope");
        if (caller.role().equals("user") && !owner.equals(caller.accessKey())) {
            throw Problems.genericForbidden(null);
        }
        UUID sessionId = null;
        if (!sessionName.equals("*")) {
            sessionId = sessions.liveOfUserByName(caller.userId(), sessionName)
                    .orElseThrow(() -> Problems.entityNotFound("No SessionRow matches the given key")).id();
        }
        UUID groupId = null;
        if (!groupName.equals("*")) {
            groupId = directory.groups(g -> g.domainName().equals(caller.domainName()) && g.name().equals(groupName))
                    .stream().findFirst().orElseThrow(() -> Problems.entityNotFound("No ProjectRow matches the given key"))
                    .id();
        }
        boolean sessionScope = false;
        boolean kernelScope = false;
        for (String item : (scope.equals("*") ? "session,kernel" : scope).split(",", -1)) {
            switch (item) {
                case "session" -> sessionScope = true;
                case "kernel" -> kernelScope = true;
                default -> throw Problems.invalidApiParams("Invalid scope: " + scope);
            }
        }
        Filter filter = new Filter(caller.role(), caller.userId(), caller.domainName(), groupId, sessionId,
                sessionScope, kernelScope);
        // No thread is held while the stream is open: events arrive from the event dispatcher, pings
        // from the timer; both only queue bytes for the connection's IO thread.
        return ApiResponse.eventStream(sink -> {
            Consumer<Sessions.Event> listener = event -> {
                if (filter.passes(event)) {
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

    /** Which events a subscriber gets: by her role, the project and the one session she named. */
    private record Filter(String role, UUID userId, String domainName, UUID groupId, UUID sessionId,
                          boolean sessionScope, boolean kernelScope) {
        boolean passes(Sessions.Event event) {
            if (event.isKernelEvent() ? !kernelScope : !sessionScope) {
                return false;
            }
            if ((role.equals("user") || role.equals("admin")) && !event.domainName().equals(domainName)) {
                return false;
            }
            if (role.equals("user") && !event.userId().equals(userId)) {
                return false;
            }
            if (groupId != null && !event.groupId().equals(groupId)) {
                return false;
            }
            return sessionId == null || event.sessionId().equals(sessionId);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event payload is not serialisable", e);
        }
    }

    private static String first(ApiCall call, String fallback, String... names) {
        for (String name : names) {
            var values = call.request().queryValues(name);
            if (!values.isEmpty()) {
                return values.get(0);
            }
        }
        return fallback;
    }
}
