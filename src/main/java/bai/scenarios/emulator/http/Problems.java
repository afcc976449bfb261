package bai.scenarios.emulator.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The manager's error types the emulator answers with. Each factory mirrors one exception
 * class of the manager (type slug, title and error code as the manager builds them); the
 * {@code msg} is the text the manager passes at the corresponding raise site.
 */
public final class Problems {
    private Problems() {
    }

    public static ApiError invalidAuthParameters(String msg) {
        return new ApiError(400, "invalid-auth-params", "Missing or invalid authorization parameters.",
                "user_auth_invalid-parameters", msg, null);
    }

    public static ApiError authFailed(String msg) {
        return new ApiError(401, "auth-failed", "Credential/signature mismatch.", "user_auth_unauthorized", msg, null);
    }

    public static ApiError insufficientPrivilege(String msg) {
        return new ApiError(403, "insufficient-privilege", "Insufficient privilege.", "user_auth_forbidden", msg, null);
    }

    public static ApiError genericForbidden(String msg) {
        return new ApiError(403, "generic-forbidden", "Forbidden operation.", "backendai_generic_forbidden", msg, null);
    }

    /** Raised by the manager's API-version middleware. */
    public static ApiError genericBadRequest(String msg) {
        return new ApiError(400, "generic-bad-request", "Bad request.", "backendai_generic_bad-request", msg, null);
    }

    /** A handler with a JSON body model got no body, or a body that is not JSON. */
    public static ApiError malformedRequestBody(String msg) {
        return new ApiError(400, "generic-bad-request", "Malformed request body.", "api_parsing_bad-request", msg, null);
    }

    /** Schema validation of a body or query failed; {@code msg} summarises why. */
    public static ApiError invalidApiParameters(String msg) {
        return new ApiError(400, "generic-bad-request", "Invalid or Missing API Parameters.",
                "api_parsing_invalid-parameters", msg, null);
    }

    /** The manager's own InvalidAPIParameters (explicit handler checks), distinct from schema validation. */
    public static ApiError invalidApiParams(String msg) {
        return new ApiError(400, "invalid-api-params", "Missing or invalid API parameters.",
                "api_generic_invalid-parameters", msg, null);
    }

    public static ApiError sessionNotFound(String msg) {
        return new ApiError(404, "object-not-found", "No such session.", "session_read_not-found", msg, null);
    }

    /** A session or project looked up by name that does not exist. */
    public static ApiError entityNotFound(String msg) {
        return new ApiError(404, "entity-not-found", "Entity not found.", "database_access_not-found", msg, null);
    }

    public static ApiError imageNotFound(String msg) {
        return new ApiError(404, "object-not-found", "No such environment image.", "image_read_not-found", msg, null);
    }

    public static ApiError quotaExceeded(String msg) {
        return new ApiError(400, "quota-exceeded", "You have reached your resource limit.", "session_create_unavailable",
                msg, null);
    }

    /** SessionAlreadyExists raised with a message (e.g. renaming to a name a live session has). */
    public static ApiError sessionExists(String msg) {
        return new ApiError(400, "session-already-exists",
                "The session already exists but you requested not to reuse existing one.",
                "session_create_already-exists", msg, null);
    }

    public static ApiError sessionAlreadyExists(String existingId) {
        return new ApiError(400, "session-already-exists",
                "The session already exists but you requested not to reuse existing one.",
                "session_create_already-exists", null, java.util.Map.of("existingSessionId", existingId));
    }

    public static ApiError sessionInvalidState(String msg) {
        return new ApiError(409, "session-invalid-state", "Session with Invalid State", "session_generic_mismatch", msg,
                null);
    }

    /** The manager's {@code InvalidSessionData}: execute parameters it cannot use (a 500, as the manager answers). */
    public static ApiError invalidSessionData(String msg) {
        return new ApiError(500, "invalid-session-data", "Session data has an invalid type or format.",
                "session_read_invalid-data-format", msg, null);
    }

    public static ApiError notImplemented(String msg) {
        return new ApiError(501, "not-implemented", "This API is not implemented.", "api_generic_not-implemented", msg,
                null);
    }

    public static ApiError urlNotFound(String path) {
        return new ApiError(404, "url-not-found", "Unknown URL path.", "api_read_not-found", null, path);
    }

    public static ApiError methodNotAllowed(String allowedMethods) {
        return new ApiError(405, "method-not-allowed", "HTTP Method Not Allowed.", "api_access_forbidden", null, null)
                .withHeader("Allow", allowedMethods);
    }

