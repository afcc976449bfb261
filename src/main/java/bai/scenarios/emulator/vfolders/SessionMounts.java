package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Access;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Query;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The virtual folders a new session mounts, decided as the manager decides them at create time:
 * <ol>
 *   <li>the legacy surfaces ({@code config.mounts}, {@code mount_map}, {@code mount_options}, keyed
 *       by folder name, optionally {@code name/subpath}) are routed: UUID-shaped keys join
 *       {@code mount_ids}/{@code mount_id_map}, names are looked up (any folder of that name; an
 *       unknown one is {@code 404 object-not-found} with the name as {@code data}) and join them too;</li>
 *   <li>the destinations are checked: no two alike, not empty, not a reserved path (400);</li>
 *   <li>every folder id must be one the owner reaches as a user (own, shared, of a project they are a
 *       member of), not in the trash (404 otherwise); dot-prefixed folders they reach are mounted too;
 *       a project folder of another project is left out (not an error); the host must allow
 *       {@code mount-in-session}; a read-write mount of a read-only folder is refused (400);</li>
 *   <li>a destination defaults to {@code /home/work/<name>}, a relative one is under
 *       {@code /home/work}; destinations must not overlap (400).</li>
 * </ol>
 * Runs under the state lock and does no I/O; the kernel host materialises the mounts on the agents'
 * pool ({@link MountMaterializer}).
 */
public final class SessionMounts {
    /** One mount of a session: the folder, where its files are, where the kernel sees them, and how. */
    public record Mount(UUID folderId, String name, String vfid, Path folderPath, String subpath, String kernelPath,
                        String permission, String usageMode) {
        public boolean readOnly() {
            return permission.equals("ro");
        }
    }

    /** The normalised mount request: folder ids in order, their destinations and options. */
    public record Request(List<UUID> ids, Map<UUID, String> destinations, Map<UUID, String> permissions,
                          Map<UUID, String> subpaths) {
        public boolean isEmpty() {
            return ids.isEmpty();
        }
    }

    private static final Map<String, String> DESTINATION_MAP = Map.of(".linuxbrew", "/home/linuxbrew/.linuxbrew");
    private static final String MODEL = "CreateFromParamsRequest";

    private final VFolderRegistry registry;
    private final Volume volume;

    public SessionMounts(VFolderRegistry registry, Volume volume) {
        this.registry = registry;
        this.volume = volume;
    }

    private static ApiError invalid(String field, String message) {
        return Problems.invalidApiParameters("1 validation error for " + MODEL + "\nconfig." + field + "\n  " + message);
    }

