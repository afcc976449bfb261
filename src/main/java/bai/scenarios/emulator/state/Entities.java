package bai.scenarios.emulator.state;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

/** The manager's administrative objects, one record each, named and shaped as its tables are. */
public final class Entities {
    private Entities() {
    }

    public record Domain(String name, String description, boolean isActive, String createdAt, String modifiedAt,
                         JsonNode totalResourceSlots, JsonNode allowedVfolderHosts, List<String> allowedDockerRegistries,
                         String integrationId) {
    }

    /**
     * A project. The manager stores {@code type} lower-case ({@code general}, {@code model-store});
     * {@code containerRegistry} is the project's registry setting, a JSON object or null.
     */
    public record Group(UUID id, String name, String description, boolean isActive, String createdAt,
                        String modifiedAt, String domainName, JsonNode totalResourceSlots, JsonNode allowedVfolderHosts,
                        String integrationId, String resourcePolicy, String type, JsonNode containerRegistry) {
    }

    /**
     * A user row. The password is kept only to answer logins and never printed. The container
     * ids are the uid/gids the user's kernels would run as (null: the agent's default).
     */
    public record UserAccount(UUID uuid, String email, String username, String password, boolean needPasswordChange,
                              String fullName, String description, String status, String statusInfo,
                              String domainName, String role, String resourcePolicy, List<String> allowedClientIp,
                              boolean sudoSessionEnabled, String createdAt, String modifiedAt, boolean totpActivated,
                              String totpActivatedAt, Integer containerUid, Integer containerMainGid,
                              List<Integer> containerGids) {
        public boolean isActive() {
            return "active".equals(status);
        }

        @Override
        public String toString() {
            return "UserAccount[" + email + ", " + role + ", " + status + "]";
        }
    }

    /** An API keypair. {@code isAdmin} is the flag the manager's admin routes check (not the role). */
    public record Keypair(String accessKey, String secretKey, @JsonAlias("user") UUID userId, boolean isActive,
                          boolean isAdmin, boolean isDefault, String resourcePolicy, int rateLimit, int numQueries,
                          String createdAt, String lastUsed) {
        @Override
        public String toString() {
            return "Keypair[" + accessKey + ", active=" + isActive + ", admin=" + isAdmin + ", user=" + userId + "]";
        }
    }

    public record KeypairResourcePolicy(String name, String createdAt, String defaultForUnspecified,
                                        JsonNode totalResourceSlots, int maxSessionLifetime, int maxConcurrentSessions,
                                        int maxContainersPerSession, long idleTimeout, JsonNode allowedVfolderHosts,
                                        int maxConcurrentSftpSessions, Integer maxPendingSessionCount,
                                        JsonNode maxPendingSessionResourceSlots) {
    }

    /** Per-user limits (vfolders, quota scope size, model sessions, customised images). */
    public record UserResourcePolicy(UUID id, String name, String createdAt, Integer maxVfolderCount,
                                     Long maxQuotaScopeSize, Integer maxSessionCountPerModelSession,
                                     Integer maxCustomizedImageCount, Integer maxConcurrentLogins) {
    }

    /** Per-project limits (vfolders, quota scope size, networks). */
    public record ProjectResourcePolicy(UUID id, String name, String createdAt, Integer maxVfolderCount,
                                        Long maxQuotaScopeSize, Integer maxNetworkCount) {
    }

    public record ScalingGroup(String name, String description, boolean isActive, boolean isPublic, String createdAt,
                               String wsproxyAddr, String driver, JsonNode driverOpts, String scheduler,
                               JsonNode schedulerOpts, String wsproxyApiToken, boolean useHostNetwork) {
    }
}
