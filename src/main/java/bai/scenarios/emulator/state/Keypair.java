package bai.scenarios.emulator.state;

import java.util.UUID;

/** An API keypair of a user. {@code isAdmin} is the keypair flag the manager's admin routes check. */
public record Keypair(String accessKey, String secretKey, boolean isActive, boolean isAdmin, int rateLimit,
                      String resourcePolicy, UUID userId) {

    @Override
    public String toString() {
        // Never print the secret key.
        return "Keypair[" + accessKey + ", active=" + isActive + ", admin=" + isAdmin + ", user=" + userId + "]";
    }
}
