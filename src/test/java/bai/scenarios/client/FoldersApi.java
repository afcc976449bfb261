package bai.scenarios.client;

import bai.scenarios.client.storage.ByteSource;
import bai.scenarios.client.storage.StorageProxy;
import bai.scenarios.client.storage.TransferTicket;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Virtual folders ({@code /folders}) for one caller: create, list, inspect, rename, the trash
 * lifecycle, files, invitations and sharing, and transfers through the storage proxy (the
 * manager hands out the proxy's URL and a token; {@link StorageProxy} carries the bytes).
 *
 * <p>Folders are addressed by name in paths, as the manager resolves them among the folders the
 * caller may reach with the permission the operation needs (someone else's folder is then
 * unknown, not forbidden); the trash operations take the id. Request bodies use exactly the
 * field names the manager's {@code openapi.json} lists ({@code host}, {@code group},
 * {@code vfolderId}, {@code id}, {@code perm}, …), never the aliases it also accepts.
 */
public final class FoldersApi {
    private final ManagerClient client;

    FoldersApi(ManagerClient client) {
        this.client = client;
    }

    /** What to create. Null fields are left to the manager's defaults (host, rw, general, user folder). */
    public record FolderSpec(String host, String permission, String usageMode, UUID project, Boolean cloneable) {
        public static FolderSpec standard() {
            return new FolderSpec(null, null, null, null, null);
        }

        public FolderSpec withPermission(String value) {
            return new FolderSpec(host, value, usageMode, project, cloneable);
        }

        public FolderSpec inProject(UUID value) {
            return new FolderSpec(host, permission, usageMode, value, cloneable);
        }

        /** A model folder ({@code usage_mode: model}): what a model service serves. */
        public FolderSpec forModels() {
            return new FolderSpec(host, permission, "model", project, cloneable);
        }

        public FolderSpec asCloneable() {
            return new FolderSpec(host, permission, usageMode, project, true);
        }