    /**
     * Steps 1 and 2 (the request handler and {@code create_session}'s alias checks); call under the
     * state lock.
     */
    public Request normalize(JsonNode config, UUID ownerId) {
        List<String> mounts = strings(config, "mounts");
        Map<String, String> mountMap = stringMap(config, "mount_map", "mountMap");
        List<String> rawIds = strings(config, "mount_ids");
        Map<String, String> idMap = stringMap(config, "mount_id_map", "mountIdMap");
        Map<String, JsonNode> options = optionsMap(config);

        List<UUID> ids = new ArrayList<>();
        Map<UUID, String> destinations = new LinkedHashMap<>();
        Map<UUID, String> permissions = new LinkedHashMap<>();
        Map<UUID, String> subpaths = new LinkedHashMap<>();
        for (int i = 0; i < rawIds.size(); i++) {
            UUID id = PyPaths.pydanticUuid(rawIds.get(i));
            if (id == null) {
                throw invalid("mount_ids." + i, "Input should be a valid UUID, invalid character: expected an "
                        + "optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        for (Map.Entry<String, String> entry : idMap.entrySet()) {
            UUID id = PyPaths.pydanticUuid(entry.getKey());
            if (id == null) {
                throw invalid("mount_id_map." + entry.getKey() + ".[key]", "Input should be a valid UUID");
            }
            destinations.put(id, entry.getValue());
        }
        Map<UUID, JsonNode> uuidOptions = new LinkedHashMap<>();
        Map<String, JsonNode> nameOptions = new LinkedHashMap<>();
        Set<String> nameKeys = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> legacyKeys = new ArrayList<>(mounts);
        legacyKeys.addAll(mountMap.keySet());
        legacyKeys.addAll(options.keySet());
        for (String key : legacyKeys) {
            if (!seen.add(key)) {
                continue;
            }
            UUID id = PyPaths.uuid(key);
            if (id == null) {
                nameKeys.add(key);
                if (options.containsKey(key)) {
                    nameOptions.put(key, options.get(key));
                }
                continue;
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
            if (mountMap.containsKey(key)) {
                destinations.putIfAbsent(id, mountMap.get(key));
            }
            if (options.containsKey(key)) {
                uuidOptions.putIfAbsent(id, options.get(key));
            }
        }
        // Names (optionally "name/subpath") are resolved to folder ids, first form wins.
        Map<String, String> subpathByName = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String key : nameKeys) {
            String[] split = splitLegacyKey(key);
            if (PyPaths.uuid(split[0]) != null) {
                continue;
            }
            if (split[1] != null) {
                subpathByName.putIfAbsent(split[0], split[1]);
            }
            if (!names.contains(split[0])) {
                names.add(split[0]);
            }
        }
        Map<String, String> destinationByName = new LinkedHashMap<>();
        mountMap.forEach((key, dst) -> destinationByName.putIfAbsent(splitLegacyKey(key)[0], dst));
        Map<String, JsonNode> optionsByName = new LinkedHashMap<>();
        nameOptions.forEach((key, opts) -> optionsByName.putIfAbsent(splitLegacyKey(key)[0], opts));
        for (String name : names) {
            UUID id = lookupByName(name, ownerId);
            if (!ids.contains(id)) {
                ids.add(id);
            }
            if (destinationByName.containsKey(name) && !destinations.containsKey(id)) {
                destinations.put(id, destinationByName.get(name));
            }
            if (optionsByName.containsKey(name) && !uuidOptions.containsKey(id)) {
                uuidOptions.put(id, optionsByName.get(name));
            }
            if (subpathByName.containsKey(name) && !(uuidOptions.containsKey(id)
                    && uuidOptions.get(id).hasNonNull("subpath"))) {
                subpaths.put(id, subpathByName.get(name));
            }
        }
        for (Map.Entry<UUID, JsonNode> entry : uuidOptions.entrySet()) {
            JsonNode opts = entry.getValue();
            if (opts.hasNonNull("permission")) {
                String permission = opts.get("permission").asText();
                if (!VFolder.PERMISSIONS.contains(permission)) {
                    throw invalid("mount_options." + entry.getKey() + ".permission", "Input should be 'ro', 'rw' or 'wd'");
                }
                permissions.put(entry.getKey(), permission);
            }
            if (opts.hasNonNull("subpath")) {
                subpaths.put(entry.getKey(), opts.get("subpath").asText());
            }
        }
        checkAliases(destinations);
        return new Request(ids, destinations, permissions, subpaths);
    }

    /** The {@code "name/subpath"} form of the v1 CLI: {@code [name, subpath or null]}. */
    private static String[] splitLegacyKey(String key) {
        int slash = key.indexOf('/');
        if (slash >= 0 && slash < key.length() - 1) {
            return new String[] {key.substring(0, slash), key.substring(slash + 1)};
        }
        return new String[] {key, null};
    }

    /**
     * {@code resolve_vfolder_ids_by_names}: any folder of that name, whoever owns it, in any
     * status. The manager takes whichever row the database returns when several share the name;
     * the emulator prefers one the owner reaches, then the newest.
     */
    private UUID lookupByName(String name, UUID ownerId) {
        List<VFolder> named = registry.all().stream().filter(f -> f.name.equals(name)).toList();
        if (named.isEmpty()) {
            throw Problems.vfolderNotFound(null, List.of(name));
        }
        for (VFolder folder : named) {
            if (ownerId.equals(folder.user) || registry.grantedUsers(folder.id).contains(ownerId)) {
                return folder.id;
            }
        }
        return named.get(named.size() - 1).id;
    }

    /** {@code create_session}'s checks of the destinations. */
    private static void checkAliases(Map<UUID, String> destinations) {
        List<String> aliases = new ArrayList<>(destinations.values());
        if (aliases.size() != new LinkedHashSet<>(aliases).size()) {
            throw Problems.invalidApiParams("Duplicate alias folder name exists.");
        }
        for (String alias : aliases) {
            String name = alias.startsWith("/home/work/") ? alias.replace("/home/work/", "") : alias;
            if (name.isEmpty()) {
                throw Problems.invalidApiParams("Alias name cannot be empty.");
            }
            if (!VFolderService.verifyName(name)) {
                throw Problems.invalidApiParams(name + " is reserved for internal path.");
            }
            for (UUID key : destinations.keySet()) {
                if (key.toString().equals(name)) {
                    throw Problems.invalidApiParams("Alias name cannot be set to an existing folder name: " + name);
                }
            }
        }
    }

    /**
     * Step 3 ({@code prepare_vfolder_mounts}, with the user's role taken as "user" as the
     * scheduler passes it): the mounts of a session of {@code ownerId} in project {@code groupId}.
     * Call under the state lock.
     */
    public List<Mount> prepare(Request request, UUID ownerId, String ownerEmail, String domainName, String keypairPolicy,
                               UUID groupId) {
        Who who = new Who(ownerId, ownerEmail, "user", domainName, false, keypairPolicy);
        Map<UUID, String> subpaths = new LinkedHashMap<>();
        for (UUID id : request.ids()) {
            String raw = request.subpaths().get(id);
            String candidate = raw == null || raw.isEmpty() ? "." : raw;
            String normed = PyPaths.normpath(candidate);
            if (normed.equals("..") || normed.startsWith("../") || PyPaths.isAbsolute(normed)) {
                throw Problems.invalidApiParams("The subpath '" + candidate + "' must not escape the vfolder root.");
            }
            subpaths.put(id, normed);
        }
        Set<UUID> requested = new LinkedHashSet<>(request.ids());
        List<Access> accessible = registry.accessible(who, Query.all().where(f ->
                (f.name.startsWith(".") || requested.contains(f.id)) && !VFolder.DEAD.contains(f.status)));
        if (accessible.isEmpty()) {
            if (!requested.isEmpty()) {
                throw Problems.vfolderNotFound("There is no accessible vfolders at all.", null);
            }
            return List.of();
        }
        Set<UUID> found = new LinkedHashSet<>();
        accessible.forEach(a -> found.add(a.folder().id));
        Set<String> unresolved = new TreeSet<>();
        requested.stream().filter(id -> !found.contains(id)).forEach(id -> unresolved.add(id.toString()));
        if (!unresolved.isEmpty()) {
            throw Problems.vfolderNotFound("VFolder(s) not found or accessible: " + String.join(", ", unresolved), null);
        }
        Map<String, Access> byName = new LinkedHashMap<>();
        accessible.forEach(a -> byName.put(a.folder().name, a));
        // The requested folders in their order, then the dot-prefixed ones mounted automatically.
        Map<UUID, String> targets = new LinkedHashMap<>();
        for (UUID id : request.ids()) {
            targets.put(id, accessible.stream().filter(a -> a.folder().id.equals(id)).findFirst().orElseThrow()
                    .folder().name);
        }
        for (Access access : accessible) {
            if (access.folder().name.startsWith(".")) {
                targets.putIfAbsent(access.folder().id, access.folder().name);
                subpaths.putIfAbsent(access.folder().id, ".");
            }
        }
        Set<String> modelStores = new LinkedHashSet<>();
        registry.directory().groups(g -> g.domainName().equals(domainName) && g.type().equals("model-store"))
                .stream().map(Group::id).forEach(id -> modelStores.add(id.toString()));
        List<Mount> mounts = new ArrayList<>();
        Set<String> mounted = new LinkedHashSet<>();
        for (Map.Entry<UUID, String> target : targets.entrySet()) {
            Access access = byName.get(target.getValue());
            if (access == null) {
                throw Problems.vfolderNotFound("VFolder " + target.getValue() + " is not found or accessible.", null);
            }
            VFolder folder = access.folder();
            boolean auto = !requested.contains(target.getKey());
            try {
                HostPermissions.require(registry.directory(), who, groupId, folder.host, HostPermissions.MOUNT_IN_SESSION);
            } catch (ApiError refused) {
                if (folder.name.startsWith(".")) {
                    continue;
                }
                throw Problems.storagePermissionNotAllowed("Permission denied to mount VFolder '" + folder.name
                        + "' on host '" + folder.host + "'. " + refused.msg());
            }
            boolean crossProject = folder.group != null && !folder.group.equals(groupId);
            boolean modelStore = folder.group != null && modelStores.contains(folder.group.toString());
            if (crossProject && !(modelStore && folder.usageMode.equals("model"))) {
                continue;
            }
            String subpath = subpaths.getOrDefault(target.getKey(), ".");
            if (!mounted.add(folder.id + "/" + subpath)) {
                continue;
            }
            String destination = auto ? null : request.destinations().get(target.getKey());
            if (DESTINATION_MAP.containsKey(folder.name)) {
                destination = DESTINATION_MAP.get(folder.name);
            }
            String kernelPath;
            if (destination == null) {
                kernelPath = "/home/work/" + folder.name;
            } else if (PyPaths.isAbsolute(destination)) {
                kernelPath = PyPaths.pure(destination);
            } else {
                kernelPath = PyPaths.pure("/home/work/" + destination);
            }
            String permission;
            String wanted = auto ? null : request.permissions().get(target.getKey());
            if (crossProject) {
                permission = "ro";
            } else if (wanted == null) {
                permission = access.permission();
            } else if (wanted.equals("ro")) {
                permission = "ro";
            } else {
                if (access.permission().equals("ro")) {
                    throw Problems.vfolderPermissionError("VFolder " + folder.name + " is allowed to be accessed in 'ro'"
                            + " mode, but attempted with '" + wanted + "' mode.");
                }
                permission = wanted;
            }
            mounts.add(new Mount(folder.id, folder.name, folder.vfid(), volume.folderPath(folder.quotaScopeId, folder.id),
                    subpath, kernelPath, permission, folder.usageMode));
        }
        for (Mount a : mounts) {
            for (Mount b : mounts) {
                if (a != b && !a.kernelPath().equals(b.kernelPath())
                        && (a.kernelPath() + "/").startsWith(b.kernelPath() + "/")) {
                    throw Problems.invalidApiParams("VFolder path '" + a.kernelPath() + "' overlaps with '"
                            + b.kernelPath() + "'");
                }
            }
        }
        return mounts;
    }

    // --- reading the config ------------------------------------------------------------------------

    private static List<String> strings(JsonNode config, String field) {
        JsonNode node = config.get(field);
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw invalid(field, "Input should be a valid list");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(field + "." + values.size(), "Input should be a valid string");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static Map<String, String> stringMap(JsonNode config, String field, String alias) {
        JsonNode node = config.has(alias) ? config.get(alias) : config.get(field);
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw invalid(field, "Input should be a valid dictionary");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw invalid(field + "." + entry.getKey(), "Input should be a valid string");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return values;
    }

    private static Map<String, JsonNode> optionsMap(JsonNode config) {
        JsonNode node = config.has("mountOptions") ? config.get("mountOptions") : config.get("mount_options");
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw invalid("mount_options", "Input should be a valid dictionary");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getValue().isObject()) {
                throw invalid("mount_options." + entry.getKey(), "Input should be a valid dictionary");
            }
            values.put(entry.getKey(), entry.getValue());
        }
        return values;
    }
}
