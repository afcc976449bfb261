package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.vfolders.FolderRbac.Operation;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The manager's handlers for a folder's files: mkdir, list, rename, move, delete (at once and as a
 * background task), and the upload and download sessions of the storage proxy. The manager checks
 * (route resolver, body, RBAC, host permission) run under the state lock; the storage proxy's work
 * runs on the storage pool, with the proxy's rules and the manager's rendering of its errors.
 */
final class VFolderFiles {
    private static final int MKDIR_LIMIT = 50;

    private final VFolderContext ctx;

    VFolderFiles(VFolderContext ctx) {
        this.ctx = ctx;
    }

    /** The folder of the route, checked as the route and the action check it; returns its path on disk. */
    private Path target(Who who, VFolder folder, Operation operation, String hostPermission) {
        return ctx.locked(() -> {
            ctx.registry.requireRbac(who, folder, operation);
            VFolder validated = ctx.registry.validated(who, folder.id);
            if (hostPermission != null) {
                HostPermissions.require(ctx.directory, who, null, validated.host, hostPermission);
            }
            return ctx.folderPath(validated);
        });
    }

    private VFolder resolve(ApiCall call, Who who, Set<String> permissions, Set<String> statuses) {
        return ctx.locked(() -> ctx.registry.resolve(who, VFolderService.name(call), permissions, statuses, false));
    }

    private static final Set<String> WRITABLE = Set.of("rw", "wd");

    // --- directories and listings -----------------------------------------------------------------

    /** {@code POST /folders/{name}/mkdir}: one path or up to 50; 200 with what succeeded and failed. */
    ApiResponse mkdir(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, WRITABLE, VFolder.UPDATABLE);
        Fields body = Fields.body(call, "MkdirReq");
        JsonNode raw = body.raw("path");
        List<String> paths = new ArrayList<>();
        if (raw == null) {
            throw body.invalid("path", "Field required");
        } else if (raw.isTextual()) {
            paths.add(raw.asText());
        } else if (raw.isArray()) {
            paths.addAll(body.stringList("path", 0));
        } else {
            throw body.invalid("path.str", "Input should be a valid string");
        }
        boolean parents = body.bool("parents", true);
        boolean existOk = body.bool("exist_ok", false);
        if (raw.isArray() && paths.size() > MKDIR_LIMIT) {
            throw Problems.vfolderInvalidParameter("Too many directories specified.");
        }
        Path path = target(who, folder, Operation.CREATE, null);
        return ctx.later(() -> {
            paths.forEach(Volume::requireRelative);
            List<Map<String, Object>> success = new ArrayList<>();
            List<Map<String, Object>> failed = new ArrayList<>();
            for (String relpath : paths) {
                String failure = ctx.volume.mkdir(path, relpath, parents, existOk);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("msg", failure);
                result.put("item", PyPaths.pure(relpath));
                (failure == null ? success : failed).add(result);
            }
            if (success.isEmpty()) {
                // The proxy answers 422 when every directory failed, which the manager reports as a failure.
                throw Problems.vfolderOperationFailed("Unexpected error 422 from storage proxy");
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("success", success);
            results.put("failed", failed);
            return ApiResponse.ok(Map.of("results", results));
        });
    }

