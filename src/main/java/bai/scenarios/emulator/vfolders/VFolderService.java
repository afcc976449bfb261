package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.ProjectResourcePolicy;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import bai.scenarios.emulator.vfolders.FolderRbac.Operation;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Access;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Query;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The manager's {@code /folders} handlers for folders themselves: create, list, info, id lookup,
 * hosts and types, rename and options, the trash (move, restore, delete forever, purge, force),
 * and clone. Each answers with the manager's status, body and problem types; the order of its
 * checks is the manager's (route resolver, body, RBAC, service).
 */
final class VFolderService {
    private static final Logger LOG = Logger.getLogger(VFolderService.class.getName());
    static final int NAME_LIMIT = 64;
    private static final Set<String> RESERVED = Set.of(".terminfo", ".jupyter", ".tmux.conf", ".ssh", "/home/work",
            "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/media", "/mnt", "/opt", "/proc", "/root", "/run",
            "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/home");
    private static final List<Pattern> RESERVED_PATTERNS = List.of(Pattern.compile("^\\.[a-z0-9]+rc$"),
            Pattern.compile("^\\.[a-z0-9]+_profile$"));
    static final List<String> PERMISSIONS = List.of("ro", "rw", "wd");
    static final List<String> USAGE_MODES = List.of("general", "model", "data");
    /** The cluster's allowed vfolder types ({@code volumes/_types} of the halfstack etcd config). */
    static final List<String> ALLOWED_TYPES = List.of("group", "user");

    private final VFolderContext ctx;

    VFolderService(VFolderContext ctx) {
        this.ctx = ctx;
    }

    // --- names ----------------------------------------------------------------------------------

    /** {@code verify_vfolder_name}: not reserved, not a shell rc or profile file. */
    static boolean verifyName(String name) {
        return !RESERVED.contains(name) && RESERVED_PATTERNS.stream().noneMatch(p -> p.matcher(name).find());
    }

    /** The {@code VFolderName} validator of request models. */
    static String validName(Fields fields, String field, String value) {
        if (value.length() > NAME_LIMIT) {
            throw fields.invalid(field, "Assertion failed, The length of VFolder name should be shorter than "
                    + NAME_LIMIT + ". (len: " + value.length() + ")");
        }
        if (RESERVED.contains(value)) {
            throw fields.invalid(field, "Assertion failed, VFolder name '" + value
                    + "' is reserved for internal operations");
        }
        for (Pattern pattern : RESERVED_PATTERNS) {
            if (pattern.matcher(value).find()) {
                throw fields.invalid(field, "Assertion failed, VFolder name '" + value
                        + "' matches a reserved pattern (pattern: re.compile('" + pattern.pattern() + "'))");
            }
        }
        return value;
    }

    // --- create and list --------------------------------------------------------------------------

