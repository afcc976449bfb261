package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.http.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manager's role gates for the legacy queries: {@code privileged_query} (superadmin only),
 * {@code scoped_query} (non-superadmins pinned to their domain, users to themselves) and the
 * users/groups resolvers' own variant. Roles are the <em>user</em> role; a role the legacy
 * resolvers do not know (monitor) is "Unknown client role".
 */
final class Scopes {
    private Scopes() {
    }

    /** What {@code scoped_query} leaves a resolver: the domain it may see and the user key it answers for. */
    record Scope(String domainName, String user) {
    }

    /**
     * The manager's {@code scoped_query}: admins and users are pinned to their domain (another is
     * GenericForbidden); users to {@code self} (another is GenericForbidden); with {@code autofill}
     * everyone who names nobody gets {@code self}.
     */
    static Scope scoped(Caller caller, String domainName, String user, String self, boolean autofill) {
        switch (caller.role()) {
            case "superadmin" -> {
                return new Scope(domainName, user == null && autofill ? self : user);
            }
            case "admin" -> {
                pinDomain(caller, domainName);
                return new Scope(caller.domainName(), user == null && autofill ? self : user);
            }
            case "user" -> {
                pinDomain(caller, domainName);
                if (user != null && !user.equals(self)) {
                    throw GqlError.forbidden(null);
                }
                return new Scope(caller.domainName(), self);
            }
            default -> throw GqlError.unknownClientRole();
        }
    }

    private static void pinDomain(Caller caller, String domainName) {
        if (domainName != null && !domainName.equals(caller.domainName())) {
            throw GqlError.forbidden(null);
        }
    }

    /** The users/groups resolvers: admins (and users, where allowed) are pinned to their domain; another is InsufficientPrivilege. */
    static String confinedDomain(Caller caller, String requested, boolean usersAllowed) {
        String role = caller.role();
        if (role.equals("superadmin")) {
            return requested;
        }
        if (role.equals("admin") || (usersAllowed && role.equals("user"))) {
            if (requested != null && !requested.equals(caller.domainName())) {
                throw GqlError.insufficientPrivilege();
            }
            return caller.domainName();
        }
        throw GqlError.unknownClientRole();
    }

    /** The manager's {@code privileged_query(SUPERADMIN)}. */
    static void requireSuperadmin(Caller caller) {
        if (!caller.isSuperadmin()) {
            throw GqlError.forbidden("superadmin privilege required");
        }
    }

    /**
     * A comma-separated status argument read as the manager reads it, by enum member name
     * ({@code SessionStatus[s]}, case-sensitive): an unknown name is its KeyError, which the
     * manager reports as an internal error reading {@code 'NAME'}.
     */
    static Set<String> statusNames(String raw, List<String> names, boolean commaSeparated) {
        if (raw == null) {
            return null;
        }
        List<String> wanted = new ArrayList<>();
        for (String name : commaSeparated ? raw.split(",", -1) : new String[] {raw}) {
            if (!names.contains(name)) {
                throw new GqlError("'" + name + "'", null, "backendai_generic_internal-error");
            }
            wanted.add(name);
        }
        return Set.copyOf(wanted);
    }

    /** A Python TypeError from calling a resolver with arguments it does not take (the manager's own bug). */
    static GqlError typeError(String message) {
        return new GqlError(message, null, "backendai_generic_internal-error");
    }

    /** The slice {@code [offset, offset + limit)} of {@code items}, as SQL's LIMIT/OFFSET takes it. */
    static <T> List<T> page(List<T> items, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            // PostgreSQL refuses a negative LIMIT or OFFSET; the manager reports the database error.
            throw new GqlError(limit < 0 ? "LIMIT must not be negative" : "OFFSET must not be negative", null,
                    "backendai_generic_internal-error");
        }
        int from = Math.min(offset, items.size());
        int to = (int) Math.min((long) from + limit, items.size());
        return items.subList(from, to);
    }

    /** A paginated list's answer. */
    static Map<String, Object> paginated(List<?> items, int totalCount) {
        return Map.of("items", items, "total_count", totalCount);
    }
}
