package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.vfolders.VFolder.Grant;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Query;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the admin GraphQL sees of virtual folders: the legacy {@code vfolder_list} and the
 * {@code vfolder_node} of the relay API, and the folder side of purging a project or a user. All
 * of it under the state lock (the caller's mutation or query holds it or this takes it); the files
 * of purged folders are removed afterwards on the storage pool.
 */
public final class VFolderAdmin {
    private final VFolderContext ctx;
    private final VFolderService service;

    VFolderAdmin(VFolderContext ctx, VFolderService service) {
        this.ctx = ctx;
        this.service = service;
    }

    // --- queries ----------------------------------------------------------------------------------

    /** A folder as the legacy {@code VirtualFolder} type shows it ({@code num_files} always 0, as the manager's). */
    private Map<String, Object> virtualFolder(VFolder f) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", f.id.toString());
        view.put("host", f.host);
        view.put("quota_scope_id", f.quotaScopeId);
        view.put("name", f.name);
        view.put("user", f.user);
        view.put("user_email", f.user == null ? null : ctx.directory.user(f.user).map(UserAccount::email).orElse(null));
        view.put("group", f.group);
        view.put("group_name", f.group == null ? null : ctx.directory.group(f.group).map(Group::name).orElse(null));
        view.put("creator", f.creator);
        view.put("domain_name", f.domainName);
        view.put("unmanaged_path", null);
        view.put("usage_mode", f.usageMode);
        view.put("permission", f.permission);
        view.put("ownership_type", f.ownershipType);
        view.put("max_files", 0);
        view.put("max_size", 0L);
        view.put("created_at", PyTime.isoformat(f.createdAt));
        view.put("last_used", null);
        view.put("num_files", 0);
        view.put("cur_size", 0L);
        view.put("cloneable", f.cloneable);
        view.put("status", f.status);
        return view;
    }

    /**
     * {@code vfolder_list} once {@code scoped_query} has scoped it (the caller passes the scope):
     * {@code domain} matched on the owning user's domain (so project folders show only when no
     * domain applies), {@code groupId} on the owning project, {@code userId} on the owning user. No
     * status filter. Newest first unless ordered. A bad filter or ordering is an
     * IllegalArgumentException with the manager's text.
     */
    public Map<String, Object> list(String domain, UUID groupId, UUID userId, int limit, int offset, String filter,
                                    String order) {
        VFolderFilter parsed = filter == null ? null : VFolderFilter.parse(filter);
        Comparator<Map<String, Object>> ordering = order == null ? null : VFolderFilter.ordering(order);
        return ctx.locked(() -> {
            List<Map<String, Object>> matching = new ArrayList<>();
            List<VFolder> folders = new ArrayList<>(ctx.registry.all());
            folders.sort(Comparator.comparing((VFolder f) -> f.createdAt).reversed());
            for (VFolder f : folders) {
                String ownerDomain = f.user == null ? null
                        : ctx.directory.user(f.user).map(UserAccount::domainName).orElse(null);
                if (domain != null && !domain.equals(ownerDomain)
                        || groupId != null && !groupId.equals(f.group)
                        || userId != null && !userId.equals(f.user)) {
                    continue;
                }
                Map<String, Object> view = virtualFolder(f);
                if (parsed == null || parsed.test(view)) {
                    matching.add(view);
                }
            }
            if (ordering != null) {
                matching.sort(ordering);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("items", matching.stream().skip(Math.max(offset, 0)).limit(Math.max(limit, 0)).toList());
            answer.put("total_count", matching.size());
            return answer;
        });
    }

    /**
     * {@code vfolder_node(id)}: a relay id ({@code VirtualFolderNode:<uuid>}, base64) or a bare
     * folder id; null when the caller may not read it (RBAC read) or it does not exist.
     */
    public Map<String, Object> node(Caller caller, String id) {
        UUID folderId = relayId(id);
        if (folderId == null) {
            return null;
        }
        Who who = ctx.who(caller);
        return ctx.locked(() -> {
            VFolder f = ctx.registry.byId(folderId).orElse(null);
            if (f == null || !FolderRbac.allows(ctx.registry, who, f, FolderRbac.Operation.READ)) {
                return null;
            }
            Map<String, Object> view = virtualFolder(f);
            view.remove("domain_name");
            view.put("id", Base64.getEncoder().encodeToString(("VirtualFolderNode:" + f.id)
                    .getBytes(StandardCharsets.UTF_8)));
            view.put("row_id", f.id);
            view.put("num_files", null);
            return view;
        });
    }

    private static UUID relayId(String id) {
        UUID direct = PyPaths.uuid(id);
        if (direct != null) {
            return direct;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(id), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : PyPaths.uuid(decoded.substring(colon + 1));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    // --- purges (called inside the admin mutation, under the state lock) ----------------------------

    /** {@code _check_group_vfolders_mounted_to_active_kernels}: a project folder in an occupying session of the project. */
    public boolean projectFoldersMounted(UUID groupId) {
        return ctx.locked(() -> ctx.registry.all().stream().filter(f -> groupId.equals(f.group))
                .anyMatch(f -> !ctx.registry.sessionsMounting(f.id, true).isEmpty()));
    }

    /** {@code _delete_group_vfolders}: the project's folders (ready, trashed, failed) deleted with their files. */
    public void deleteProjectFolders(UUID groupId) {
        ctx.locked(() -> {
            for (VFolder f : ctx.registry.all()) {
                if (groupId.equals(f.group) && VFolder.OWNER_PURGABLE.contains(f.status)) {
                    startDeletion(f);
                }
            }
            return null;
        });
    }

    /** {@code check_user_vfolder_mounted_to_active_kernels}: one of the user's folders in an occupying session. */
    public boolean userFoldersMounted(UUID userId) {
        return ctx.locked(() -> ctx.registry.all().stream().filter(f -> userId.equals(f.user))
                .anyMatch(f -> !ctx.registry.sessionsMounting(f.id, true).isEmpty()));
    }

    /**
     * A user's purge, folder side, as the manager does it: with {@code purge_shared_vfolders}, the
     * user's folders that are shared with someone move to the purging admin (renamed with a random
     * suffix when the admin has one of that name; the admin's own invitations and shares of them
     * go); then the user's grants go and every folder still owned by them (ready, trashed, failed)
     * is deleted with its files.
     */
    public void purgeUserFolders(UUID userId, UUID adminId, String adminEmail, boolean migrateShared) {
        ctx.locked(() -> {
            if (migrateShared) {
                Set<String> adminNames = new HashSet<>();
                ctx.registry.all().stream().filter(f -> adminId.equals(f.user)).forEach(f -> adminNames.add(f.name));
                Set<UUID> shared = new HashSet<>();
                ctx.registry.grants().stream().map(Grant::vfolder).forEach(shared::add);
                List<VFolder> migrating = ctx.registry.all().stream()
                        .filter(f -> userId.equals(f.user) && shared.contains(f.id)).toList();
                Set<UUID> ids = new HashSet<>();
                migrating.forEach(f -> ids.add(f.id));
                ctx.registry.invitations().values().removeIf(i -> i.invitee.equals(adminEmail) && ids.contains(i.vfolder));
                ctx.registry.grants().removeIf(g -> g.user().equals(adminId) && ids.contains(g.vfolder()));
                for (VFolder f : migrating) {
                    if (adminNames.contains(f.name)) {
                        f.name = f.name + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                    }
                    f.user = adminId;
                }
            }
            ctx.registry.grants().removeIf(g -> g.user().equals(userId));
            for (VFolder f : ctx.registry.all()) {
                if (userId.equals(f.user) && VFolder.OWNER_PURGABLE.contains(f.status)) {
                    startDeletion(f);
                }
            }
            return null;
        });
    }

    private void startDeletion(VFolder folder) {
        folder.status = "delete-ongoing";
        ctx.registry.deleteRelations(folder.id);
        Path path = ctx.folderPath(folder);
        service.deleteDataLater(folder.id, path);
    }

    /** For tests: the data root of the volume. */
    public Path dataRoot() {
        return ctx.volume.root();
    }
}
