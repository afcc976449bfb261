package bai.scenarios.emulator.state;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Users and keypairs known to the emulated manager. Thread-safe; seeded from bootstrap data. */
public final class Directory {
    private final Map<UUID, UserAccount> users = new ConcurrentHashMap<>();
    private final Map<String, Keypair> keypairs = new ConcurrentHashMap<>();

    public Directory(BootstrapData bootstrap) {
        bootstrap.users().forEach(u -> users.put(u.uuid(), u));
        bootstrap.keypairs().forEach(k -> keypairs.put(k.accessKey(), k));
    }

    public Optional<Keypair> keypair(String accessKey) {
        return Optional.ofNullable(keypairs.get(accessKey));
    }

    public Optional<UserAccount> user(UUID uuid) {
        return Optional.ofNullable(users.get(uuid));
    }

    public Collection<UserAccount> users() {
        return List.copyOf(users.values());
    }

    public Collection<Keypair> keypairs() {
        return List.copyOf(keypairs.values());
    }
}
