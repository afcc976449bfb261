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

    /** {@code TooManyConcurrentLoginSessions}: the user's policy caps her login sessions (raised without a message). */
    public static ApiError tooManyConcurrentLoginSessions() {
        return new ApiError(409, "active-login-session-exists", "Too many concurrent login sessions for this user.",
                "auth_auth_conflict", null, null);
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

    /** {@code UserResourcePolicyNotFound} (the v2 resource policy API's lookup). */
    public static ApiError userResourcePolicyNotFound(String msg) {
        return new ApiError(404, "user-resource-policy-not-found", "User Resource Policy Not Found",
                "user-resource-policy_read_not-found", msg, null);
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

    /**
     * A body over the route's limit: 400, not 413. aiohttp raises {@code HTTPRequestEntityTooLarge}
     * (413) from {@code request.read()/json()} once the body passes {@code client_max_size} (the
     * manager's {@code web.Application()} keeps aiohttp's default, 1 MiB). That read happens inside
     * the handler (the {@code api_handlers} body parsing catches only {@code JSONDecodeError}), so the
     * exception middleware ({@code api/rest/middleware/exception.py}) sees it in its
     * {@code except web.HTTPException} branch: 404 becomes {@code URLNotFound}, 405
     * {@code MethodNotAllowed}, and every other status {@code raise GenericBadRequest from ex}, with
     * no arguments, hence no {@code msg}. The client gets {@code 400 generic-bad-request}
     * "Bad request." {@code backendai_generic_bad-request}, and nothing else.
     */
    public static ApiError requestTooLarge() {
        return new ApiError(400, "generic-bad-request", "Bad request.", "backendai_generic_bad-request", null, null);
    }

    // --- virtual folders (manager side: ai.backend.manager.errors.storage and friends) -----------

    /** VFolderNotFound: {@code msg} and {@code data} as the raise site passes them (either may be null). */
    public static ApiError vfolderNotFound(String msg, Object data) {
        return new ApiError(404, "object-not-found", "No such virtual folder.", "vfolder_read_not-found", msg, data);
    }

    /** TooManyVFoldersFound: a name that several accessible folders carry. */
    public static ApiError tooManyVFolders(Object matches) {
        return new ApiError(404, "too-many-vfolders", "Multiple vfolders found for the operation for a single vfolder.",
                "vfolder_read_conflict", null, java.util.Map.of("matches", matches));
    }

    public static ApiError vfolderFilterStatusFailed(String msg) {
        return new ApiError(400, "vfolder-filter-status-failed", "Virtual folder status filtering has failed.",
                "vfolder_read_bad-request", msg, null);
    }

    public static ApiError vfolderInvalidParameter(String msg) {
        return new ApiError(400, "vfolder-invalid-parameter", "Invalid parameter for virtual folder operation.",
                "vfolder_access_invalid-parameters", msg, null);
    }

    /** The text {@code str(VFolderInvalidParameter(msg))}, which the create handler re-raises as invalid-api-params. */
    public static String vfolderInvalidParameterText(String msg) {
        return "Invalid parameter for virtual folder operation." + (msg == null ? "" : " (" + msg + ")");
    }

    public static ApiError vfolderAlreadyExists(String msg) {
        return new ApiError(409, "vfolder-already-exists", "The virtual folder already exists with the same name.",
                "vfolder_create_already-exists", msg, null);
    }

    /** The text {@code str(VFolderAlreadyExists(msg))}. */
    public static String vfolderAlreadyExistsText(String msg) {
        return "The virtual folder already exists with the same name." + (msg == null ? "" : " (" + msg + ")");
    }

    public static ApiError vfolderCreationFailed(String msg) {
        return new ApiError(400, "vfolder-creation-failed", "Virtual folder creation failed.",
                "vfolder_create_internal-error", msg, null);
    }

    /** VFolderOperationFailed: another non-2xx answer of the storage proxy (e.g. mkdir's 422). */
    public static ApiError vfolderOperationFailed(String msg) {
        return new ApiError(400, "vfolder-operation-failed", "Virtual folder operation has failed.",
                "vfolder_generic_internal-error", msg, null);
    }

    public static ApiError vfolderPermissionError(String msg) {
        return new ApiError(400, "vfolder-permission-error",
                "The virtual folder does not permit the specified permission.", "vfolder_access_forbidden", msg, null);
    }

    public static ApiError vfolderInvitationNotFound() {
        return new ApiError(404, "vfolder-invitation-not-found", "Virtual folder invitation not found.",
                "vfolder-invitation_read_not-found", null, null);
    }

    public static ApiError vfolderGrantAlreadyExists(String msg) {
        return new ApiError(409, "vfolder-grant-already-exists", "Virtual folder grant already exists.",
                "vfolder_grant_already-exists", msg, null);
    }

    public static ApiError vfolderDeletionNotAllowed(String msg) {
        return new ApiError(400, "vfolder-deletion-not-allowed", "Virtual folder deletion is not allowed.",
                "vfolder_soft-delete_bad-request", msg, null);
    }

    /** InsufficientStoragePermission: the host does not grant the permission the operation needs. */
    public static ApiError storagePermissionNotAllowed(String msg) {
        return new ApiError(400, "storage-permission-not-allowed", "The specified storage permission is not allowed.",
                "storage_access_forbidden", msg, null);
    }

    /** The manager's {@code Forbidden} (a vfolder access refusal), distinct from generic-forbidden. */
    public static ApiError vfolderForbidden(String msg) {
        return new ApiError(403, "forbidden", "Forbidden operation.", "vfolder_access_forbidden", msg, null);
    }


    /** The RBAC validator's refusal of an action on an entity. */
    public static ApiError notEnoughPermission(String msg) {
        return new ApiError(403, "not-enough-permission", "Insufficient permission to perform this operation.",
                "role_create_forbidden", msg, null);
    }

    // --- the storage proxy's own errors (ai.backend.storage.*, answered by its client-facing API) ----

    /** The storage proxy's InvalidAPIParameters (handler checks, e.g. a missing Upload-Offset). */
    public static ApiError storageInvalidApiParams(String msg) {
        return new ApiError(400, "storage/invalid-api-params", "Invalid API parameters",
                "storage-proxy_request_invalid-parameters", msg, null);
    }

    /** The storage proxy's {@code check_params} refusal: a parameter (e.g. the token) failed validation. */
    public static ApiError storageParamsRejected(java.util.Map<String, Object> data) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", ApiError.typeUrl("storage/invalid-api-params"));
        body.put("title", "Invalid API parameters");
        body.put("data", data);
        return new ApiError(400, body);
    }

    /** The download handler's own 404 (no error code, no msg). */
    public static ApiError storageFileNotFound() {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("title", "File not found");
        body.put("type", ApiError.typeUrl("storage/file-not-found"));
        return new ApiError(404, body);
    }

    public static ApiError uploadOffsetMismatch(String msg) {
        return new ApiError(409, "storage/upload-offset-mismatch", "Upload Offset Mismatch",
                "storage-proxy_update_conflict", msg, null);
    }

    public static ApiError tusSessionNotFound(String msg) {
        return new ApiError(404, "storage/tus-session-not-found", "TUS upload session not found",
                "storage-proxy_read_not-found", msg, null);
    }

    /** Another PATCH of the same upload session is still writing (the real proxy's per-session lease). */
    public static ApiError tusLeaseHeld(String msg) {
        return new ApiError(409, "storage/tus-lease-held", "TUS session lease is held by another storage-proxy",
                "storage-proxy_update_conflict", msg, null);
    }

    public static ApiError unsupportedFileType(String msg) {
        return new ApiError(400, "storage/unsupported-file-type", "Unsupported File Type",
                "vfs-storage_read_invalid-parameters", msg, null);
    }

    public static ApiError jwtExpired() {
        return new ApiError(401, "jwt-expired", "JWT token has expired.", "auth_auth_data-expired", null, null);
    }

    public static ApiError jwtInvalidSignature() {
        return new ApiError(401, "jwt-invalid-signature", "JWT signature verification failed.",
                "auth_auth_unauthorized", null, null);
    }

    public static ApiError jwtDecodeError(String msg) {
        return new ApiError(400, "jwt-decode-error", "Failed to decode JWT token.", "auth_auth_bad-request", msg,
                null);
    }

    public static ApiError internalServerError() {
        return new ApiError(500, "internal-server-error", "Internal server error.", "backendai_generic_internal-error",
                null, null);
    }

    /**
     * The emulator's initialisation failed after it began to listen: every request is answered
     * with this (the manager's internal error, with the failure as its {@code msg}), never with
     * an answer of a half-built emulator.
     */
    public static ApiError emulatorStartFailed(Throwable failure) {
        return new ApiError(500, "internal-server-error", "Internal server error.", "backendai_generic_internal-error",
                "the emulator failed to start: " + failure, null);
    }

    /** {@code ModelServiceNotFound}. */
    public static ApiError modelServiceNotFound() {
        return new ApiError(404, "object-not-found", "No such model service.", "model-service_read_not-found", null,
                null);
    }

    /** {@code RouteNotFound}. */
    public static ApiError routeNotFound() {
        return new ApiError(404, "object-not-found", "No such route.", "route_read_not-found", null, null);
    }

    /** {@code EndpointAccessForbiddenError}. */
    public static ApiError endpointAccessForbidden() {
        return new ApiError(403, "generic-forbidden", "Access to this endpoint is forbidden.", "endpoint_read_forbidden",
                null, null);
    }
}
