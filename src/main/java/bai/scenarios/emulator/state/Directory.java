package bai.scenarios.emulator.state;

import bai.scenarios.emulator.state.BootstrapData.Membership;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.ProjectResourcePolicy;
import bai.scenarios.emulator.state.Entities.UserResourcePolicy;
import bai.scenarios.emulator.state.Entities.ScalingGroup;
import bai.scenarios.emulator.state.Entities.UserAccount;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Everything the emulated manager knows about domains, projects, users, keypairs and policies.
 * Thread-safe: every read and write holds the emulator's one {@link StateLock}, and reads return
 * snapshots.
 * Business rules live with the API that enforces them; this class only stores and finds.
 */
public final class Directory {
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final Map<UUID, Group> groups = new LinkedHashMap<>();
    private final Map<UUID, UserAccount> users = new LinkedHashMap<>();
    private final Map<String, Keypair> keypairs = new LinkedHashMap<>();
    private final Map<String, KeypairResourcePolicy> keypairPolicies = new LinkedHashMap<>();
    private final Map<String, ScalingGroup> scalingGroups = new LinkedHashMap<>();
    private final Map<String, UserResourcePolicy> userPolicies = new LinkedHashMap<>();
    private final Map<String, ProjectResourcePolicy> projectPolicies = new LinkedHashMap<>();
    private final java.util.Set<Membership> memberships = new java.util.LinkedHashSet<>();
    /** Each user's login sessions, oldest first (the manager's login_sessions rows and Valkey keys). */
    private final Map<UUID, List<LoginSession>> loginSessions = new LinkedHashMap<>();

    private final StateLock lock;

    public Directory(BootstrapData bootstrap, StateLock lock) {
        this.lock = lock;
        bootstrap.domains().forEach(d -> domains.put(d.name(), d));
        bootstrap.groups().forEach(g -> groups.put(g.id(), g));
        bootstrap.users().forEach(u -> users.put(u.uuid(), u));
        bootstrap.keypairs().forEach(k -> keypairs.put(k.accessKey(), k));
        bootstrap.keypairResourcePolicies().forEach(p -> keypairPolicies.put(p.name(), p));
        bootstrap.scalingGroups().forEach(s -> scalingGroups.put(s.name(), s));
        bootstrap.userResourcePolicies().forEach(p -> userPolicies.put(p.name(), p));
        bootstrap.projectResourcePolicies().forEach(p -> projectPolicies.put(p.name(), p));
        memberships.addAll(bootstrap.memberships());
    }

    // --- domains -------------------------------------------------------------------------

    public Optional<Domain> domain(String name) {
        return lock.apply(() -> Optional.ofNullable(domains.get(name)));
    }

    public List<Domain> domains(Predicate<Domain> filter) {
        return lock.apply(() -> domains.values().stream().filter(filter).toList());
    }

    public void putDomain(Domain domain) {
        lock.run(() -> domains.put(domain.name(), domain));
    }

    /** Replaces a domain under a possibly new name, carrying its members along. */
    public void renameDomain(String oldName, Domain renamed) {
        lock.run(() -> {
            domains.remove(oldName);
            domains.put(renamed.name(), renamed);
            if (!oldName.equals(renamed.name())) {
                groups.replaceAll((id, g) -> g.domainName().equals(oldName) ? Records.with(g, Map.of("domain_name",
                        renamed.name())) : g);
                users.replaceAll((id, u) -> u.domainName().equals(oldName) ? Records.with(u, Map.of("domain_name",
                        renamed.name())) : u);
            }
        });
    }

    public void removeDomain(String name) {
        lock.run(() -> domains.remove(name));
    }

    // --- projects (groups) ---------------------------------------------------------------

    public Optional<Group> group(UUID id) {
        return lock.apply(() -> Optional.ofNullable(groups.get(id)));
    }

    public List<Group> groups(Predicate<Group> filter) {
        return lock.apply(() -> groups.values().stream().filter(filter).toList());
    }

    public void putGroup(Group group) {
        lock.run(() -> groups.put(group.id(), group));
    }

    public void removeGroup(UUID id) {
        lock.run(() -> {
            groups.remove(id);
            memberships.removeIf(m -> m.groupId().equals(id));
        });
    }

    public void addMember(UUID groupId, UUID userId) {
        lock.run(() -> memberships.add(new Membership(groupId, userId)));
    }

    public void removeMember(UUID groupId, UUID userId) {
        lock.run(() -> memberships.remove(new Membership(groupId, userId)));
    }

    public List<Group> groupsOf(UUID userId) {
        return lock.apply(() -> {
            List<Group> found = new ArrayList<>();
            for (Membership m : memberships) {
                if (m.userId().equals(userId) && groups.containsKey(m.groupId())) {
                    found.add(groups.get(m.groupId()));
                }
            }
            return found;
        });
    }

    public List<UserAccount> membersOf(UUID groupId) {
        return lock.apply(() -> {
            return memberships.stream().filter(m -> m.groupId().equals(groupId))
                    .map(m -> users.get(m.userId())).filter(u -> u != null).toList();
        });
    }

    // --- users ---------------------------------------------------------------------------

