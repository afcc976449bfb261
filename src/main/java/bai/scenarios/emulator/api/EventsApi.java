package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.Sessions;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code GET /events/session}: server-sent events for session status changes, named as the
 * manager names them ({@code session_pending} … {@code session_started} … {@code session_terminated}).
 * Users see their own sessions; admins may name another owner; pings keep the stream alive.
 */
public final class EventsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        return ApiResponse.streaming("text/event-stream", out -> {
            BlockingQueue<Sessions.Event> queue = new LinkedBlockingQueue<>();
            Consumer<Sessions.Event> listener = queue::add;
            sessions.listen(listener);
            try {
                out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (!sessions.isClosed()) {
                    Sessions.Event event = queue.poll(1, TimeUnit.SECONDS);
                    if (event == null) {
                        out.write(": ping\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        continue;
                    }
                    boolean mine = superadmin && owner.equals(caller.accessKey()) && sessionName.equals("*")
                            || event.session().ownerAccessKey().equals(owner);
                    boolean named = sessionName.equals("*") || event.session().name().equals(sessionName);
                    boolean inScope = event.isKernelEvent() ? !scope.equals("session") : !scope.equals("kernel");
                    if (mine && named && inScope) {
                        out.write(("event: " + event.name() + "\ndata: " + JSON.writeValueAsString(event.payload())
                                + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sessions.unlisten(listener);
            }
        });
    }

    private static String first(ApiCall call, String name, String fallback) {
        return call.request().queryValues(name).stream().findFirst().orElse(fallback);
    }
}
