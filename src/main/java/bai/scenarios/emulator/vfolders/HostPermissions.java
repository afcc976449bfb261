package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Records;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The manager's vfolder host permissions ({@code VFolderHostPermissionMap}): the union of the
 * {@code allowed_vfolder_hosts} of the domain, of projects and of the keypair's resource policy,
 * host by host. Read under the state lock (it reads the directory).
 */
final class HostPermissions {
    static final String CREATE = "create-vfolder";
    static final String MODIFY = "modify-vfolder";
    static final String DELETE = "delete-vfolder";
    static final String MOUNT_IN_SESSION = "mount-in-session";
    static final String UPLOAD_FILE = "upload-file";
    static final String DOWNLOAD_FILE = "download-file";
    static final String INVITE_OTHERS = "invite-others";
    static final String SET_USER_PERM = "set-user-specific-permission";

    private HostPermissions() {
    }

    /**
     * {@code filter_host_allowed_permission}: by user (domain, the user's active projects of the
     * domain — only {@code groupId} if given — and the policy), and by the given project (domain,
     * that project, policy).
     */
    static Map<String, Set<String>> allowed(Directory directory, Who who, UUID groupId) {
        Map<String, Set<String>> hosts = new TreeMap<>();
        directory.domain(who.domainName()).filter(Domain::isActive)
                .ifPresent(d -> merge(hosts, d.allowedVfolderHosts()));
        for (Group group : directory.groupsOf(who.userId())) {
            if (group.domainName().equals(who.domainName()) && group.isActive()
                    && (groupId == null || group.id().equals(groupId))) {
                merge(hosts, group.allowedVfolderHosts());
            }
        }
        if (groupId != null) {
            directory.group(groupId).filter(g -> g.domainName().equals(who.domainName()) && g.isActive())
                    .ifPresent(g -> merge(hosts, g.allowedVfolderHosts()));
        }
        if (who.keypairPolicy() != null) {
            directory.keypairPolicy(who.keypairPolicy()).map(KeypairResourcePolicy::allowedVfolderHosts)
                    .ifPresent(h -> merge(hosts, h));
        }
        return hosts;
    }

    /** {@code ensure_host_permission_allowed}: refused with InsufficientStoragePermission. */
    static void require(Directory directory, Who who, UUID groupId, String host, String permission) {
        Set<String> granted = allowed(directory, who, groupId).get(host);
        if (granted == null || !granted.contains(permission)) {
            throw Problems.storagePermissionNotAllowed("`" + permission + "` Not allowed in vfolder host(`" + host + "`)");
        }
    }

    private static void merge(Map<String, Set<String>> hosts, JsonNode map) {
        JsonNode node = map;
        if (node != null && node.isTextual()) {
            try {
                node = Records.JSON.readTree(node.asText());
            } catch (IOException notJson) {
                return;
            }
        }
        if (node == null || !node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> host = fields.next();
            Set<String> permissions = hosts.computeIfAbsent(host.getKey(), h -> new LinkedHashSet<>());
            if (host.getValue().isArray()) {
                host.getValue().forEach(p -> permissions.add(p.asText()));
            } else if (host.getValue().isTextual()) {
                permissions.add(host.getValue().asText());
            }
        }
    }
}
