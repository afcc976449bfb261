package bai.scenarios.emulator.http;

import java.util.UUID;

/**
 * The authenticated identity of a request: the keypair that signed it and the user it belongs
 * to, plus the effective user when a superadmin acts as someone else ({@code X-BackendAI-Act-As}).
 */
public record Caller(String accessKey, boolean keypairIsAdmin, int rateLimit, UUID userId, String email,
                     String role, String domainName, UUID effectiveUserId) {

    public boolean isSuperadmin() {
        return "superadmin".equals(role);
    }
}