        Map<String, Object> toBody(String name) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (host != null) {
                body.put("host", host);
            }
            if (permission != null) {
                body.put("permission", permission);
            }
            if (usageMode != null) {
                body.put("usage_mode", usageMode);
            }
            if (project != null) {
                body.put("group", project.toString());
            }
            if (cloneable != null) {
                body.put("cloneable", cloneable);
            }
            return body;
        }
    }

    /**
     * A folder as the manager describes it to the caller: {@code permission} is the caller's own
     * (an invitee sees the permission she was granted), {@code ownershipType} is {@code user} or
     * {@code group} (a project folder).
     */
    public record Folder(UUID id, String name, String host, String status, String permission, String ownershipType,
                         boolean isOwner, String usageMode, boolean cloneable, UUID project) {
        static Folder from(JsonNode node) {
            String ownership = text(node, "ownership_type");
            if (ownership == null) {
                ownership = text(node, "type");
            }
            String group = text(node, "group");
            return new Folder(parseId(node.path("id").asText()), node.path("name").asText(), text(node, "host"),
                    text(node, "status"), text(node, "permission"), ownership, node.path("is_owner").asBoolean(),
                    text(node, "usage_mode"), node.path("cloneable").asBoolean(),
                    group == null || group.isEmpty() ? null : parseId(group));
        }
    }

    /** One entry of a folder's directory: {@code FILE}, {@code DIRECTORY} or {@code SYMLINK}. */
    public record Entry(String name, String type, long size) {
        public boolean isDirectory() {
            return type.equals("DIRECTORY");
        }
    }

    /** What a mkdir did, path by path. */
    public record MkdirResult(List<String> created, List<String> failed) {
    }

    /** An invitation as its invitee (or inviter) sees it. */
    public record Invitation(String id, String inviter, String invitee, String permission, String state, UUID folderId,
                             String folderName) {
        static Invitation from(JsonNode node) {
            String folder = text(node, "vfolder_id");
            return new Invitation(node.path("id").asText(), text(node, "inviter"), text(node, "invitee"),
                    text(node, "perm"), text(node, "state"), folder == null ? null : parseId(folder),
                    text(node, "vfolder_name"));
        }
    }

    /** A clone the manager started: the new folder (its copy runs in the background). */
    public record Clone(UUID id, String name, String backgroundTask) {
    }

    public Folder create(String name, FolderSpec spec) {
        return Folder.from(client.post("/folders", spec.toBody(name)).orThrow().json());
    }

    /** The caller's folders: her own, those shared with her, and her projects' (trashed ones too). */
    public List<Folder> list() {
        return folders(client.get("/folders").orThrow().json());
    }

    /** The folders of one project ({@code group_id}). */
    public List<Folder> listOfProject(UUID project) {
        return folders(client.send("GET", "/folders", Map.of("group_id", project.toString()), null).orThrow().json());
    }

    /** Another user's folders, as an administrator sees them ({@code owner_user_email}). */
    public List<Folder> listOwnedBy(String email) {
        return folders(client.send("GET", "/folders", Map.of("owner_user_email", email), null).orThrow().json());
    }

    /** The folder's information, looked up by name (or by its id in hex). */
    public Folder info(String nameOrId) {
        return Folder.from(client.get("/folders/" + nameOrId).orThrow().json());
    }

    public void rename(String name, String newName) {
        client.post("/folders/" + name + "/rename", Map.of("new_name", newName)).orThrow();
    }

    /** Changes the folder's own permission and whether it may be cloned (owner only). */
    public void updateOptions(String name, String permission, Boolean cloneable) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (permission != null) {
            body.put("permission", permission);
        }
        if (cloneable != null) {
            body.put("cloneable", cloneable);
        }
        client.post("/folders/" + name + "/update-options", body).orThrow();
    }

    /** Moves the folder to the trash ({@code DELETE /folders {"vfolderId"}}); its data stays. */
    public void trash(UUID id) {
        client.send("DELETE", "/folders", Map.of(), Map.of("vfolderId", id.toString())).orThrow();
    }

    /** Moves the folder to the trash by name ({@code DELETE /folders/{name}}), as the CLI does. */
    public void trashByName(String name) {
        client.send("DELETE", "/folders/" + name, Map.of(), null).orThrow();
    }

    public void restore(UUID id) {
        client.post("/folders/restore-from-trash-bin", Map.of("id", id.toString())).orThrow();
    }

    /** Deletes a trashed folder's data for good; its record stays until purged. */
    public void deleteForever(UUID id) {
        client.post("/folders/delete-from-trash-bin", Map.of("id", id.toString())).orThrow();
    }

    /** Drops the record of a deleted folder (admins only). */
    public void purge(UUID id) {
        client.post("/folders/purge", Map.of("id", id.toString())).orThrow();
    }

    public MkdirResult mkdir(String name, List<String> paths, boolean parents, boolean existOk) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", paths.size() == 1 ? paths.get(0) : paths);
        body.put("parents", parents);
        body.put("exist_ok", existOk);
        JsonNode results = client.post("/folders/" + name + "/mkdir", body).orThrow().json().path("results");
        List<String> created = new ArrayList<>();
        results.path("success").forEach(r -> created.add(r.path("item").asText()));
        List<String> failed = new ArrayList<>();
        results.path("failed").forEach(r -> failed.add(r.path("item").asText()));
        return new MkdirResult(created, failed);
    }

    /** The entries of one directory of the folder ({@code ""} is its top). */
    public List<Entry> files(String name, String path) {
        JsonNode items = client.send("GET", "/folders/" + name + "/files", Map.of("path", path), null).orThrow().json()
                .path("items");
        List<Entry> entries = new ArrayList<>();
        items.forEach(i -> entries.add(new Entry(i.path("name").asText(), i.path("type").asText(), i.path("size").asLong())));
        return entries;
    }

    /** Every file of the folder, by its path from the top ({@code nested/inner.txt}), walking sub-folders. */
    public List<String> allFiles(String name) {
        List<String> paths = new ArrayList<>();
        walk(name, "", paths);
        return paths;
    }

    private void walk(String name, String dir, List<String> paths) {
        for (Entry entry : files(name, dir)) {
            String path = dir.isEmpty() ? entry.name() : dir + "/" + entry.name();
            if (entry.isDirectory()) {
                walk(name, path, paths);
            } else {
                paths.add(path);
            }
        }
    }

    public void renameFile(String name, String targetPath, String newName) {
        client.post("/folders/" + name + "/rename-file", Map.of("target_path", targetPath, "new_name", newName)).orThrow();
    }

    public void moveFile(String name, String src, String dst) {
        client.post("/folders/" + name + "/move-file", Map.of("src", src, "dst", dst)).orThrow();
    }

    public void deleteFiles(String name, List<String> files, boolean recursive) {
        client.post("/folders/" + name + "/delete-files", Map.of("files", files, "recursive", recursive)).orThrow();
    }

    /** Asks the manager to open an upload of {@code size} bytes to {@code path}; the proxy's URL and token. */
    public TransferTicket requestUpload(String name, String path, long size) {
        return ticket(client.post("/folders/" + name + "/request-upload", Map.of("path", path, "size", size)).orThrow()
                .json());
    }

    /** Asks the manager for a download of {@code path}; the proxy's URL and token. */
    public TransferTicket requestDownload(String name, String path) {
        return ticket(client.post("/folders/" + name + "/request-download", Map.of("path", path)).orThrow().json());
    }

    /** Uploads bytes to {@code path} of the folder: the manager opens the upload, the proxy takes the bytes. */
    public StorageProxy.UploadReport upload(String name, String path, ByteSource source, StorageProxy.UploadPlan plan) {
        TransferTicket ticket = requestUpload(name, path, source.size());
        return client.storage().upload(ticket, source, plan);
    }

    public StorageProxy.UploadReport upload(String name, String path, byte[] content) {
        return upload(name, path, ByteSource.of(content), StorageProxy.UploadPlan.standard());
    }

    /** Downloads {@code path} of the folder into {@code target}, with its CRC32C. */
    public StorageProxy.Download download(String name, String path, Path target) {
        return client.storage().download(requestDownload(name, path), target);
    }

    /** Invites people by e-mail with a permission ({@code ro}, {@code rw}, {@code wd}); the invitation ids. */
    public List<String> invite(String name, String permission, List<String> emails) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("perm", permission);
        body.put("emails", emails);
        List<String> ids = new ArrayList<>();
        client.post("/folders/" + name + "/invite", body).orThrow().json().path("invited_ids")
                .forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /**
     * The invitations the caller sent that are still pending: the only list where the manager fills
     * in {@code invitee} and {@code state} (the invitee's own list leaves both empty).
     */
    public List<Invitation> sentInvitations() {
        List<Invitation> invitations = new ArrayList<>();
        client.get("/folders/invitations/list-sent").orThrow().json().path("invitations")
                .forEach(i -> invitations.add(Invitation.from(i)));
        return invitations;
    }

    /** The caller's pending invitations (the manager leaves their {@code invitee} and {@code state} empty). */
    public List<Invitation> invitations() {
        List<Invitation> invitations = new ArrayList<>();
        client.get("/folders/invitations/list").orThrow().json().path("invitations")
                .forEach(i -> invitations.add(Invitation.from(i)));
        return invitations;
    }

    public void acceptInvitation(String id) {
        client.post("/folders/invitations/accept", Map.of("inv_id", id)).orThrow();
    }

    /** Rejects (as invitee) or cancels (as inviter) an invitation. */
    public void rejectInvitation(String id) {
        client.post("/folders/invitations/delete", Map.of("inv_id", id)).orThrow();
    }

    /** Leaves a folder shared with the caller. */
    public void leave(String name) {
        client.post("/folders/" + name + "/leave", Map.of()).orThrow();
    }

    /** Shares a project folder with users at a permission of their own (admins). */
    public List<String> share(String name, String permission, List<String> emails) {
        List<String> shared = new ArrayList<>();
        client.post("/folders/" + name + "/share", Map.of("permission", permission, "emails", emails)).orThrow().json()
                .path("shared_emails").forEach(e -> shared.add(e.asText()));
        return shared;
    }

    public void unshare(String name, List<String> emails) {
        client.post("/folders/" + name + "/unshare", Map.of("emails", emails)).orThrow();
    }

    /** Clones a cloneable folder under a new name; the copy runs in the background. */
    public Clone clone(String name, String targetName) {
        JsonNode answer = client.post("/folders/" + name + "/clone", Map.of("target_name", targetName)).orThrow().json();
        return new Clone(parseId(answer.path("id").asText()), answer.path("name").asText(),
                answer.path("bgtask_id").asText(null));
    }

    /**
     * The folder's status as an admin sees it through GraphQL's {@code vfolder_node}, or null when
     * the caller may not read it or it is gone. (The REST info of someone else's personal folder is
     * 404 even for a superadmin: the manager looks it up among the caller's own folders.)
     */
    public String statusThroughGraphQL(UUID id) {
        String relayId = java.util.Base64.getEncoder().encodeToString(("VirtualFolderNode:" + id)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode node = new AdminGraphQLClient(client).run("FolderStatus", Map.of("id", relayId)).path("vfolder_node");
        return node.isObject() ? node.path("status").asText(null) : null;
    }

    /** The manager's folder ids are 32 hex digits without dashes; UUIDs with dashes are read too. */
    public static UUID parseId(String id) {
        String hex = id.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a folder id: " + id);
        }
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }

    /** The id as the manager writes it: 32 hex digits. */
    public static String hex(UUID id) {
        return id.toString().replace("-", "");
    }

    private static List<Folder> folders(JsonNode array) {
        List<Folder> folders = new ArrayList<>();
        array.forEach(f -> folders.add(Folder.from(f)));
        return folders;
    }

    private static TransferTicket ticket(JsonNode answer) {
        return new TransferTicket(URI.create(answer.path("url").asText()), answer.path("token").asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
