package bai.scenarios.steps;

import bai.scenarios.client.CallRefused;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Keypair;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about keypairs beyond a user's default one. */
@Glossary(value = "Keypairs", order = 50)
public class KeypairSteps {
    private final AdminFixtures fixtures;
    private final AdminScene scene;
    private final LastOutcome outcome;
    private final Cast cast;

    public KeypairSteps(AdminFixtures fixtures, AdminScene scene, LastOutcome outcome, Cast cast) {
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
        this.cast = cast;
    }

    private AdminApi admin() {
        return fixtures.admin();
    }

    private String email(String actor) {
        return cast.actor(actor).requireAccount().email();
    }

    private Keypair reload(Keypair keypair) {
        return admin().keypair(keypair.accessKey())
                .orElseThrow(() -> new AssertionError("keypair " + keypair.accessKey() + " does not exist"));
    }

    @Glossary(value = "issues someone an extra keypair with this rate limit and the admin flag",
            reads = "the person", sets = "the new keypair")
    @When("I {attempt}issue {actor} a keypair with a rate limit of {int} and the admin flag")
    public void issueKeypair(Attempt attempt, String actor, int rateLimit) {
        String email = email(actor);
        Keypair issued = outcome.make(attempt, () -> fixtures.keypair(email, Map.of("resource_policy", "default",
                "rate_limit", rateLimit, "is_active", true, "is_admin", true)));
        if (issued != null) {
            scene.newKeypair(issued);
        }
    }

    @Glossary(value = "issues someone a second keypair (default policy, rate limit 1000)", reads = "the person",
            sets = "her/his second keypair")
    @Given("{actor} has a second keypair")
    public void secondKeypair(String actor) {
        scene.secondKeypairOf(cast.actor(actor).name(), fixtures.keypair(email(actor),
                Map.of("resource_policy", "default", "rate_limit", 1000)));
    }

    @Glossary(value = "turns someone's own (default) keypair off; she goes on signing with it", reads = "the person")
    @When("I {attempt}deactivate {actor}'s keypair")
    public void deactivateDefault(Attempt attempt, String actor) {
        String accessKey = cast.actor(actor).requireAccount().created().keypair().accessKey();
        outcome.make(attempt, () -> admin().modifyKeypair(accessKey, Map.of("is_active", false)));
    }

    @Glossary(value = "turns someone's second keypair off", reads = "her/his second keypair")
    @When("I {attempt}deactivate {actor}'s second keypair")
    public void deactivate(Attempt attempt, String actor) {
        String accessKey = second(actor).accessKey();
        outcome.make(attempt, () -> admin().modifyKeypair(accessKey, Map.of("is_active", false)));
    }

    @Glossary(value = "turns someone's second keypair back on", reads = "her/his second keypair")
    @When("I {attempt}reactivate {actor}'s second keypair")
    public void reactivate(Attempt attempt, String actor) {
        String accessKey = second(actor).accessKey();
        outcome.make(attempt, () -> admin().modifyKeypair(accessKey, Map.of("is_active", true)));
    }

    @Glossary(value = "sets how many calls someone's second keypair may make in the manager's 15-minute window",
            reads = "her/his second keypair")
    @When("I {attempt}set the rate limit of {actor}'s second keypair to {int}")
    public void setRateLimit(Attempt attempt, String actor, int rateLimit) {
        String accessKey = second(actor).accessKey();
        outcome.make(attempt, () -> admin().modifyKeypair(accessKey, Map.of("rate_limit", rateLimit)));
    }

    @Glossary(value = "moves someone's second keypair to the scenario's keypair resource policy",
            reads = "her/his second keypair, the policy")
    @When("I {attempt}move {actor}'s second keypair to that policy")
    public void movePolicy(Attempt attempt, String actor) {
        String accessKey = second(actor).accessKey();
        outcome.make(attempt, () -> fixtures.movePolicy(accessKey, scene.policy().name()));
    }

    @Glossary(value = "deletes someone's second keypair", reads = "her/his second keypair")
    @When("I {attempt}delete {actor}'s second keypair")
    public void deleteSecond(Attempt attempt, String actor) {
        String accessKey = second(actor).accessKey();
        outcome.make(attempt, () -> admin().deleteKeypair(accessKey));
    }

