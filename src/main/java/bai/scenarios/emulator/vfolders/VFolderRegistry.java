package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.StateLock;
import bai.scenarios.emulator.vfolders.VFolder.Grant;
import bai.scenarios.emulator.vfolders.VFolder.Invitation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The manager's vfolder tables ({@code vfolders}, {@code vfolder_permissions},
 * {@code vfolder_invitations}) and its access queries over them. Guarded by the emulator's one
 * state lock: every method here expects the caller to hold it ({@link #locked}); nothing here does
 * I/O.
 */
public final class VFolderRegistry {
    /** Who asks: the user, their role and domain (the manager's {@code request["user"]}), and the keypair's admin flag. */
    public record Who(UUID userId, String email, String role, String domainName, boolean keypairAdmin,
                      String keypairPolicy) {
        boolean isSuperadmin() {
            return role.equals("superadmin");
        }

        boolean isAdmin() {
            return role.equals("admin");
        }

        boolean isAdminOrSuperadmin() {
            return isAdmin() || isSuperadmin();
        }
    }

    /** One entry of {@code query_accessible_vfolders}: the row, whether the asker owns it, and their permission. */
    record Access(VFolder folder, boolean isOwner, String permission) {
    }

    /** Which sessions mount a folder: the session registry answers (under the same lock). */
    public interface MountLookup {
        /**
         * Ids of the sessions mounting {@code folderId} that are not TERMINATED or CANCELLED, or, with
         * {@code occupyingOnly}, that also are not PENDING (the kernels that hold resources).
         */
        List<UUID> sessionsMounting(UUID folderId, boolean occupyingOnly);
    }

    private final StateLock state;
    private final Directory directory;
    private final Map<UUID, VFolder> folders = new LinkedHashMap<>();
    private final List<Grant> grants = new ArrayList<>();
    private final Map<UUID, Invitation> invitations = new LinkedHashMap<>();
    private volatile MountLookup mounts = (folder, occupying) -> List.of();

    public VFolderRegistry(StateLock state, Directory directory) {
        this.state = state;
        this.directory = directory;
    }

    /** Tells the registry where to ask which sessions mount a folder (wired once at start). */
    public void mountLookup(MountLookup lookup) {
        this.mounts = lookup;
    }

    public <T> T locked(Supplier<T> action) {
        return state.apply(action);
    }

    public StateLock state() {
        return state;
    }

    Directory directory() {
        return directory;
    }

    // --- rows -----------------------------------------------------------------------------------

    Optional<VFolder> byId(UUID id) {
        requireLocked();
        return Optional.ofNullable(folders.get(id));
    }

    List<VFolder> all() {
        requireLocked();
        return List.copyOf(folders.values());
    }

    void add(VFolder folder) {
        requireLocked();
        folders.put(folder.id, folder);
    }

    /** Removes the row and its relation rows (grants, invitations). */
    void remove(UUID id) {
        requireLocked();
        folders.remove(id);
        deleteRelations(id);
    }

    /** {@code delete_vfolder_relation_rows}: the folder's invitations and grants. */
    void deleteRelations(UUID id) {
        grants.removeIf(g -> g.vfolder().equals(id));
        invitations.values().removeIf(i -> i.vfolder.equals(id));
    }

    List<Grant> grants() {
        requireLocked();
        return grants;
    }

    Map<UUID, Invitation> invitations() {
        requireLocked();
        return invitations;
    }

    List<UUID> sessionsMounting(UUID folderId, boolean occupyingOnly) {
        requireLocked();
        return mounts.sessionsMounting(folderId, occupyingOnly);
    }

    // --- the legacy access query ------------------------------------------------------------------

    /** The conditions a caller adds to {@link #accessible} (the manager's {@code extra_*_conds}). */
    record Query(boolean allowPrivileged, Predicate<VFolder> folder, Predicate<Grant> invited,
                 Predicate<VFolder> group, Set<String> statuses) {
        static Query all() {
            return new Query(false, f -> true, g -> true, f -> true, null);
        }

        Query privileged(boolean allow) {
            return new Query(allow, folder, invited, group, statuses);
        }

        Query where(Predicate<VFolder> condition) {
            return new Query(allowPrivileged, folder.and(condition), invited, group, statuses);
        }

        Query invitedWhere(Predicate<Grant> condition) {
            return new Query(allowPrivileged, folder, invited.and(condition), group, statuses);
        }

        Query groupWhere(Predicate<VFolder> condition) {
            return new Query(allowPrivileged, folder, invited, group.and(condition), statuses);
        }

        Query inStatuses(Set<String> set) {
            return new Query(allowPrivileged, folder, invited, group, set);
        }
    }

    /**
     * {@code query_accessible_vfolders} for both vfolder types: the asker's own user folders (all
     * users' with privileged access for admins), user folders shared with them, and the folders of
     * their projects (every project of the domain for a domain admin, every project for a
     * superadmin), a share's permission overriding a project folder's. Without a status set,
     * {@code delete-complete} user folders are left out; project folders are never filtered by
     * status (as the manager's query).
     */
    List<Access> accessible(Who who, Query query) {
        requireLocked();
        Predicate<VFolder> statusOk = query.statuses() != null ? f -> query.statuses().contains(f.status)
                : f -> !VFolder.INACCESSIBLE.contains(f.status);
        boolean privileged = query.allowPrivileged() && who.isAdminOrSuperadmin();
        List<Access> entries = new ArrayList<>();
        for (VFolder folder : folders.values()) {
            if (!folder.isGroupFolder() && folder.user != null && directory.user(folder.user).isPresent()
                    && statusOk.test(folder) && (privileged || folder.user.equals(who.userId()))
                    && query.folder().test(folder)) {
                entries.add(new Access(folder, true, folder.permission));
            }
        }
        for (Grant grant : grants) {
            VFolder folder = folders.get(grant.vfolder());
            if (folder != null && grant.user().equals(who.userId()) && !folder.isGroupFolder() && statusOk.test(folder)
                    && query.invited().test(grant) && query.folder().test(folder)) {
                entries.add(new Access(folder, false, grant.permission()));
            }
        }
        Set<UUID> groupIds = projectScope(who);
        List<Access> groupEntries = new ArrayList<>();
        for (VFolder folder : folders.values()) {
            if (folder.isGroupFolder() && directory.group(folder.group).isPresent()
                    && (who.isSuperadmin() || groupIds.contains(folder.group)) && query.group().test(folder)
                    && query.folder().test(folder)) {
                groupEntries.add(new Access(folder, who.isAdminOrSuperadmin(), folder.permission));
            }
        }
        Map<UUID, String> overrides = new LinkedHashMap<>();
        for (Grant grant : grants) {
            VFolder folder = folders.get(grant.vfolder());
            if (folder != null && grant.user().equals(who.userId()) && folder.group != null
                    && groupIds.contains(folder.group) && statusOk.test(folder) && query.folder().test(folder)) {
                overrides.put(folder.id, grant.permission());
            }
        }
        for (Access entry : groupEntries) {
            String override = overrides.get(entry.folder().id);
            entries.add(override == null ? entry : new Access(entry.folder(), entry.isOwner(), override));
        }
        return entries;
    }

    /**
     * The projects whose folders the asker reaches: every project of the domain for a domain admin;
     * otherwise their memberships plus the domain's model-store projects.
     */
    Set<UUID> projectScope(Who who) {
        Set<UUID> ids = new LinkedHashSet<>();
        if (who.isAdmin()) {
            directory.groups(g -> g.domainName().equals(who.domainName())).forEach(g -> ids.add(g.id()));
            return ids;
        }
        directory.groupsOf(who.userId()).forEach(g -> ids.add(g.id()));
        directory.groups(g -> g.domainName().equals(who.domainName()) && g.type().equals("model-store"))
                .forEach(g -> ids.add(g.id()));
        return ids;
    }

    boolean isMember(UUID userId, UUID groupId) {
        return directory.groupsOf(userId).stream().anyMatch(g -> g.id().equals(groupId));
    }

    /**
     * The manager's route resolver for a folder named in the path: a UUID (dashes optional) is
     * fetched as it is, with no permission or status check; a name goes through the legacy access
     * query with the route's permissions, and its status must be in {@code statuses} (if given).
     */
    VFolder resolve(Who who, String piece, Set<String> permissions, Set<String> statuses, boolean allowPrivileged) {
        requireLocked();
        UUID id = PyPaths.uuid(piece);
        if (id != null) {
            return byId(id).orElseThrow(() -> Problems.vfolderNotFound(null, id.toString()));
        }
        Access access = lookup(who, piece, permissions, allowPrivileged);
        if (statuses != null && !statuses.contains(access.folder().status)) {
            throw Problems.vfolderFilterStatusFailed(null);
        }
        return access.folder();
    }

    /** {@code get_accessible_rows} by name with the route's permissions: one match, or 404. */
    Access lookup(Who who, String name, Set<String> permissions, boolean allowPrivileged) {
        Query query = Query.all().privileged(allowPrivileged).where(f -> f.name.equals(name))
                .invitedWhere(g -> permissions.contains(g.permission()));
        if (!who.keypairAdmin()) {
            query = query.groupWhere(f -> permissions.contains(f.permission));
        }
        List<Access> entries = accessible(who, query);
        if (entries.isEmpty()) {
            throw Problems.vfolderNotFound(null, name);
        }
        if (entries.size() > 1) {
            List<Map<String, Object>> matches = new ArrayList<>();
            for (Access entry : entries) {
                VFolder f = entry.folder();
                Map<String, Object> match = new LinkedHashMap<>();
                match.put("id", f.id.toString());
                match.put("host", f.host);
                match.put("user", f.user == null ? null : directory.user(f.user).map(UserAccount::email).orElse(null));
                match.put("user_id", f.user == null ? null : f.user.toString());
                match.put("group", f.group == null ? null : directory.group(f.group).map(Group::name).orElse(null));
                match.put("group_id", f.group == null ? null : f.group.toString());
                matches.add(match);
            }
            throw Problems.tooManyVFolders(matches);
        }
        return entries.get(0);
    }

    /**
     * {@code get_by_id_validated}: the owner always; anyone else only if the privileged access
     * query reaches the folder. Missing or unreachable: 404.
     */
    VFolder validated(Who who, UUID id) {
        requireLocked();
        VFolder folder = byId(id).orElseThrow(() -> Problems.vfolderNotFound(null, null));
        if (who.userId().equals(folder.user)) {
            return folder;
        }
        if (accessible(who, Query.all().privileged(true).where(f -> f.id.equals(id))).isEmpty()) {
            throw Problems.vfolderNotFound(null, null);
        }
        return folder;
    }

    /** {@code check_vfolder_name_exists}: an accessible folder with this name that is not hard-deleted. */
    boolean nameTaken(Who who, String name) {
        return !accessible(who, Query.all().where(f -> f.name.equals(name)
                && !VFolder.HARD_DELETED.contains(f.status))).isEmpty();
    }

    /** {@code count_vfolders_by_user} / {@code count_vfolders_by_group}: rows not hard-deleted. */
    long countOwnedBy(UUID user, UUID group) {
        requireLocked();
        return folders.values().stream().filter(f -> !VFolder.HARD_DELETED.contains(f.status)
                && (user != null ? user.equals(f.user) : group.equals(f.group))).count();
    }

    // --- RBAC (an approximation of the manager's validators; see FolderRbac) --------------------

    /** Refuses with the RBAC validator's 403 unless {@code who} may perform {@code operation} on the folder. */
    void requireRbac(Who who, VFolder folder, FolderRbac.Operation operation) {
        requireLocked();
        if (!FolderRbac.allows(this, who, folder, operation)) {
            throw FolderRbac.refusal(who, folder.id, operation);
        }
    }

    /** As {@link #requireRbac(Who, VFolder, FolderRbac.Operation)} for a folder named by id, which may not exist. */
    void requireRbac(Who who, UUID folderId, FolderRbac.Operation operation) {
        requireLocked();
        if (!FolderRbac.allows(this, who, folders.get(folderId), operation)) {
            throw FolderRbac.refusal(who, folderId, operation);
        }
    }

    Set<UUID> grantedUsers(UUID folderId) {
        Set<UUID> users = new HashSet<>();
        grants.stream().filter(g -> g.vfolder().equals(folderId)).forEach(g -> users.add(g.user()));
        return users;
    }

    private void requireLocked() {
        if (!state.isHeldByCurrentThread()) {
            throw new IllegalStateException("the vfolder registry is read and changed under the state lock only");
        }
    }
}
