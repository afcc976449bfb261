package bai.scenarios.emulator.state;

import java.util.UUID;

/** A user row: identity, role and status. Passwords are kept only to answer logins. */
public record UserAccount(UUID uuid, String email, String username, String password, String role, String status,
                          String domainName, String resourcePolicy) {

    public boolean isActive() {
        return "active".equals(status);
    }
}
