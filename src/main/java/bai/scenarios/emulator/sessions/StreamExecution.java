package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.WebSocketSession;
import bai.scenarios.emulator.threads.Futures;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code GET /stream/session/{name}/execute}: the WebSocket version of execute that
 * {@code backend.ai run} uses, as the manager's stream handler speaks it. The client's first text
 * frame is {@code {"mode": "query"|"batch", "code", "options"}}; the server then runs the code
 * under a run id of its own and sends one JSON frame per flush ({@code status}, {@code console},
 * {@code exitCode}, {@code options}, {@code files}), every 0.2 s while the code runs; a
 * {@code waiting-input} frame is answered by the client with a plain text frame; after
 * {@code finished} the server closes the socket (1000). Bad parameters are told in a
 * {@code {"status": "error", "msg"}} frame before the close. Text frames sent while the code runs
 * wait for the next prompt, as the manager reads none until then. A client that leaves while the
 * code runs interrupts it, and the run's end is then collected unsent, so the kernel is free for
 * the next execute. Runs follow the same semantics as {@code POST /session/{name}} execute: the
 * same kernel, serialised behind any unfinished run. An unknown session is refused before the
 * upgrade (404), a request that is no upgrade with 400.
 *
 * <p>No thread waits for the socket: frames arrive on request workers, results complete kernel
 * futures, and each step only queues the next.
 */
public final class StreamExecution {
    /** The manager's stream flush timeout (the REST execute's is 2 s). */
    static final Duration FLUSH = Duration.ofMillis(200);
    /** How long each wait for an abandoned run's end may take (nobody is waiting for the output). */
    static final Duration COLLECT = Duration.ofSeconds(2);
    /** Frames kept for prompts to come; more are dropped (aiohttp's reader would push back instead). */
    private static final int MAX_EARLY_FRAMES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The kernel events on which the manager cancels the kernel's stream handlers. */
    private static final java.util.Set<String> TERMINATING = java.util.Set.of("kernel_terminating",
            "kernel_terminated", "kernel_cancelled");

    private final Sessions sessions;
    private final ComputeSession session;
    private final String runId = newRunId();
    private WebSocketSession.Socket socket;
    private PythonKernel python;
    // Touched only by the socket's serial tasks (frames, kernel results, the close), one at a time.
    private boolean started;
    private boolean waitingInput;
    /** The conversation is over: no frame is read or sent any more. */
    private boolean finished;
    /** The kernel has a run of this stream whose end nobody has collected yet. */
    private boolean running;
    /** The client left mid-run: the run was interrupted and its end is being collected, unsent. */
    private boolean abandoned;
    /** Text frames that came while the code ran, for the prompts to come. */
    private final Deque<String> early = new ArrayDeque<>();

    private StreamExecution(Sessions sessions, ComputeSession session) {
        this.sessions = sessions;
        this.session = session;
    }

    /**
     * Resolves the session as the manager's stream handler does (a UUID names the session whose
     * name is then looked up; a name resolves among the caller's live sessions, any of her
     * keypairs) and answers with the WebSocket that runs code in it.
     */
    public static ApiResponse answer(Sessions sessions, Caller caller, String nameOrId) {
        String name = nameOrId;
        try {
            UUID id = UUID.fromString(nameOrId);
            name = sessions.byId(id).map(ComputeSession::name)
                    .orElseThrow(() -> Problems.sessionNotFound("Session (id=" + nameOrId + ") does not exist."));
        } catch (IllegalArgumentException notAUuid) {
            // a name already
        }
        ComputeSession session = sessions.liveOfUserByName(caller.userId(), name)
                .orElseThrow(() -> Problems.entityNotFound("No SessionRow matches the given key"));
        return ApiResponse.webSocket(socket -> new StreamExecution(sessions, session).open(socket));
    }

    private void open(WebSocketSession.Socket opened) {
        socket = opened;
        socket.onText(this::received);
        // The manager cancels a kernel's stream handlers when the kernel terminates.
        java.util.function.Consumer<Sessions.Event> terminating = event -> {
            if (event.sessionId().equals(session.id()) && TERMINATING.contains(event.name())) {
                socket.later(this::kernelTerminating);
            }
        };
        sessions.listen(terminating);
        socket.onClose(() -> {
            sessions.unlisten(terminating);
            closed();
        });
    }

    /** The session's kernel is terminating: the handler's cancellation, told as the manager tells it. */
    private void kernelTerminating() {
        if (finished) {
            return;
        }
        running = false;
        waitingInput = false;
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("status", "server-restarting");
        frame.put("msg", "The API server is going to restart for maintenance. "
                + "Please connect again with the same run ID.");
        socket.sendText(json(frame));
        end();
    }

    /** On a request worker, one frame at a time. */
    private void received(String text) {
        if (finished) {
            return;
        }
        if (!started) {
            started = true;
            begin(text);
        } else if (waitingInput) {
            waitingInput = false;
            step(() -> python.input(text, FLUSH));
        } else if (early.size() < MAX_EARLY_FRAMES) {
            // The manager reads nothing while the code runs: a frame sent now answers the next prompt.
            early.add(text);
        }
    }

