package bai.scenarios.emulator.sessions;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What the scheduler and the idle checkers hold a session to, read afresh on every pass (a policy
 * raised through the admin API takes effect at the next pass): the owner's default-keypair policy
 * ({@code max_concurrent_sessions}, {@code total_resource_slots}, {@code idle_timeout},
 * {@code max_session_lifetime}) and the project's and domain's {@code total_resource_slots}. Slot
 * maps hold only the slots a scope caps; an absent slot is not capped. Zero or less: unlimited.
 */
public record Limits(int maxConcurrentSessions, Map<String, BigDecimal> userSlots,
                     Map<String, BigDecimal> projectSlots, Map<String, BigDecimal> domainSlots,
                     long idleTimeoutSeconds, long maxSessionLifetimeSeconds) {
    public static final Limits NONE = concurrency(0);

    public Limits {
        userSlots = Map.copyOf(userSlots);
        projectSlots = Map.copyOf(projectSlots);
        domainSlots = Map.copyOf(domainSlots);
    }

    public static Limits concurrency(int maxConcurrentSessions) {
        return new Limits(maxConcurrentSessions, Map.of(), Map.of(), Map.of(), 0, 0);
    }
}
