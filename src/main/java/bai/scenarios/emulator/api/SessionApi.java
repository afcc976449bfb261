package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Multipart;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.SessionService;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code /session}: compute sessions (create, info, destroy, execute, rename, logs, history,
 * files, direct access). As the manager's handlers, only create, destroy, status history and
 * container logs read {@code owner_access_key}; the others always address the caller's own
 * sessions.
 */
public final class SessionApi {
    private static final long UPLOAD_MAX_BODY = 24L * 1024 * 1024;

    private SessionApi() {
    }

    public static void register(Router router, SessionService service) {
        // Creating and renaming need a running manager (all_status_mw); the rest also work while it is frozen.
        router.addRunningOnly("POST", "/session", AccessLevel.USER,
                call -> service.create(call.caller(), call.jsonBody()));
        router.addRunningOnly("POST", "/session/_/create", AccessLevel.USER,
                call -> service.create(call.caller(), call.jsonBody()));
        // Task logs have a route of their own; a session named "_" is never looked up here.
        router.add("GET", "/session/_/logs", AccessLevel.USER, call -> service.taskLogs(call.caller(), taskId(call)));
        router.add("HEAD", "/session/_/logs", AccessLevel.USER, call -> service.taskLogs(call.caller(), taskId(call)));
        router.add("GET", "/session/{session_name}", AccessLevel.USER, call -> service.info(call.caller(), name(call)));
        router.add("DELETE", "/session/{session_name}", AccessLevel.USER, call -> service.destroy(call.caller(),
                name(call), query(call, "owner_access_key"), flag(call, "forced"), flag(call, "recursive")));
        router.add("POST", "/session/{session_name}", AccessLevel.USER,
                call -> service.execute(call.caller(), name(call), call.jsonBody()));
        router.add("PATCH", "/session/{session_name}", AccessLevel.USER, call -> {
            throw Problems.notImplemented("Session restart is no longer supported. "
                    + "Terminate the session and enqueue a new one instead.");
        });
        router.add("GET", "/session/{session_name}/status-history", AccessLevel.USER,
                call -> service.statusHistory(call.caller(), name(call), query(call, "owner_access_key")));
        router.add("GET", "/session/{session_name}/logs", AccessLevel.USER, call -> service.logs(call.caller(),
                name(call), query(call, "owner_access_key", "ownerAccessKey"), query(call, "kernel_id", "kernelId")));
        router.addRunningOnly("POST", "/session/{session_name}/rename", AccessLevel.USER,
                call -> service.rename(call.caller(), name(call), renameTo(call.jsonBody())));
        router.add("GET", "/session/{session_name}/dependency-graph", AccessLevel.USER,
                call -> service.dependencyGraph(call.caller(), name(call)));
        router.add("GET", "/session/{session_name}/direct-access-info", AccessLevel.USER,
                call -> service.directAccessInfo(call.caller(), name(call)));
        router.add("GET", "/session/{session_name}/files", AccessLevel.USER, call -> service.listFiles(call.caller(),
                name(call), call.request().queryValues("path").stream().findFirst().orElse(".")));
        // The manager streams upload parts (20 files under 1 MiB each), so this route reads more than 1 MiB.
        router.add("POST", "/session/{session_name}/upload", AccessLevel.USER, call -> service.upload(call.caller(),
                name(call), Multipart.parse(call.request().header("Content-Type"), call.request().body())),
                UPLOAD_MAX_BODY);
        router.add("POST", "/session/{session_name}/download", AccessLevel.USER,
                call -> service.download(call.caller(), name(call), files(call)));
        router.add("POST", "/session/{session_name}/download_single", AccessLevel.USER, call -> service.downloadSingle(
                call.caller(), name(call), call.request().queryValues("file").stream().findFirst().orElse(null)));
        router.add("POST", "/session/{session_name}/interrupt", AccessLevel.USER,
                call -> service.interrupt(call.caller(), name(call)));
    }

    private static String name(ApiCall call) {
        return call.pathParams().get("session_name");
    }

    /** The first of the names (a field and its aliases, in pydantic's order) the query carries. */
    private static String query(ApiCall call, String... names) {
        for (String name : names) {
            List<String> values = call.request().queryValues(name);
            if (!values.isEmpty()) {
                return values.get(0);
            }
        }
        return null;
    }

    /** {@code GetTaskLogsRequest.kernel_id} and its aliases, in their order. */
    private static String taskId(ApiCall call) {
        return query(call, "kernel_id", "session_name", "sessionName", "task_id", "taskId");
    }

    private static List<String> files(ApiCall call) {
        List<String> files = call.request().queryValues("files");
        if (files.isEmpty()) {
            throw Problems.invalidApiParameters("1 validation error for DownloadFilesRequest\nfiles\n  Field required");
        }
        return files;
    }

    private static boolean flag(ApiCall call, String name) {
        return call.request().queryValues(name).stream().findFirst()
                .map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")).orElse(false);
    }

    private static String renameTo(JsonNode body) {
        for (String key : new String[] {"session_name", "name", "clientSessionToken"}) {
            if (body.path(key).isTextual()) {
                return body.get(key).asText();
            }
        }
        throw Problems.invalidApiParameters("1 validation error for RenameSessionRequest\nsession_name\n  Field required");
    }
}