    private void begin(String text) {
        JsonNode params;
        try {
            params = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            fail("Invalid API parameters: JSONDecodeError(" + pythonQuote(jsonError(e)) + ")");
            return;
        }
        if (params == null || !params.isObject()) {
            // params.get(...) on a non-dict: an AttributeError nobody catches; the socket just closes.
            end();
            return;
        }
        JsonNode modeNode = params.path("mode");
        String mode = modeNode.isTextual() ? modeNode.asText() : null;
        if (!truthy(modeNode)) {
            fail(backendError(streamMode("mode is missing or empty!")));
            return;
        }
        if (mode == null || !mode.equals("query") && !mode.equals("batch")) {
            fail(backendError(streamMode("mode has an invalid value.")));
            return;
        }
        String code = params.path("code").isTextual() ? params.path("code").asText() : "";
        String command = params.path("options").path("exec").asText("");
        try {
            python = sessions.locked(() -> {
                if (!session.status.equals("RUNNING") || session.main().python == null) {
                    throw Problems.sessionInvalidState("The session is " + session.status + ", not RUNNING.");
                }
                session.numQueries++;
                session.lastAccess = java.time.Instant.now();
                return session.main().python;
            });
        } catch (ApiError error) {
            fail(backendError(error));
            return;
        }
        running = true;
        step(() -> python.query(runId, mode.equals("batch") ? command : code, FLUSH));
    }

    /** Makes one call into the kernel and handles its result on the socket's worker, in order. */
    private void step(java.util.function.Supplier<CompletableFuture<PythonKernel.RunResult>> call) {
        sessions.requireUnlocked("running code");
        CompletableFuture<PythonKernel.RunResult> result;
        try {
            result = call.get();
        } catch (PythonKernel.KernelGone gone) {
            kernelGone(gone);
            return;
        }
        result.whenComplete((run, failure) -> socket.later(() -> {
            if (failure != null) {
                kernelGone(Futures.cause(failure));
            } else if (abandoned) {
                collect(run);
            } else {
                deliver(run);
            }
        }));
    }

    private void kernelGone(Throwable why) {
        running = false;
        abandoned = false;
        if (!finished) {
            fail(backendError(Problems.sessionInvalidState("The session's kernel has ended: " + why.getMessage())));
        }
    }

    private void deliver(PythonKernel.RunResult run) {
        if (finished) {
            // The conversation ended (the kernel is terminating): nothing more to tell.
            return;
        }
        if (run.status().equals("finished")) {
            running = false;
        }
        if (!socket.isOpen()) {
            // The client left while the code ran (its close is still on its way here).
            finished = true;
            if (running) {
                abandon();
                collect(run);
            }
            return;
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("status", run.status());
        frame.put("console", run.console());
        frame.put("exitCode", run.exitCode());
        frame.put("options", run.prompt() == null ? null : Map.of("prompt", run.prompt()));
        frame.put("files", List.of());
        socket.sendText(json(frame));
        switch (run.status()) {
            case "finished" -> end();
            case "waiting-input" -> {
                String answer = early.poll();
                if (answer == null) {
                    waitingInput = true;
                } else {
                    step(() -> python.input(answer, FLUSH));
                }
            }
            default -> step(() -> python.resume(runId, FLUSH));
        }
    }

    /**
     * The client (or the server) closed the socket. A run still going is interrupted, as the
     * manager interrupts the kernel when its client is gone, and then followed to its end here:
     * the kernel takes no new run until the last one's end was collected, so a run left behind
     * would hold every later execute in the session.
     */
    private void closed() {
        finished = true;
        if (running && !abandoned) {
            abandon();
            if (waitingInput) {
                // No call is in flight while the run waits for input: start collecting it.
                waitingInput = false;
                step(() -> python.input("", COLLECT));
            }
        }
    }

    private void abandon() {
        abandoned = true;
        python.interrupt();
    }

    /** One more piece of an abandoned run: nothing is sent; its end frees the kernel. */
    private void collect(PythonKernel.RunResult run) {
        switch (run.status()) {
            case "finished" -> {
                running = false;
                abandoned = false;
            }
            // An input() the interrupt has not reached yet gets an empty line, so it cannot hang.
            case "waiting-input" -> step(() -> python.input("", COLLECT));
            default -> step(() -> python.resume(runId, COLLECT));
        }
    }

    private void fail(String message) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("status", "error");
        frame.put("msg", message);
        socket.sendText(json(frame));
        end();
    }

    /** The handler returns; aiohttp closes the socket with 1000. */
    private void end() {
        finished = true;
        socket.close(1000);
    }

    /** Python's truth of a JSON value ({@code if not params.get("mode")}). */
    private static boolean truthy(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        return value.size() > 0;
    }

    private static ApiError streamMode(String msg) {
        return Problems.invalidStreamMode(msg);
    }

    /** {@code f"BackendError: {e!r}"} of a manager error: {@code <Class(status): title (msg)>}. */
    private static String backendError(ApiError error) {
        String name = switch (error.typeSlug()) {
            case "invalid-stream-mode" -> "InvalidStreamMode";
            case "session-invalid-state" -> "SessionInvalidState";
            default -> "BackendAIError";
        };
        return "BackendError: <" + name + "(" + error.status() + "): " + error.title()
                + (error.msg() == null ? "" : " (" + error.msg() + ")") + ">";
    }

    private static String jsonError(JsonProcessingException e) {
        var location = e.getLocation();
        long line = location == null ? 1 : Math.max(1, location.getLineNr());
        long column = location == null ? 1 : Math.max(1, location.getColumnNr());
        long offset = location == null ? 0 : Math.max(0, location.getCharOffset());
        return "Expecting value: line " + line + " column " + column + " (char " + offset + ")";
    }

    private static String pythonQuote(String text) {
        return bai.scenarios.emulator.state.PythonRepr.string(text);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stream frame is not serialisable", e);
        }
    }

    /** {@code secrets.token_hex(8)}: the stream handler's own run id. */
    private static String newRunId() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
