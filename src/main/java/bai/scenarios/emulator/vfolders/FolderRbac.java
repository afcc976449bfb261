package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.vfolders.VFolder.Grant;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;

import java.util.Set;

/**
 * The manager's RBAC check on single-folder actions (enforcement is on by default; the
 * virtual-scope validator refuses with {@code 403 not-enough-permission}), reduced to the grants
 * this emulator keeps. The real check walks entity memberships and scope bindings; what is modelled
 * here is what those hold for the emulator's objects, read from the grants the manager writes:
 * <ul>
 *   <li>a superadmin is never checked;</li>
 *   <li>the owner of a user folder holds every operation (their user scope's owner role);</li>
 *   <li>a domain admin holds every operation on the folders of their domain;</li>
 *   <li>a user a folder is shared with (an accepted invitation, or a project folder's share), and a
 *       member of the folder's project, holds what their permission allows: {@code ro} → read;
 *       {@code rw} and {@code wd} → read, create, update and soft-delete, never hard-delete;</li>
 *   <li>nobody holds anything on a folder that does not exist (so an unknown id in a body is a 403
 *       for everyone but a superadmin, as the validator runs before the service looks it up).</li>
 * </ul>
 * Operations of the actions: get, list files, download → read; mkdir, upload, clone, invite →
 * create; rename, update options, rename/move file → update; move to trash, restore, delete files
 * → soft-delete; delete forever, purge, force delete → hard-delete. Invitation actions (accept,
 * reject, update) and leaving a shared folder are checked on the invitation or the user's own
 * grant, which the invitee always holds, so they are not refused here. Confirm on a real manager
 * before building a scenario on a refusal that only this table explains.
 */
final class FolderRbac {
    enum Operation {
        READ("read"), CREATE("create"), UPDATE("update"), SOFT_DELETE("soft-delete"), HARD_DELETE("hard-delete");

        private final String value;

        Operation(String value) {
            this.value = value;
        }

        String value() {
            return value;
        }
    }

    private static final Set<Operation> READ_ONLY = Set.of(Operation.READ);
    private static final Set<Operation> READ_WRITE = Set.of(Operation.READ, Operation.CREATE, Operation.UPDATE,
            Operation.SOFT_DELETE);

    private FolderRbac() {
    }

    /** The validator's refusal: {@code 403 not-enough-permission}. */
    static bai.scenarios.emulator.http.ApiError refusal(Who who, java.util.UUID folderId, Operation operation) {
        return bai.scenarios.emulator.http.Problems.notEnoughPermission("User " + who.userId()
                + " lacks permission <Permission." + operation.name() + "> on vfolder " + folderId);
    }

    static boolean allows(VFolderRegistry registry, Who who, VFolder folder, Operation operation) {
        if (who.isSuperadmin()) {
            return true;
        }
        if (folder == null) {
            return false;
        }
        if (!folder.isGroupFolder() && who.userId().equals(folder.user)) {
            return true;
        }
        if (who.isAdmin() && who.domainName().equals(folder.domainName)) {
            return true;
        }
        String permission = null;
        for (Grant grant : registry.grants()) {
            if (grant.vfolder().equals(folder.id) && grant.user().equals(who.userId())) {
                permission = grant.permission();
            }
        }
        if (permission == null && folder.isGroupFolder() && registry.projectScope(who).contains(folder.group)) {
            permission = folder.permission;
        }
        if (permission == null) {
            return false;
        }
        return (permission.equals("ro") ? READ_ONLY : READ_WRITE).contains(operation);
    }
}
