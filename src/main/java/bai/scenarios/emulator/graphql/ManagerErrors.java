package bai.scenarios.emulator.graphql;

/** The manager's error classes that admin mutations raise, as GraphQL errors ("<title> (<msg>)"). */
final class ManagerErrors {
    private ManagerErrors() {
    }

    static GqlError domainNotFound(String name) {
        return new GqlError("No such domain.", "Domain not found: " + name, "domain_read_not-found");
    }

    static GqlError domainHasUsers(String name) {
        return new GqlError("Domain has associated users.", "There are users bound to the domain. Remove users first.",
                "domain_purge_conflict");
    }

    static GqlError domainHasGroups(String name) {
        return new GqlError("Domain has associated groups.", "There are groups bound to the domain. Remove groups first.",
                "domain_purge_conflict");
    }

    static GqlError groupNotFound(Object id) {
        return new GqlError("No such project.", "Group not found: " + id, "group_read_not-found");
    }

    static GqlError userNotFound(String email) {
        return new GqlError("The user does not exist.", "User not found: " + email, "user_read_not-found");
    }

    static GqlError userConflict(String detail) {
        return new GqlError("The user already exists.", detail, "user_create_conflict");
    }

    static GqlError userCreationBadRequest(String detail) {
        return new GqlError("Failed to create user due to bad request.", detail, "user_create_bad-request");
    }

    /**
     * The manager's generic lookup failure ({@code EntityNotFoundError}): resolving a name that
     * names no row, e.g. a resource policy's, in modify/delete mutations and named reads.
     */
    static GqlError entityNotFound(String rowClass, String name) {
        return new GqlError("Entity not found.", "No " + rowClass + " matches the given key", "database_access_not-found");
    }
}