    /** {@code GET /folders/{name}/files?path=}: one directory's entries (not recursive), as the proxy scans them. */
    ApiResponse list(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, VFolder.PERMISSIONS, VFolder.READABLE);
        Fields query = Fields.query(call, "ListFilesQuery", "path");
        String relpath = query.has("path") ? query.requiredString("path") : "";
        Path path = target(who, folder, Operation.READ, null);
        return ctx.later(() -> ApiResponse.ok(Map.of("items", ctx.volume.list(path, relpath))));
    }

    // --- renames, moves, deletions ------------------------------------------------------------------

    /** {@code POST /folders/{name}/rename-file}: a file or directory renamed in place. */
    ApiResponse renameFile(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, WRITABLE, VFolder.UPDATABLE);
        Fields body = Fields.body(call, "RenameFileReq");
        String targetPath = body.requiredString("target_path");
        String newName = body.requiredString("new_name");
        body.bool("is_dir", false);
        Path path = target(who, folder, Operation.UPDATE, HostPermissions.MODIFY);
        return ctx.later(() -> {
            Volume.requireRelative(targetPath);
            String renamed = PyPaths.withName(targetPath, newName);
            if (renamed == null) {
                throw Volume.StorageException.badRequest("Invalid name " + newName);
            }
            ctx.volume.move(path, targetPath, renamed);
            return ApiResponse.ok(Map.of("msg", ""));
        });
    }

    /** {@code POST /folders/{name}/move-file}: {@code shutil.move} semantics (into a directory that exists). */
    ApiResponse moveFile(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, WRITABLE, VFolder.UPDATABLE);
        Fields body = Fields.body(call, "MoveFileReq");
        String src = body.requiredString("src");
        String dst = body.requiredString("dst");
        Path path = target(who, folder, Operation.UPDATE, null);
        return ctx.later(() -> {
            ctx.volume.move(path, src, dst);
            return ApiResponse.ok(Map.of("msg", ""));
        });
    }

    /**
     * {@code POST|DELETE /folders/{name}/delete-files}: files always, directories only with
     * {@code recursive}; a directory without it, or a missing path, is passed over (200), as the
     * proxy does.
     */
    ApiResponse deleteFiles(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, WRITABLE, VFolder.UPDATABLE);
        Fields body = Fields.body(call, "DeleteFilesReq");
        List<String> files = body.stringList("files", 0);
        boolean recursive = body.bool("recursive", false);
        Path path = target(who, folder, Operation.SOFT_DELETE, null);
        return ctx.later(() -> {
            ctx.volume.delete(path, files, recursive);
            return ApiResponse.ok(Map.of("msg", ""));
        });
    }

    /** {@code POST /folders/{name}/delete-files-async}: the same deletion as a background task (202). */
    ApiResponse deleteFilesAsync(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, WRITABLE, VFolder.UPDATABLE);
        Fields body = Fields.body(call, "DeleteFilesAsyncBodyParam");
        List<String> files = body.stringList("files", 0);
        boolean recursive = body.bool("recursive", false);
        Path path = target(who, folder, Operation.SOFT_DELETE, null);
        UUID task = ctx.tasks.start();
        ctx.background.storage().execute(VFolderService.guarded("deleting files in the background", () -> {
            try {
                ctx.volume.delete(path, files, recursive);
                ctx.tasks.done(task, "Task completed successfully");
            } catch (Volume.StorageException failure) {
                ctx.tasks.failed(task, "InvalidAPIParameters('" + failure.getMessage() + "')");
            }
        }));
        return ApiResponse.json(202, Map.of("bgtask_id", task.toString()));
    }

    // --- upload and download sessions ---------------------------------------------------------------

    /**
     * {@code POST /folders/{name}/request-upload}: the proxy opens the upload session (its staging
     * file under {@code .upload/}) and the client gets a token and the proxy's tus URL.
     */
    ApiResponse requestUpload(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, WRITABLE, VFolder.UPDATABLE);
        Fields body = Fields.body(call, "CreateUploadSessionReq");
        String relpath = body.requiredString("path");
        long size = body.integer("size");
        Path path = target(who, folder, Operation.CREATE, HostPermissions.UPLOAD_FILE);
        String vfid = ctx.locked(folder::vfid);
        return ctx.later(() -> {
            String token = ctx.proxy.openUpload(path, vfid, relpath, size);
            return ApiResponse.ok(session(token, "/upload"));
        });
    }

    /** {@code POST /folders/{name}/request-download}: a token for one file (or a directory as a zip). */
    ApiResponse requestDownload(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, VFolder.PERMISSIONS, VFolder.READABLE);
        Fields body = Fields.body(call, "CreateDownloadSessionReq");
        String relpath = body.requiredString("path", "path", "file");
        body.bool("archive", false);
        target(who, folder, Operation.READ, HostPermissions.DOWNLOAD_FILE);
        String vfid = ctx.locked(folder::vfid);
        Volume.StorageException refused = null;
        try {
            Volume.requireRelative(relpath);
        } catch (Volume.StorageException e) {
            refused = e;
        }
        if (refused != null) {
            throw VFolderContext.asManagerError(refused);
        }
        return ApiResponse.ok(session(ctx.proxy.downloadToken(vfid, relpath), "/download"));
    }

    /** {@code POST /folders/{name}/request-download-archive}: a token for several paths, zipped. */
    ApiResponse requestDownloadArchive(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = resolve(call, who, VFolder.PERMISSIONS, VFolder.READABLE);
        Fields body = Fields.body(call, "CreateArchiveDownloadSessionReq");
        List<String> files = body.stringList("files", 1);
        String filename = body.optionalString("filename");
        target(who, folder, Operation.READ, HostPermissions.DOWNLOAD_FILE);
        String vfid = ctx.locked(folder::vfid);
        if (filename != null && filename.length() > 255) {
            throw Problems.vfolderBadRequest("Bad request to storage proxy");
        }
        return ApiResponse.ok(session(ctx.proxy.archiveToken(vfid, files, filename), "/download-archive"));
    }

    private Map<String, Object> session(String token, String route) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token);
        answer.put("url", ctx.proxy.clientApiUrl() + route);
        return answer;
    }
}