    public Optional<UserAccount> user(UUID uuid) {
        return lock.apply(() -> Optional.ofNullable(users.get(uuid)));
    }

    public Optional<UserAccount> userByEmail(String email) {
        return lock.apply(() -> users.values().stream().filter(u -> u.email().equals(email)).findFirst());
    }

    public List<UserAccount> users(Predicate<UserAccount> filter) {
        return lock.apply(() -> users.values().stream().filter(filter).toList());
    }

    public Collection<UserAccount> users() {
        return lock.apply(() -> List.copyOf(users.values()));
    }

    public void putUser(UserAccount user) {
        lock.run(() -> users.put(user.uuid(), user));
    }

    public void removeUser(UUID uuid) {
        lock.run(() -> {
            users.remove(uuid);
            loginSessions.remove(uuid);
            memberships.removeIf(m -> m.userId().equals(uuid));
            keypairs.values().removeIf(k -> k.userId().equals(uuid));
        });
    }

    // --- login sessions (one per successful POST /auth/authorize) -----------------------------

    /** A login session: its token, the client type it was opened for (null: none) and when. */
    public record LoginSession(String token, UUID userId, String clientTypeId, java.time.Instant created) {
    }

    /**
     * The user's live login sessions for this client type (all of them when it is null), oldest
     * first; sessions created before {@code expiredBefore} are dropped on the way, as the manager
     * drops those whose Valkey key has expired.
     */
    public List<LoginSession> liveLoginSessions(UUID userId, String clientTypeId, java.time.Instant expiredBefore) {
        return lock.apply(() -> {
            List<LoginSession> all = loginSessions.getOrDefault(userId, new ArrayList<>());
            all.removeIf(s -> s.created().isBefore(expiredBefore));
            return all.stream().filter(s -> clientTypeId == null || clientTypeId.equals(s.clientTypeId())).toList();
        });
    }

    public void addLoginSession(LoginSession session) {
        lock.run(() -> loginSessions.computeIfAbsent(session.userId(), id -> new ArrayList<>()).add(session));
    }

    public void removeLoginSessions(UUID userId, Collection<String> tokens) {
        lock.run(() -> {
            List<LoginSession> all = loginSessions.get(userId);
            if (all != null) {
                all.removeIf(s -> tokens.contains(s.token()));
            }
        });
    }

    public Optional<UserResourcePolicy> userPolicy(String name) {
        return lock.apply(() -> Optional.ofNullable(userPolicies.get(name)));
    }

    public List<UserResourcePolicy> userPolicies() {
        return lock.apply(() -> List.copyOf(userPolicies.values()));
    }

    public void putUserPolicy(UserResourcePolicy policy) {
        lock.run(() -> userPolicies.put(policy.name(), policy));
    }

    public void removeUserPolicy(String name) {
        lock.run(() -> userPolicies.remove(name));
    }

    public Optional<ProjectResourcePolicy> projectPolicy(String name) {
        return lock.apply(() -> Optional.ofNullable(projectPolicies.get(name)));
    }

    public List<ProjectResourcePolicy> projectPolicies() {
        return lock.apply(() -> List.copyOf(projectPolicies.values()));
    }

    public void putProjectPolicy(ProjectResourcePolicy policy) {
        lock.run(() -> projectPolicies.put(policy.name(), policy));
    }

    public void removeProjectPolicy(String name) {
        lock.run(() -> projectPolicies.remove(name));
    }

    // --- keypairs ------------------------------------------------------------------------

    public Optional<Keypair> keypair(String accessKey) {
        return lock.apply(() -> Optional.ofNullable(keypairs.get(accessKey)));
    }

    public List<Keypair> keypairs(Predicate<Keypair> filter) {
        return lock.apply(() -> keypairs.values().stream().filter(filter).toList());
    }

    public Collection<Keypair> keypairs() {
        return lock.apply(() -> List.copyOf(keypairs.values()));
    }

    public void putKeypair(Keypair keypair) {
        lock.run(() -> keypairs.put(keypair.accessKey(), keypair));
    }

    public void removeKeypair(String accessKey) {
        lock.run(() -> keypairs.remove(accessKey));
    }

    // --- keypair resource policies and scaling groups -----------------------------------

    public Optional<KeypairResourcePolicy> keypairPolicy(String name) {
        return lock.apply(() -> Optional.ofNullable(keypairPolicies.get(name)));
    }

    public List<KeypairResourcePolicy> keypairPolicies() {
        return lock.apply(() -> List.copyOf(keypairPolicies.values()));
    }

    public void putKeypairPolicy(KeypairResourcePolicy policy) {
        lock.run(() -> keypairPolicies.put(policy.name(), policy));
    }

    public void removeKeypairPolicy(String name) {
        lock.run(() -> keypairPolicies.remove(name));
    }

    public List<ScalingGroup> scalingGroups() {
        return lock.apply(() -> List.copyOf(scalingGroups.values()));
    }

    /** Runs {@code change} atomically with respect to every other directory operation. */
    public <T> T atomically(java.util.function.Supplier<T> change) {
        return lock.apply(() -> change.get());
    }
}
