package bai.scenarios.emulator.sessions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The manager's scheduling-time {@code ResourcePolicyValidator}: a session whose start would take
 * its user (default-keypair {@code total_resource_slots}, {@code max_concurrent_sessions}), project
 * or domain over its limit stays PENDING with the validator's words. Called under the state lock.
 */
final class SchedulingRules {
    private SchedulingRules() {
    }

    /** Why the session cannot start now, in the manager's words; null: it may. */
    static String refusal(ComputeSession session, Limits limits, Collection<ComputeSession> all) {
        Map<String, BigDecimal> request = slotsOf(session);
        List<String[]> errors = new ArrayList<>();
        List<ComputeSession> ofUser = occupying(all, s -> s.userId.equals(session.userId));
        String user = excesses(ofUser, request, limits.userSlots());
        if (user != null) {
            errors.add(new String[] {"UserResourceQuotaExceeded",
                    "Your default-keypair resource quota is exceeded.\n" + user});
        }
        if (limits.maxConcurrentSessions() > 0 && ofUser.size() + 1 > limits.maxConcurrentSessions()) {
            errors.add(new String[] {"ConcurrencyLimitExceeded",
                    "You cannot run more than " + limits.maxConcurrentSessions() + " concurrent sessions"});
        }
        String project = excesses(occupying(all, s -> s.groupId.equals(session.groupId)), request,
                limits.projectSlots());
        if (project != null) {
            errors.add(new String[] {"ProjectResourceQuotaExceeded", "Your project resource quota is exceeded.\n" + project});
        }
        String domain = excesses(occupying(all, s -> s.domainName.equals(session.domainName)), request,
                limits.domainSlots());
        if (domain != null) {
            errors.add(new String[] {"DomainResourceQuotaExceeded", "Your domain resource quota is exceeded.\n" + domain});
        }
        if (errors.isEmpty()) {
            return null;
        }
        if (errors.size() == 1) {
            return errors.get(0)[1];
        }
        StringBuilder text = new StringBuilder("Multiple validation errors occurred:");
        for (String[] error : errors) {
            text.append("\n- ").append(error[0]).append(": ").append(error[1]);
        }
        return text.toString();
    }

    /** The slots a session occupies (all its kernels). */
    static Map<String, BigDecimal> slotsOf(ComputeSession session) {
        Map<String, BigDecimal> slots = new LinkedHashMap<>();
        slots.put("cpu", session.totalCpu());
        slots.put("mem", new BigDecimal(session.totalMem()));
        return slots;
    }

    /** Sessions whose kernels hold agent resources (scheduled, not ended). */
    private static List<ComputeSession> occupying(Collection<ComputeSession> all, Predicate<ComputeSession> scope) {
        return all.stream().filter(s -> s.agent != null && !s.isTerminal()).filter(scope).toList();
    }

    /** One line per capped slot the request would overrun, as the manager prints them; null: none. */
    private static String excesses(List<ComputeSession> occupying, Map<String, BigDecimal> request,
                                   Map<String, BigDecimal> limit) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> capped : limit.entrySet()) {
            BigDecimal used = occupying.stream().map(s -> slotsOf(s).getOrDefault(capped.getKey(), BigDecimal.ZERO))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal requested = request.getOrDefault(capped.getKey(), BigDecimal.ZERO);
            BigDecimal excess = used.add(requested).subtract(capped.getValue());
            if (excess.signum() > 0) {
                lines.add("  - " + capped.getKey() + ": used " + plain(used) + " + requested " + plain(requested)
                        + " > limit " + plain(capped.getValue()) + " (over by " + plain(excess) + ")");
            }
        }
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    /** Python's {@code f"{amount.normalize():f}"}: no trailing zeros, never scientific. */
    static String plain(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }
}
