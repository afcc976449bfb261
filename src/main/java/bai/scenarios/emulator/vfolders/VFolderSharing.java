package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.vfolders.FolderRbac.Operation;
import bai.scenarios.emulator.vfolders.VFolder.Grant;
import bai.scenarios.emulator.vfolders.VFolder.Invitation;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sharing: invitations to a user's own folder (invite, list received and sent, accept, reject or
 * cancel, change, leave) and direct shares of a project folder with project members (share,
 * unshare). Rows only, all under the state lock; no disk.
 */
final class VFolderSharing {
    private static final Set<String> ACTIVE = Set.of("active");

    private final VFolderContext ctx;

    VFolderSharing(VFolderContext ctx) {
        this.ctx = ctx;
    }

    /**
     * {@code POST /folders/{name}/invite}: a pending invitation per known e-mail (one already
     * pending from the same inviter is not repeated); 201 with the invitees' e-mails (the
     * manager's {@code invited_ids}).
     */
    ApiResponse invite(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> ctx.registry.resolve(who, VFolderService.name(call), Set.of("wd"),
                VFolder.UPDATABLE, false));
        Fields body = Fields.body(call, "InviteVFolderReq");
        String permission = body.choice("permission", "rw", VFolderService.PERMISSIONS, false, "perm", "permission");
        List<String> emails = body.stringList("emails", 0, "emails", "user_ids", "userIDs");
        return ApiResponse.json(201, ctx.locked(() -> {
            ctx.registry.requireRbac(who, folder, Operation.CREATE);
            VFolder validated = ctx.registry.validated(who, folder.id);
            if (validated.name.startsWith(".")) {
                throw Problems.vfolderForbidden("Cannot share private dot-prefixed vfolders.");
            }
            List<UserAccount> invitees = ctx.directory.users(u -> emails.contains(u.email()));
            if (invitees.isEmpty()) {
                throw Problems.vfolderNotFound("No users found with the provided emails.", null);
            }
            Set<UUID> inviteeIds = new LinkedHashSet<>();
            invitees.forEach(u -> inviteeIds.add(u.uuid()));
            // The manager's check joins the folder's grants: any grant of the folder counts when the
            // owner is among the invitees, and any invitee's own grant counts.
            boolean granted = ctx.registry.grants().stream().anyMatch(g -> g.vfolder().equals(validated.id)
                    && (inviteeIds.contains(g.user()) || validated.user != null && inviteeIds.contains(validated.user)));
            if (granted) {
                throw Problems.vfolderGrantAlreadyExists("Invitation to this VFolder already sent out to target user");
            }
            List<String> invited = new ArrayList<>();
            for (UserAccount invitee : invitees) {
                boolean pending = ctx.registry.invitations().values().stream().anyMatch(i -> i.vfolder.equals(validated.id)
                        && i.inviter.equals(who.email()) && i.invitee.equals(invitee.email()) && i.state.equals("pending"));
                if (!pending) {
                    Invitation invitation = new Invitation(validated.id, who.email(), invitee.email(), permission);
                    ctx.registry.invitations().put(invitation.id, invitation);
                    invited.add(invitee.email());
                }
            }
            return Map.of("invited_ids", invited);
        }));
    }

    /**
     * {@code GET /folders/invitations/list}: the caller's pending invitations, with the manager's
     * quirks ({@code invitee} and {@code state} empty, ISO timestamps).
     */
    ApiResponse received(ApiCall call) {
        Who who = ctx.who(call.caller());
        return ApiResponse.ok(ctx.locked(() -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Invitation i : ctx.registry.invitations().values()) {
                VFolder folder = ctx.registry.byId(i.vfolder).orElse(null);
                if (folder != null && i.invitee.equals(who.email()) && i.state.equals("pending")) {
                    items.add(invitation(i, folder, "", "", PyTime.isoformat(i.createdAt),
                            PyTime.isoformat(i.modifiedAt)));
                }
            }
            return Map.of("invitations", items);
        }));
    }

    /** {@code GET /folders/invitations/list-sent}: the caller's pending invitations to others. */
    ApiResponse sent(ApiCall call) {
        Who who = ctx.who(call.caller());
        return ApiResponse.ok(ctx.locked(() -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Invitation i : ctx.registry.invitations().values()) {
                VFolder folder = ctx.registry.byId(i.vfolder).orElse(null);
                if (folder != null && i.inviter.equals(who.email()) && i.state.equals("pending")) {
                    items.add(invitation(i, folder, i.invitee, "pending", PyTime.str(i.createdAt),
                            PyTime.str(i.modifiedAt)));
                }
            }
            return Map.of("invitations", items);
        }));
    }

    private Map<String, Object> invitation(Invitation i, VFolder folder, String invitee, String state,
                                           String createdAt, String modifiedAt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", i.id.toString());
        item.put("inviter", i.inviter);
        item.put("invitee", invitee);
        item.put("perm", i.permission);
        item.put("state", state);
        item.put("created_at", createdAt);
        item.put("modified_at", modifiedAt);
        item.put("vfolder_id", folder.id.toString());
        item.put("vfolder_name", folder.name);
        return item;
    }

    /**
     * {@code POST /folders/invitations/accept}: the invitee gets the folder with the invited
     * permission (refused when they already reach a folder of that name).
     */
    ApiResponse accept(ApiCall call) {
        Fields body = Fields.body(call, "AcceptInvitationReq");
        UUID id = invitationId(body.requiredString("inv_id"));
        return ApiResponse.ok(ctx.locked(() -> {
            Invitation invitation = pending(id);
            UserAccount invitee = ctx.directory.userByEmail(invitation.invitee)
                    .orElseThrow(() -> Problems.vfolderNotFound(null, null));
            VFolder folder = ctx.registry.byId(invitation.vfolder).orElseThrow(() -> Problems.vfolderNotFound(null, null));
            boolean sameName = ctx.registry.all().stream().anyMatch(f -> f.name.equals(folder.name)
                    && !VFolder.INACCESSIBLE.contains(f.status) && (invitee.uuid().equals(f.user)
                    || ctx.registry.grants().stream().anyMatch(g -> g.vfolder().equals(f.id)
                    && g.user().equals(invitee.uuid()))));
            if (sameName) {
                throw Problems.vfolderAlreadyExists(null);
            }
            ctx.registry.grants().add(new Grant(folder.id, invitee.uuid(), invitation.permission, true));
            invitation.state = "accepted";
            invitation.modifiedAt = PyTime.now();
            return Map.of("msg", "");
        }));
    }

    /** {@code POST|DELETE /folders/invitations/delete}: the invitee rejects, the inviter cancels. */
    ApiResponse reject(ApiCall call) {
        Fields body = Fields.body(call, "DeleteInvitationReq");
        UUID id = invitationId(body.requiredString("inv_id"));
        Who who = ctx.who(call.caller());
        return ApiResponse.ok(ctx.locked(() -> {
            Invitation invitation = pending(id);
            if (who.email().equals(invitation.inviter)) {
                invitation.state = "canceled";
            } else if (who.email().equals(invitation.invitee)) {
                invitation.state = "rejected";
            } else {
                throw Problems.vfolderForbidden("Cannot change other user's invitation");
            }
            invitation.modifiedAt = PyTime.now();
            return Map.of("msg", "");
        }));
    }

    /** {@code POST /folders/invitations/update/{inv_id}}: the inviter changes a pending invitation's permission. */
    ApiResponse update(ApiCall call) {
        String raw = call.pathParams().get("inv_id");
        Fields body = Fields.body(call, "UpdateInvitationReq");
        String permission = body.choice("permission", null, VFolderService.PERMISSIONS, false, "perm", "permission");
        if (permission == null) {
            throw body.invalid("permission", "Field required");
        }
        UUID id = invitationId(raw);
        Who who = ctx.who(call.caller());
        return ApiResponse.ok(ctx.locked(() -> {
            Invitation invitation = ctx.registry.invitations().get(id);
            if (invitation != null && invitation.inviter.equals(who.email()) && invitation.state.equals("pending")) {
                invitation.permission = permission;
                invitation.modifiedAt = PyTime.now();
            }
            return Map.of("msg", "vfolder invitation updated: " + raw + ".");
        }));
    }

    /**
     * {@code POST /folders/{name}/leave}: the caller (or, for a superadmin, the named user) gives up
     * a shared user folder; a project folder cannot be left.
     */
    ApiResponse leave(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> ctx.registry.resolve(who, VFolderService.name(call), VFolder.PERMISSIONS,
                VFolder.UPDATABLE, false));
        Fields body = Fields.body(call, "LeaveVFolderReq");
        String shared = body.optionalString("shared_user_uuid", "shared_user_uuid", "sharedUserUuid");
        if (folder.isGroupFolder()) {
            throw Problems.invalidApiParams("Cannot leave a group vfolder.");
        }
        UUID sharedUser = shared == null ? null : PyPaths.uuid(shared);
        if (shared != null && sharedUser == null) {
            throw Problems.internalServerError();
        }
        return ApiResponse.ok(ctx.locked(() -> {
            ctx.registry.validated(who, folder.id);
            UUID leaving = who.userId();
            if (sharedUser != null) {
                if (!sharedUser.equals(who.userId()) && !who.isSuperadmin()) {
                    throw Problems.insufficientPrivilege("Insufficient permission.");
                }
                leaving = sharedUser;
            }
            UUID user = leaving;
            ctx.registry.grants().removeIf(g -> g.vfolder().equals(folder.id) && g.user().equals(user));
            return Map.of("msg", "left the shared vfolder");
        }));
    }

    /**
     * {@code POST /folders/{name}/share} (admin keypairs): project members (active, not the caller)
     * get the folder with {@code permission}; every e-mail must be such a member.
     */
    ApiResponse share(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> ctx.registry.resolve(who, VFolderService.name(call), Set.of("ro"),
                VFolder.UPDATABLE, false));
        Fields body = Fields.body(call, "ShareVFolderReq");
        String permission = body.choice("permission", "rw", VFolderService.PERMISSIONS, false);
        List<String> emails = body.stringList("emails", 0);
        return ApiResponse.json(201, ctx.locked(() -> {
            ctx.registry.requireRbac(who, folder, Operation.UPDATE);
            VFolder validated = ctx.registry.validated(who, folder.id);
            if (!validated.isGroupFolder()) {
                throw Problems.vfolderNotFound("Only project folders are directly sharable.", null);
            }
            HostPermissions.require(ctx.directory, who, null, validated.host, HostPermissions.SET_USER_PERM);
            List<UserAccount> members = ctx.directory.membersOf(validated.group).stream()
                    .filter(u -> emails.contains(u.email()) && !u.email().equals(who.email())
                            && ACTIVE.contains(u.status()))
                    .toList();
            if (members.isEmpty()) {
                throw Problems.objectNotFound("user", null);
            }
            if (members.size() < emails.size()) {
                Set<String> missing = new LinkedHashSet<>(emails);
                members.forEach(m -> missing.remove(m.email()));
                throw Problems.objectNotFound("user", "Some users do not belong to folder's group: "
                        + String.join(",", missing));
            }
            List<String> shared = new ArrayList<>();
            for (UserAccount member : members) {
                ctx.registry.grants().removeIf(g -> g.vfolder().equals(validated.id) && g.user().equals(member.uuid()));
                ctx.registry.grants().add(new Grant(validated.id, member.uuid(), permission, false));
                shared.add(member.email());
            }
            return Map.of("shared_emails", shared);
        }));
    }

    /** {@code POST|DELETE /folders/{name}/unshare} (admin keypairs): the named users lose their share. */
    ApiResponse unshare(ApiCall call) {
        Who who = ctx.who(call.caller());
        VFolder folder = ctx.locked(() -> ctx.registry.resolve(who, VFolderService.name(call), Set.of("ro"),
                VFolder.UPDATABLE, false));
        Fields body = Fields.body(call, "UnshareVFolderReq");
        List<String> emails = body.stringList("emails", 0);
        return ApiResponse.ok(ctx.locked(() -> {
            ctx.registry.requireRbac(who, folder, Operation.UPDATE);
            VFolder validated = ctx.registry.validated(who, folder.id);
            if (!validated.isGroupFolder()) {
                throw Problems.vfolderNotFound("Only project folders are directly unsharable.", null);
            }
            HostPermissions.require(ctx.directory, who, null, validated.host, HostPermissions.SET_USER_PERM);
            List<UUID> users = ctx.directory.users(u -> emails.contains(u.email())).stream().map(UserAccount::uuid)
                    .toList();
            if (users.isEmpty()) {
                throw Problems.objectNotFound("user(s).", null);
            }
            ctx.registry.grants().removeIf(g -> g.vfolder().equals(validated.id) && users.contains(g.user()));
            return Map.of("unshared_emails", emails);
        }));
    }

    private Invitation pending(UUID id) {
        Invitation invitation = ctx.registry.invitations().get(id);
        if (invitation == null || !invitation.state.equals("pending")) {
            throw Problems.vfolderInvitationNotFound();
        }
        return invitation;
    }

    /** {@code uuid.UUID(inv_id)} in the handler: a malformed id is an uncaught ValueError (500). */
    private static UUID invitationId(String raw) {
        UUID id = PyPaths.uuid(raw);
        if (id == null) {
            throw Problems.internalServerError();
        }
        return id;
    }
}