    /** The manager's {@code ObjectNotFound} naming what was not found in its title ("No such project (user group)."). */
    public static ApiError objectNotFound(String objectName, String msg) {
        return new ApiError(404, "object-not-found", "No such " + objectName + ".", "backendai_read_not-found", msg,
                null);
    }

    /** {@code ProjectNotFound}: a project (group) the caller named does not exist or she is not a member of it. */
    public static ApiError projectNotFound(String msg) {
        return new ApiError(404, "project-not-found", "Project not found.", "group_read_not-found", msg, null);
    }

    /** {@code ResourceGroupNotFound}: a scaling group that does not exist or is not allowed to the caller. */
    public static ApiError scalingGroupNotFound(String msg) {
        return new ApiError(404, "object-not-found", "No such scaling group.", "scaling-group_read_not-found", msg,
                null);
    }

    /** {@code TaskTemplateNotFound}. */
    public static ApiError taskTemplateNotFound() {
        return new ApiError(404, "object-not-found", "No such task template.", "template_read_not-found", null, null);
    }

    /** {@code VFolderNotFound}, with the manager's {@code data} (e.g. the missing {@code .logs} folder). */
    public static ApiError vfolderNotFound(Object data) {
        return new ApiError(404, "object-not-found", "No such virtual folder.", "vfolder_read_not-found", null, data);
    }

    /** {@code VFolderBadRequest}, which the manager also raises for too many session downloads. */
    public static ApiError vfolderBadRequest(String msg) {
        return new ApiError(400, "vfolder-operation-failed", "Virtual folder operation has failed due to bad request.",
                "vfolder_generic_bad-request", msg, null);
    }

    /**
     * {@code KernelExecutionFailed("FAILURE", AgentError)}: an agent-side exception during a kernel
     * operation (files, logs), shown as the agent's exception repr in {@code agent-details}.
     */
    public static ApiError kernelExecutionFailed(String agentExceptionRepr) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "https://api.backend.ai/probs/agent-failure");
        details.put("title", "Agent-side exception occurred.");
        details.put("exception", agentExceptionRepr);
        return new ApiError(500, "kernel-execution-failed", "Executing user code in the kernel has failed.", details);
    }

    /** {@code InvalidStreamMode}: a stream execute's first frame without a usable mode. */
    public static ApiError invalidStreamMode(String msg) {
        return new ApiError(400, "invalid-stream-mode", "Invalid or missing stream mode parameter.",
                "session_execute_invalid-parameters", msg, null);
    }

    /** {@code KernelNotReady}. */
    public static ApiError kernelNotReady(String msg) {
        return new ApiError(400, "kernel-not-ready", "Kernel not ready.", "kernel_read_not-ready", msg, null);
    }

    /** {@code ServerFrozen}: a route that needs a running manager, while it is frozen for maintenance. */
    public static ApiError serverFrozen() {
        return new ApiError(503, "server-frozen", "The server is frozen due to maintenance. Please try again later.",
                "api_access_unavailable", null, null);
    }

    /** {@code InvalidSSHPrivateKey}. */
    public static ApiError invalidSshPrivateKey(String msg) {
        return new ApiError(400, "invalid-ssh-private-key",
                "The SSH private key is invalid or in an unsupported format.", "keypair_create_invalid-data-format",
                msg, null);
    }

    /** {@code InvalidSSHPublicKey}. */
    public static ApiError invalidSshPublicKey(String msg) {
        return new ApiError(400, "invalid-ssh-public-key", "The SSH public key is invalid or in an unsupported format.",
                "keypair_create_invalid-data-format", msg, null);
    }

    /** {@code SSHKeypairMismatch}. */
    public static ApiError sshKeypairMismatch(String msg) {
        return new ApiError(400, "ssh-keypair-mismatch", "The SSH public key does not match the private key.",
                "keypair_create_invalid-parameters", msg, null);
    }

    public static ApiError userNotFound(String msg) {
        return new ApiError(404, "object-not-found", "No such user.", "user_read_not-found", msg, null);
    }

    public static ApiError rateLimitExceeded() {
        return new ApiError(429, "rate-limit-exceeded", "You have reached your API query rate limit.",
                "api_access_unavailable", null, null);
    }

    /** aiohttp's own HTTP errors (e.g. an oversized body) reach the client as a plain bad request. */
    public static ApiError requestTooLarge(String msg) {
        return new ApiError(400, "generic-bad-request", "Bad request.", "backendai_generic_bad-request", msg, null);
    }

    public static ApiError internalServerError() {
        return new ApiError(500, "internal-server-error", "Internal server error.", "backendai_generic_internal-error",
                null, null);
    }
}
