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
 * Thread-safe: every read and write holds the directory's lock, and reads return snapshots.
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

    public Directory(BootstrapData bootstrap) {
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

    public synchronized Optional<Domain> domain(String name) {
        return Optional.ofNullable(domains.get(name));
    }

    public synchronized List<Domain> domains(Predicate<Domain> filter) {
        return domains.values().stream().filter(filter).toList();
    }

    public synchronized void putDomain(Domain domain) {
        domains.put(domain.name(), domain);
    }

    /** Replaces a domain under a possibly new name, carrying its members along. */
    public synchronized void renameDomain(String oldName, Domain renamed) {
        domains.remove(oldName);
        domains.put(renamed.name(), renamed);
        if (!oldName.equals(renamed.name())) {
            groups.replaceAll((id, g) -> g.domainName().equals(oldName) ? Records.with(g, Map.of("domain_name",
                    renamed.name())) : g);
            users.replaceAll((id, u) -> u.domainName().equals(oldName) ? Records.with(u, Map.of("domain_name",
                    renamed.name())) : u);
        }
    }

    public synchronized void removeDomain(String name) {
        domains.remove(name);
    }

    // --- projects (groups) ---------------------------------------------------------------

    public synchronized Optional<Group> group(UUID id) {
        return Optional.ofNullable(groups.get(id));
    }

    public synchronized List<Group> groups(Predicate<Group> filter) {
        return groups.values().stream().filter(filter).toList();
    }

    public synchronized void putGroup(Group group) {
        groups.put(group.id(), group);
    }

    public synchronized void removeGroup(UUID id) {
        groups.remove(id);
        memberships.removeIf(m -> m.groupId().equals(id));
    }

    public synchronized void addMember(UUID groupId, UUID userId) {
        memberships.add(new Membership(groupId, userId));
    }

    public synchronized void removeMember(UUID groupId, UUID userId) {
        memberships.remove(new Membership(groupId, userId));
    }

    public synchronized List<Group> groupsOf(UUID userId) {
        List<Group> found = new ArrayList<>();
        for (Membership m : memberships) {
            if (m.userId().equals(userId) && groups.containsKey(m.groupId())) {
                found.add(groups.get(m.groupId()));
            }
        }
        return found;
    }

    public synchronized List<UserAccount> membersOf(UUID groupId) {
        return memberships.stream().filter(m -> m.groupId().equals(groupId))
                .map(m -> users.get(m.userId())).filter(u -> u != null).toList();
    }

    // --- users ---------------------------------------------------------------------------

    public synchronized Optional<UserAccount> user(UUID uuid) {
        return Optional.ofNullable(users.get(uuid));
    }

    public synchronized Optional<UserAccount> userByEmail(String email) {
        return users.values().stream().filter(u -> u.email().equals(email)).findFirst();
    }

    public synchronized List<UserAccount> users(Predicate<UserAccount> filter) {
        return users.values().stream().filter(filter).toList();
    }

    public synchronized Collection<UserAccount> users() {
        return List.copyOf(users.values());
    }

    public synchronized void putUser(UserAccount user) {
        users.put(user.uuid(), user);
    }

    public synchronized void removeUser(UUID uuid) {
        users.remove(uuid);
        memberships.removeIf(m -> m.userId().equals(uuid));
        keypairs.values().removeIf(k -> k.userId().equals(uuid));
    }

    public synchronized Optional<UserResourcePolicy> userPolicy(String name) {
        return Optional.ofNullable(userPolicies.get(name));
    }

    public synchronized List<UserResourcePolicy> userPolicies() {
        return List.copyOf(userPolicies.values());
    }

    public synchronized void putUserPolicy(UserResourcePolicy policy) {
        userPolicies.put(policy.name(), policy);
    }

    public synchronized void removeUserPolicy(String name) {
        userPolicies.remove(name);
    }

    public synchronized Optional<ProjectResourcePolicy> projectPolicy(String name) {
        return Optional.ofNullable(projectPolicies.get(name));
    }

    public synchronized List<ProjectResourcePolicy> projectPolicies() {
        return List.copyOf(projectPolicies.values());
    }

    public synchronized void putProjectPolicy(ProjectResourcePolicy policy) {
        projectPolicies.put(policy.name(), policy);
    }

    public synchronized void removeProjectPolicy(String name) {
        projectPolicies.remove(name);
    }

    // --- keypairs ------------------------------------------------------------------------

    public synchronized Optional<Keypair> keypair(String accessKey) {
        return Optional.ofNullable(keypairs.get(accessKey));
    }

    public synchronized List<Keypair> keypairs(Predicate<Keypair> filter) {
        return keypairs.values().stream().filter(filter).toList();
    }

    public synchronized Collection<Keypair> keypairs() {
        return List.copyOf(keypairs.values());
    }

    public synchronized void putKeypair(Keypair keypair) {
        keypairs.put(keypair.accessKey(), keypair);
    }

    public synchronized void removeKeypair(String accessKey) {
        keypairs.remove(accessKey);
    }

    // --- keypair resource policies and scaling groups -----------------------------------

    public synchronized Optional<KeypairResourcePolicy> keypairPolicy(String name) {
        return Optional.ofNullable(keypairPolicies.get(name));
    }

    public synchronized List<KeypairResourcePolicy> keypairPolicies() {
        return List.copyOf(keypairPolicies.values());
    }

    public synchronized void putKeypairPolicy(KeypairResourcePolicy policy) {
        keypairPolicies.put(policy.name(), policy);
    }

    public synchronized void removeKeypairPolicy(String name) {
        keypairPolicies.remove(name);
    }

    public synchronized List<ScalingGroup> scalingGroups() {
        return List.copyOf(scalingGroups.values());
    }

    /** Runs {@code change} atomically with respect to every other directory operation. */
    public synchronized <T> T atomically(java.util.function.Supplier<T> change) {
        return change.get();
    }
}