    ApiResponse create(ApiCall call) {
        Fields body = Fields.body(call, "VFolderCreateReq");
        String name = validName(body, "name", body.requiredString("name"));
        String host = body.optionalString("folder_host", "host");
        String usageMode = body.choice("usage_mode", "general", USAGE_MODES, true);
        String permission = body.choice("permission", "rw", PERMISSIONS, false);
        String unmanagedPath = body.optionalString("unmanaged_path", "unmanagedPath");
        UUID groupId = body.optionalUuid("group_id", "group", "groupId");
        boolean cloneable = body.bool("cloneable", false);
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> {
            String folderHost = host == null || host.isEmpty() ? Volume.HOST : host;
            if (unmanagedPath != null && !unmanagedPath.isEmpty()) {
                if (!who.isAdminOrSuperadmin()) {
                    throw Problems.vfolderForbidden("Insufficient permission");
                }
                throw Problems.invalidApiParams("Unmanaged vfolders are not supported by the emulator: it never "
                        + "reads or writes outside its data root.");
            }
            if (name.startsWith(".") && !name.equals(".local") && groupId != null) {
                throw invalidParameter("dot-prefixed vfolders cannot be a group folder.");
            }
            long maxCount;
            String groupType = null;
            if (groupId != null) {
                Group group = ctx.directory.group(groupId).filter(g -> g.domainName().equals(who.domainName()))
                        .orElseThrow(() -> Problems.projectNotFound("Project with " + groupId + " not found."));
                groupType = group.type();
                maxCount = ctx.directory.projectPolicy(group.resourcePolicy())
                        .map(ProjectResourcePolicy::maxVfolderCount).map(Integer::longValue).orElse(0L);
                if (!who.isAdminOrSuperadmin() && !"model-store".equals(groupType)) {
                    throw Problems.vfolderForbidden("no permission");
                }
            } else {
                maxCount = userVfolderLimit(who.userId());
            }
            if ("model-store".equals(groupType) && !usageMode.equals("model")) {
                throw invalidParameter("Only Model VFolder can be created under the model store project");
            }
            HostPermissions.require(ctx.directory, who, groupId, folderHost, HostPermissions.CREATE);
            if (maxCount > 0 && ctx.registry.countOwnedBy(groupId == null ? who.userId() : null, groupId) >= maxCount) {
                throw invalidParameter("You cannot create more vfolders.");
            }
            if (ctx.registry.nameTaken(who, name)) {
                throw Problems.invalidApiParams(Problems.vfolderAlreadyExistsText(
                        "VFolder with the given name already exists. (" + name + ")"));
            }
            if (!folderHost.equals(Volume.HOST)) {
                throw Problems.vfolderNotFound("No such vfolder host: " + folderHost, null);
            }
            UUID id = UUID.randomUUID();
            String scope = groupId == null ? "user:" + who.userId() : "project:" + groupId;
            VFolder created = new VFolder(id, name, folderHost, scope, who.domainName(), usageMode,
                    "model-store".equals(groupType) ? "ro" : permission, groupId == null ? "user" : "group",
                    groupId == null ? who.userId() : null, groupId, who.email(), who.userId(), cloneable, "ready",
                    PyTime.now());
            ctx.registry.add(created);
            return created;
        });
        // The manager makes the directory through the storage proxy before it answers.
        return ctx.later(() -> {
            try {
                ctx.volume.createFolder(ctx.folderPath(folder));
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "could not create the directory of vfolder " + folder.id, failure);
                ctx.locked(() -> {
                    ctx.registry.remove(folder.id);
                    return null;
                });
                throw Problems.vfolderCreationFailed(null);
            }
            return ApiResponse.json(201, ctx.locked(() -> item(folder, true, folder.permission, "")));
        });
    }

    private static bai.scenarios.emulator.http.ApiError invalidParameter(String msg) {
        return Problems.invalidApiParams(Problems.vfolderInvalidParameterText(msg));
    }

    /** The user's resource policy's {@code max_vfolder_count} (0: unlimited). */
    long userVfolderLimit(UUID userId) {
        return ctx.directory.user(userId).map(UserAccount::resourcePolicy).flatMap(ctx.directory::userPolicy)
                .map(UserResourcePolicy::maxVfolderCount).map(Integer::longValue).orElse(0L);
    }

    /** {@code VFolderItemField} as the legacy {@code /folders} API dumps it. */
    Map<String, Object> item(VFolder f, boolean isOwner, String permission, String createdAt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", PyPaths.hex(f.id));
        item.put("name", f.name);
        item.put("quota_scope_id", f.quotaScopeId);
        item.put("host", f.host);
        item.put("usage_mode", f.usageMode);
        item.put("created_at", createdAt);
        item.put("permission", permission);
        item.put("creator", f.creator == null ? "" : f.creator);
        item.put("ownership_type", f.ownershipType);
        item.put("user", f.isGroupFolder() || f.user == null ? null : f.user.toString());
        item.put("group", f.group == null ? null : f.group.toString());
        item.put("cloneable", f.cloneable);
        item.put("status", f.status);
        item.put("is_owner", isOwner);
        item.put("max_size", 0);
        item.put("user_email", "");
        item.put("group_name", "");
        item.put("type", "");
        item.put("max_files", 0);
        item.put("cur_size", 0);
        return item;
    }

    /**
     * {@code GET /folders}: a bare array of every folder the user reaches (their own, shared with
     * them, their projects'); {@code group_id} is read but, as in the manager, does not filter. A
     * superadmin may list as another user ({@code owner_user_email}).
     */
    ApiResponse list(ApiCall call) {
        Fields query = Fields.query(call, "ListVFoldersQuery", "all", "group_id", "groupId", "owner_user_email",
                "ownerUserEmail");
        query.bool("all", false);
        query.optionalUuid("group_id", "group_id", "groupId");
        String ownerEmail = query.optionalString("owner_user_email", "owner_user_email", "ownerUserEmail");
        Who caller = ctx.who(call.caller());
        return ApiResponse.ok(ctx.locked(() -> {
            Who who = caller;
            if (ownerEmail != null) {
                if (!caller.isSuperadmin()) {
                    throw Problems.invalidApiParams("Only superadmins may have user scopes.");
                }
                UserAccount owner = ctx.directory.userByEmail(ownerEmail)
                        .orElseThrow(() -> Problems.invalidApiParams("User not found: " + ownerEmail));
                who = new Who(owner.uuid(), owner.email(), owner.role(), owner.domainName(), false, null);
            }
            List<Map<String, Object>> items = new ArrayList<>();
            for (Access access : ctx.registry.accessible(who, Query.all())) {
                items.add(item(access.folder(), access.isOwner(), access.permission(),
                        PyTime.str(access.folder().createdAt)));
            }
            return items;
        }));
    }

    /** {@code GET /folders/{name}}: the folder with its usage (counted on disk). */
    ApiResponse info(ApiCall call) {
        Who who = ctx.who(call.caller());
        Object[] found = ctx.locked(() -> {
            VFolder resolved = ctx.registry.resolve(who, name(call), VFolder.PERMISSIONS, VFolder.READABLE, false);
            ctx.registry.requireRbac(who, resolved, Operation.READ);
            List<Access> entries = ctx.registry.accessible(who, Query.all().where(f -> f.id.equals(resolved.id)));
            if (entries.isEmpty()) {
                throw Problems.vfolderNotFound(null, null);
            }
            return new Object[] {entries.get(0), ctx.folderPath(resolved)};
        });
        Access access = (Access) found[0];
        Path path = (Path) found[1];
        return ctx.later(() -> {
            Volume.Usage usage = ctx.volume.usage(path);
            return ApiResponse.ok(ctx.locked(() -> {
                VFolder f = access.folder();
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("name", f.name);
                info.put("id", PyPaths.hex(f.id));
                info.put("quota_scope_id", f.quotaScopeId);
                info.put("host", f.host);
                info.put("status", f.status);
                info.put("numFiles", usage.fileCount());
                info.put("used_bytes", usage.usedBytes());
                info.put("created_at", PyTime.str(f.createdAt));
                info.put("last_used", PyTime.str(f.createdAt));
                info.put("user", f.user == null || f.isGroupFolder() ? null : f.user.toString());
                info.put("group", f.group == null ? null : f.group.toString());
                info.put("type", f.user != null && !f.isGroupFolder() ? "user" : "group");
                info.put("is_owner", access.isOwner());
                info.put("permission", access.permission());
                info.put("usage_mode", f.usageMode);
                info.put("cloneable", f.cloneable);
                return info;
            }));
        });
    }

    /** {@code GET /folders/_/id} (a GET with a JSON body, as the manager's model wants it). */
    ApiResponse idByName(ApiCall call) {
        Fields body = Fields.body(call, "GetVFolderIDReq");
        String name = body.requiredString("name", "vfolder_name", "vfolderName");
        Who who = ctx.who(call.caller());
        return ApiResponse.ok(ctx.locked(() -> {
            Access access = ctx.registry.lookup(who, name, VFolder.PERMISSIONS, true);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", access.folder().id.toString());
            answer.put("name", name);
            return answer;
        }));
    }

    /**
     * {@code GET /folders/_/hosts}: the hosts the user's domain, projects and keypair policy grant
     * any permission on, among the hosts that exist, with the volume's information.
     */
    ApiResponse hosts(ApiCall call) {
        Fields query = Fields.query(call, "ListHostsQuery", "group_id", "groupId");
        UUID groupId = query.optionalUuid("group_id", "group_id", "groupId");
        Who who = ctx.who(call.caller());
        List<String> allowed = ctx.locked(() -> HostPermissions.allowed(ctx.directory, who, groupId).keySet().stream()
                .filter(Volume.HOST::equals).sorted().toList());
        return ctx.later(() -> {
            Map<String, Object> volumeInfo = new LinkedHashMap<>();
            for (String host : allowed) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("backend", "vfs");
                info.put("capabilities", List.of("vfolder"));
                info.put("usage", Map.of("percentage", ctx.volume.usedPercentage()));
                info.put("sftp_scaling_groups", List.of());
                volumeInfo.put(host, info);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("default", allowed.contains(Volume.HOST) ? Volume.HOST : null);
            answer.put("allowed", allowed);
            answer.put("volume_info", volumeInfo);
            return ApiResponse.ok(answer);
        });
    }

    /** {@code GET /folders/_/all-hosts} (superadmin): every host of every proxy. */
    ApiResponse allHosts(ApiCall call) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("default", Volume.HOST);
        answer.put("allowed", List.of(Volume.HOST));
        return ApiResponse.ok(answer);
    }

    ApiResponse allowedTypes(ApiCall call) {
        return ApiResponse.ok(ALLOWED_TYPES);
    }

    // --- rename and options -----------------------------------------------------------------------

    ApiResponse rename(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> ctx.registry.resolve(who, name(call), Set.of("wd"), VFolder.READABLE, false));
        Fields body = Fields.body(call, "RenameVFolderReq");
        String newName = validName(body, "new_name", body.requiredString("new_name"));
        return ApiResponse.ok(ctx.locked(() -> {
            ctx.registry.requireRbac(who, folder, Operation.UPDATE);
            List<Access> reachable = ctx.registry.accessible(who, Query.all());
            if (reachable.isEmpty()) {
                throw Problems.vfolderNotFound(null, null);
            }
            if (reachable.stream().anyMatch(a -> a.folder().name.equals(newName))) {
                throw Problems.vfolderInvalidParameter("One of your accessible vfolders already has the name you requested.");
            }
            folder.name = newName;
            return Map.of("msg", "");
        }));
    }

    ApiResponse updateOptions(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> ctx.registry.resolve(who, name(call), Set.of("wd"), VFolder.UPDATABLE, false));
        Fields body = Fields.body(call, "UpdateVFolderOptionsReq");
        Boolean cloneable = body.optionalBool("cloneable");
        String permission = body.optionalChoice("permission", PERMISSIONS);
        return ApiResponse.ok(ctx.locked(() -> {
            ctx.registry.requireRbac(who, folder, Operation.UPDATE);
            if (ctx.registry.accessible(who, Query.all()).isEmpty()) {
                throw Problems.vfolderNotFound(null, null);
            }
            if (cloneable != null) {
                folder.cloneable = cloneable;
            }
            if (permission != null) {
                folder.permission = permission;
            }
            return Map.of("msg", "");
        }));
    }

    // --- the trash --------------------------------------------------------------------------------

    /** {@code DELETE /folders {"id"}}: into the trash ({@code delete-pending}). */
    ApiResponse deleteById(ApiCall call) {
        Fields body = Fields.body(call, "DeleteVFolderByIDReq");
        UUID id = body.requiredUuid("vfolder_id", "vfolderId", "id");
        Who who = ctx.who(call.caller());
        ctx.locked(() -> {
            moveToTrash(who, id);
            return null;
        });
        return ApiResponse.empty(204);
    }

    /** {@code DELETE /folders/{name}}: a name (never an id), found with privileged access, into the trash. */
    ApiResponse deleteByName(ApiCall call) {
        Who who = ctx.who(call.caller());
        ctx.locked(() -> {
            Access access = ctx.registry.lookup(who, name(call), VFolder.PERMISSIONS, true);
            moveToTrash(who, access.folder().id);
            return null;
        });
        return ApiResponse.empty(204);
    }

    private void moveToTrash(Who who, UUID id) {
        rbac(who, id, Operation.SOFT_DELETE);
        VFolder folder = ctx.registry.validated(who, id);
        List<UUID> sessions = ctx.registry.sessionsMounting(folder.id, false);
        if (!sessions.isEmpty()) {
            throw Problems.vfolderDeletionNotAllowed("Cannot delete the vfolder. The vfolder(id: " + folder.id
                    + ") is mounted on sessions(ids: " + pyList(sessions) + ").");
        }
        folder.status = "delete-pending";
    }

    /** {@code POST /folders/restore-from-trash-bin}: back to {@code ready} (whatever it was). */
    ApiResponse restore(ApiCall call) {
        Fields body = Fields.body(call, "RestoreVFolderReq");
        UUID id = body.requiredUuid("vfolder_id", "id", "vfolderId");
        Who who = ctx.who(call.caller());
        ctx.locked(() -> {
            rbac(who, id, Operation.SOFT_DELETE);
            ctx.registry.validated(who, id).status = "ready";
            return null;
        });
        return ApiResponse.empty(204);
    }

    /**
     * {@code POST /folders/delete-from-trash-bin}: only a trashed folder (else 400
     * vfolder-filter-status-failed), not in use; its data is removed in the background
     * ({@code delete-ongoing}, then {@code delete-complete}).
     */
    ApiResponse deleteForever(ApiCall call) {
        Fields body = Fields.body(call, "DeleteVFolderFromTrashReq");
        UUID id = body.requiredUuid("vfolder_id", "id", "vfolderId");
        Who who = ctx.who(call.caller());
        Path path = ctx.locked(() -> {
            rbac(who, id, Operation.HARD_DELETE);
            VFolder folder = ctx.registry.validated(who, id);
            requirePurgeable(folder);
            startDeletion(folder);
            return ctx.folderPath(folder);
        });
        deleteDataLater(id, path);
        return ApiResponse.empty(204);
    }

    /** {@code DELETE /folders/{id}/force}: deleted at once, whatever its status or use. */
    ApiResponse forceDelete(ApiCall call) {
        String piece = call.pathParams().get("folder_id");
        UUID id = PyPaths.uuid(piece);
        if (id == null) {
            throw Problems.invalidApiParams("Not allowed UUID type value (" + piece + ")");
        }
        Who who = ctx.who(call.caller());
        Path path = ctx.locked(() -> {
            rbac(who, id, Operation.HARD_DELETE);
            VFolder folder = ctx.registry.validated(who, id);
            startDeletion(folder);
            return ctx.folderPath(folder);
        });
        deleteDataLater(id, path);
        return ApiResponse.empty(204);
    }

    /** {@code POST /folders/purge} (admins): drops the row of a trashed or deleted folder. */
    ApiResponse purge(ApiCall call) {
        Fields body = Fields.body(call, "PurgeVFolderReq");
        UUID id = body.requiredUuid("vfolder_id", "id", "vfolderId");
        Who who = ctx.who(call.caller());
        if (!who.isAdminOrSuperadmin()) {
            throw Problems.insufficientPrivilege("You are not allowed to purge vfolders");
        }
        Path path = ctx.locked(() -> {
            rbac(who, id, Operation.HARD_DELETE);
            VFolder folder = ctx.registry.byId(id).orElseThrow(() -> Problems.vfolderNotFound(null, id.toString()));
            requirePurgeable(folder);
            boolean dataLeft = !folder.status.equals("delete-complete");
            ctx.registry.remove(id);
            return dataLeft ? ctx.folderPath(folder) : null;
        });
        if (path != null) {
            // The manager only drops the row and leaves a trashed folder's files behind on the
            // volume; nothing can reach them any more, so the emulator frees the disk.
            ctx.background.storage().execute(guarded("removing a purged folder's files",
                    () -> ctx.volume.deleteFolder(path)));
        }
        return ApiResponse.empty(204);
    }

    private void rbac(Who who, UUID id, Operation operation) {
        ctx.registry.requireRbac(who, id, operation);
    }

    /** {@code _ensure_vfolder_purgeable}: trashed or deleted, and mounted nowhere. */
    private void requirePurgeable(VFolder folder) {
        if (!VFolder.PURGABLE.contains(folder.status)) {
            throw Problems.vfolderFilterStatusFailed("Cannot purge the vfolder(id: " + folder.id + "). Its status ("
                    + folder.status + ") is not purgable. Soft-delete it first or set force=True.");
        }
        List<UUID> sessions = ctx.registry.sessionsMounting(folder.id, false);
        if (!sessions.isEmpty()) {
            throw Problems.vfolderDeletionNotAllowed("Cannot purge the vfolder(id: " + folder.id
                    + "); it is still in use: mounted on live session(s) " + pyList(sessions)
                    + ". Remove the reference(s) first or set force=True.");
        }
    }

    private void startDeletion(VFolder folder) {
        folder.status = "delete-ongoing";
        ctx.registry.deleteRelations(folder.id);
    }

    /** Removes a folder's data on the storage pool, then marks it {@code delete-complete} (or {@code delete-error}). */
    void deleteDataLater(UUID id, Path path) {
        ctx.background.storage().execute(guarded("deleting a folder's files", () -> {
            String outcome = "delete-complete";
            try {
                ctx.volume.deleteFolder(path);
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "could not delete the files of vfolder " + id, failure);
                outcome = "delete-error";
            }
            String status = outcome;
            ctx.locked(() -> {
                ctx.registry.byId(id).filter(f -> f.status.equals("delete-ongoing")).ifPresent(f -> f.status = status);
                return null;
            });
        }));
    }

    // --- clone ------------------------------------------------------------------------------------

    /**
     * {@code POST /folders/{name}/clone}: a new user folder of the caller, made at once
     * ({@code ready}) and filled by a background task while the source is {@code cloning}; the
     * task's events tell when the copy is done.
     */
    ApiResponse clone(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder source = ctx.locked(() -> ctx.registry.resolve(who, name(call), VFolder.PERMISSIONS,
                VFolder.UPDATABLE, false));
        Fields body = Fields.body(call, "CloneVFolderReq");
        String targetName = body.requiredString("target_name");
        String targetHost = body.optionalString("target_host", "target_host", "folder_host");
        String targetScope = body.optionalString("target_quota_scope_id", "target_quota_scope_id",
                "targetQuotaScopeId");
        UUID scopeUser = targetScope == null ? null : parseUserScope(body, targetScope);
        boolean cloneable = body.bool("cloneable", false);
        String usageMode = body.choice("usage_mode", "general", USAGE_MODES, true);
        String permission = body.choice("permission", "rw", PERMISSIONS, false);
        VFolder[] pair = ctx.locked(() -> {
            ctx.registry.requireRbac(who, source, Operation.CREATE);
            List<Access> entries = ctx.registry.accessible(who, Query.all().where(f -> f.id.equals(source.id)));
            if (entries.isEmpty()) {
                throw Problems.vfolderInvalidParameter("No such vfolder.");
            }
            if (!source.cloneable) {
                throw Problems.vfolderForbidden("The source vfolder is not permitted to be cloned.");
            }
            if (targetName.startsWith(".") && entries.stream().anyMatch(a -> a.folder().name.equals(targetName))) {
                throw Problems.vfolderAlreadyExists(null);
            }
            String host = targetHost != null && !targetHost.isEmpty() ? targetHost : source.host;
            if (!verifyName(targetName)) {
                throw Problems.vfolderInvalidParameter(targetName + " is reserved for internal operations.");
            }
            if (ctx.registry.nameTaken(who, targetName)) {
                throw Problems.vfolderAlreadyExists("VFolder with the given name already exists. (" + targetName + ")");
            }
            HostPermissions.require(ctx.directory, who, null, host, HostPermissions.CREATE);
            long max = userVfolderLimit(who.userId());
            if (max > 0 && ctx.registry.countOwnedBy(who.userId(), null) >= max) {
                throw Problems.vfolderInvalidParameter("You cannot create more vfolders.");
            }
            UUID owner = who.userId();
            if (scopeUser != null && !scopeUser.equals(owner)) {
                boolean reachable = who.isSuperadmin() || who.isAdmin() && ctx.directory.user(scopeUser)
                        .map(u -> u.domainName().equals(who.domainName())).orElse(false);
                if (!reachable) {
                    throw Problems.invalidApiParams("The quota scope user:" + scopeUser + " is not accessible.");
                }
            }
            if (!host.equals(Volume.HOST)) {
                throw Problems.vfolderInvalidParameter("Proxy names of source and target vfolders must be equal.");
            }
            VFolder target = new VFolder(UUID.randomUUID(), targetName, host,
                    "user:" + (scopeUser == null ? owner : scopeUser), who.domainName(), usageMode, permission, "user",
                    owner, null, who.email(), owner, cloneable, "ready", PyTime.now());
            source.status = "cloning";
            ctx.registry.add(target);
            return new VFolder[] {source, target};
        });
        Path from = ctx.folderPath(pair[0]);
        Path to = ctx.folderPath(pair[1]);
        UUID task = ctx.tasks.start();
        ctx.background.storage().execute(guarded("cloning a vfolder", () -> copy(task, pair[0].id, from, to)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", PyPaths.hex(pair[1].id));
        answer.put("name", targetName);
        answer.put("host", pair[1].host);
        answer.put("usage_mode", usageMode);
        answer.put("permission", permission);
        answer.put("creator", who.email());
        answer.put("ownership_type", "user");
        answer.put("user", who.userId().toString());
        answer.put("group", null);
        answer.put("cloneable", cloneable);
        answer.put("bgtask_id", task.toString());
        return ApiResponse.json(201, answer);
    }

    private static UUID parseUserScope(Fields body, String scope) {
        String[] parts = scope.split(":", 2);
        UUID id = parts.length == 2 ? PyPaths.uuid(parts[1]) : null;
        if (id == null || !(parts[0].equals("user") || parts[0].equals("project"))) {
            throw body.invalid("target_quota_scope_id", "Value error, Invalid quota scope ID: " + scope);
        }
        if (parts[0].equals("project")) {
            throw Problems.vfolderInvalidParameter("Clone target must be a user quota scope.");
        }
        return id;
    }

    /** The clone's copy, on the storage pool: files first, then the source back to {@code ready}, then the event. */
    private void copy(UUID task, UUID sourceId, Path from, Path to) {
        Throwable failure = null;
        try {
            ctx.volume.copyFolder(from, to);
        } catch (Exception | Error e) {
            failure = e;
            LOG.log(Level.WARNING, "cloning vfolder " + sourceId + " failed", e);
        }
        ctx.locked(() -> {
            ctx.registry.byId(sourceId).filter(f -> f.status.equals("cloning")).ifPresent(f -> f.status = "ready");
            return null;
        });
        if (failure == null) {
            ctx.tasks.done(task, "Task completed successfully");
        } else {
            ctx.tasks.failed(task, failure.getClass().getSimpleName() + "('" + failure.getMessage() + "')");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    static String name(ApiCall call) {
        return call.pathParams().get("name");
    }

    /** A Python list repr of ids: {@code ['…', '…']}. */
    static String pyList(List<UUID> ids) {
        return ids.stream().map(id -> "'" + id + "'").toList().toString();
    }

    static Runnable guarded(String what, Runnable work) {
        return bai.scenarios.emulator.threads.Background.guarded(what, work);
    }
}
