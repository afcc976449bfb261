package bai.scenarios.emulator.vfolders;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * One virtual folder row, shaped as the manager's {@code vfolders} table. Mutable; every access
 * holds the emulator's state lock (see {@link VFolderRegistry}).
 */
final class VFolder {
    static final Set<String> PERMISSIONS = Set.of("ro", "rw", "wd");
    static final Set<String> USAGE_MODES = Set.of("general", "model", "data");

    // VFolderStatusSet, as vfolder_status_map defines the sets.
    static final Set<String> READABLE = Set.of("ready", "performing", "cloning", "mounted", "error", "delete-pending");
    static final Set<String> MOUNTABLE = Set.of("ready", "performing", "cloning", "mounted");
    static final Set<String> UPDATABLE = Set.of("ready", "mounted");
    static final Set<String> PURGABLE = Set.of("delete-pending", "delete-complete");
    static final Set<String> INACCESSIBLE = Set.of("delete-complete");
    static final Set<String> HARD_DELETED = Set.of("delete-complete", "delete-error");
    static final Set<String> DEAD = Set.of("delete-pending", "delete-ongoing", "delete-complete", "delete-error");
    static final Set<String> OWNER_PURGABLE = Set.of("ready", "delete-pending", "delete-ongoing", "delete-error");

    final UUID id;
    String name;
    final String host;
    final String quotaScopeId;
    final String domainName;
    final String usageMode;
    String permission;
    final String ownershipType;
    /** The owning user of a user folder (changes when a user purge migrates it), null for a project's. */
    UUID user;
    final UUID group;
    final String creator;
    final UUID creatorId;
    boolean cloneable;
    String status;
    final Instant createdAt;

    VFolder(UUID id, String name, String host, String quotaScopeId, String domainName, String usageMode,
            String permission, String ownershipType, UUID user, UUID group, String creator, UUID creatorId,
            boolean cloneable, String status, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.host = host;
        this.quotaScopeId = quotaScopeId;
        this.domainName = domainName;
        this.usageMode = usageMode;
        this.permission = permission;
        this.ownershipType = ownershipType;
        this.user = user;
        this.group = group;
        this.creator = creator;
        this.creatorId = creatorId;
        this.cloneable = cloneable;
        this.status = status;
        this.createdAt = createdAt;
    }

    boolean isGroupFolder() {
        return ownershipType.equals("group");
    }

    String vfid() {
        return Volume.vfid(quotaScopeId, id);
    }

    /** A user's shared access to a folder ({@code vfolder_permissions}); invitations also grant RBAC operations. */
    record Grant(UUID vfolder, UUID user, String permission, boolean fromInvitation) {
    }

    /** A pending, accepted, rejected or cancelled invitation ({@code vfolder_invitations}). */
    static final class Invitation {
        final UUID id = UUID.randomUUID();
        final UUID vfolder;
        final String inviter;
        final String invitee;
        String permission;
        String state = "pending";
        final Instant createdAt = PyTime.now();
        Instant modifiedAt = createdAt;

        Invitation(UUID vfolder, String inviter, String invitee, String permission) {
            this.vfolder = vfolder;
            this.inviter = inviter;
            this.invitee = invitee;
            this.permission = permission;
        }
    }
}