    @Glossary(value = "deletes the keypair someone got with her account (the manager keeps it)", reads = "the person")
    @When("I {attempt}delete {actor}'s default keypair")
    public void deleteDefault(Attempt attempt, String actor) {
        String accessKey = cast.actor(actor).requireAccount().created().keypair().accessKey();
        outcome.make(attempt, () -> admin().deleteKeypair(accessKey));
    }

    @Glossary(value = "someone checks her credentials with the manager, signing with her second keypair",
            reads = "her/his second keypair", sets = "the last call's outcome")
    @When("{actor} {attempt}check(s) her/his/their credentials with her/his/their second keypair")
    public void checksWithSecond(String actor, Attempt attempt) {
        ManagerClient client = secondClient(actor);
        outcome.make(attempt, () -> client.auth().verify());
    }

    @Glossary(value = "someone makes this many calls in a row signed with her second keypair; the outcome is the"
            + " last call's (a plain form fails at the first refusal)", reads = "her/his second keypair",
            sets = "the last call's outcome")
    @When("{actor} {attempt}make(s) {int} calls with her/his/their second keypair")
    public void makesCalls(String actor, Attempt attempt, int calls) {
        ManagerClient client = secondClient(actor);
        for (int i = 0; i < calls; i++) {
            outcome.make(attempt, () -> client.auth().verify());
        }
    }

    @Glossary(value = "someone has exactly this many keypairs", reads = "the person")
    @Then("{actor} has {int} keypair(s)")
    public void keypairCount(String actor, int count) {
        assertThat(admin().keypairsOf(email(actor))).hasSize(count);
    }

    @Glossary(value = "the keypair just issued is active, not default, with this rate limit and the admin flag",
            reads = "the new keypair")
    @Then("the new keypair is active, with a rate limit of {int} and the admin flag")
    public void newKeypairIs(int rateLimit) {
        Keypair keypair = reload(scene.newKeypair());
        assertThat(keypair.isActive()).as("active").isTrue();
        assertThat(keypair.rateLimit()).as("rate limit").isEqualTo(rateLimit);
        assertThat(keypair.isAdmin()).as("admin flag").isTrue();
        assertThat(keypair.isDefault()).as("default").isFalse();
    }

    @Glossary(value = "a call signed with the last person's second keypair is refused, for the given reason",
            reads = "her/his second keypair")
    @Then("calls signed with that keypair are refused {refusal}")
    public void callsRefused(Refusal refusal) {
        Keypair keypair = lastSecondKeypair();
        outcome.make(Attempt.MAY_BE_REFUSED, () -> cast.client(new Credentials(keypair.accessKey(), keypair.secretKey()))
                .auth().verify());
        CallRefused rejection = outcome.rejection();
        assertThat(refusal.matches(rejection)).as("%s is a refusal %s", rejection.getMessage(), refusal.phrase())
                .isTrue();
    }

    @Glossary(value = "a call signed with the last person's second keypair is accepted", reads = "her/his second keypair")
    @Then("calls signed with that keypair are recognised")
    public void callsRecognised() {
        Keypair keypair = lastSecondKeypair();
        assertThat(cast.client(new Credentials(keypair.accessKey(), keypair.secretKey())).auth().verify().authorized())
                .isTrue();
    }

    @Glossary(value = "someone's second keypair has this rate limit", reads = "her/his second keypair")
    @Then("{actor}'s second keypair has a rate limit of {int}")
    public void rateLimitIs(String actor, int rateLimit) {
        assertThat(reload(second(actor)).rateLimit()).isEqualTo(rateLimit);
    }

    @Glossary(value = "someone's second keypair follows the scenario's keypair resource policy",
            reads = "her/his second keypair, the policy")
    @Then("{actor}'s second keypair follows that policy")
    public void followsPolicy(String actor) {
        assertThat(reload(second(actor)).resourcePolicy()).isEqualTo(scene.policy().name());
    }

    private Keypair second(String actor) {
        return scene.secondKeypairOf(cast.actor(actor).name());
    }

    private ManagerClient secondClient(String actor) {
        Keypair keypair = second(actor);
        return cast.client(new Credentials(keypair.accessKey(), keypair.secretKey()));
    }

    private Keypair lastSecondKeypair() {
        return scene.secondKeypairOf(cast.actor("she").name());
    }
}
