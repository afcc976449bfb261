package bai.scenarios.steps;

import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.Cast;
import io.cucumber.java.en.Given;

/**
 * Steps about the limits of a user's own resource policy (as opposed to her keypair's): how many
 * virtual folders she may own and how many times she may be signed in at once.
 */
@Glossary(value = "Quotas: a user's own limits", order = 57)
public class UserLimitSteps {
    private final Cast cast;
    private final AdminFixtures admin;

    public UserLimitSteps(Cast cast, AdminFixtures admin) {
        this.cast = cast;
        this.admin = admin;
    }

    @Glossary(value = "someone moves to a new user resource policy allowing this many virtual folders of her own;"
            + " one more is refused `as over the policy limit`", reads = "the person")
    @Given("{actor}'s user resource policy allows {int} virtual folder(s)")
    public void allowsFolders(String actor, int folders) {
        admin.moveUserPolicy(email(actor), admin.limitPolicy("user", folders).name());
    }

    @Glossary(value = "someone moves to a new user resource policy allowing this many sign-ins (login sessions) at"
            + " a time (`max_concurrent_logins`, set through the v2 resource policy API); one more is refused"
            + " `as over the policy limit` unless she asks to end her oldest", reads = "the person")
    @Given("{actor}'s user resource policy allows {int} sign-in(s) at a time")
    public void allowsSignIns(String actor, int signIns) {
        // max_vfolder_count 0: no folder limit.
        String policy = admin.limitPolicy("user", 0).name();
        cast.me().client().resourcePolicies().limitLogins(policy, signIns);
        admin.moveUserPolicy(email(actor), policy);
    }

    private String email(String actor) {
        return cast.actor(actor).requireAccount().email();
    }
}
