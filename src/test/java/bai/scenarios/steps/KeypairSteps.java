package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Keypair;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about keypairs beyond a user's default one. */
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

    @When("I issue {actor} a keypair with a rate limit of {int} and the admin flag")
    public void issueKeypair(String actor, int rateLimit) {
        scene.newKeypair(fixtures.keypair(email(actor), Map.of("resource_policy", "default", "rate_limit", rateLimit,
                "is_active", true, "is_admin", true)));
    }

    @Given("{actor} has a second keypair")
    public void secondKeypair(String actor) {
        scene.secondKeypairOf(cast.actor(actor).name(), fixtures.keypair(email(actor),
                Map.of("resource_policy", "default", "rate_limit", 1000)));
    }

    @Given("I deactivate {actor}'s second keypair")
    public void deactivate(String actor) {
        admin().modifyKeypair(scene.secondKeypairOf(cast.actor(actor).name()).accessKey(), Map.of("is_active", false));
    }

    @When("I reactivate {actor}'s second keypair")
    public void reactivate(String actor) {
        admin().modifyKeypair(scene.secondKeypairOf(cast.actor(actor).name()).accessKey(), Map.of("is_active", true));
    }

    @When("I set the rate limit of {actor}'s second keypair to {int}")
    public void setRateLimit(String actor, int rateLimit) {
        admin().modifyKeypair(scene.secondKeypairOf(cast.actor(actor).name()).accessKey(), Map.of("rate_limit", rateLimit));
    }

    @When("I move {actor}'s second keypair to that policy")
    public void movePolicy(String actor) {
        fixtures.movePolicy(scene.secondKeypairOf(cast.actor(actor).name()).accessKey(), scene.policy().name());
    }

    @When("I delete {actor}'s second keypair")
    public void deleteSecond(String actor) {
        admin().deleteKeypair(scene.secondKeypairOf(cast.actor(actor).name()).accessKey());
    }

    @When("I delete {actor}'s default keypair")
    public void deleteDefault(String actor) {
        String accessKey = cast.actor(actor).requireAccount().created().keypair().accessKey();
        outcome.record(() -> admin().deleteKeypair(accessKey));
    }

    @Then("{actor} has {int} keypair(s)")
    public void keypairCount(String actor, int count) {
        assertThat(admin().keypairsOf(email(actor))).hasSize(count);
    }

    @Then("the new keypair is active, with a rate limit of {int} and the admin flag")
    public void newKeypairIs(int rateLimit) {
        Keypair keypair = reload(scene.newKeypair());
        assertThat(keypair.isActive()).as("active").isTrue();
        assertThat(keypair.rateLimit()).as("rate limit").isEqualTo(rateLimit);
        assertThat(keypair.isAdmin()).as("admin flag").isTrue();
        assertThat(keypair.isDefault()).as("default").isFalse();
    }

    @Then("calls signed with that keypair are refused as unauthenticated")
    public void callsRefused() {
        Keypair keypair = lastSecondKeypair();
        outcome.record(() -> cast.client(new Credentials(keypair.accessKey(), keypair.secretKey())).auth().verify());
        assertThat(Refusal.UNAUTHENTICATED.matches(outcome.rejection())).as(outcome.rejection().getMessage()).isTrue();
    }

    @Then("calls signed with that keypair are recognised")
    public void callsRecognised() {
        Keypair keypair = lastSecondKeypair();
        assertThat(cast.client(new Credentials(keypair.accessKey(), keypair.secretKey())).auth().verify().authorized())
                .isTrue();
    }

    @Then("{actor}'s second keypair has a rate limit of {int}")
    public void rateLimitIs(String actor, int rateLimit) {
        assertThat(reload(scene.secondKeypairOf(cast.actor(actor).name())).rateLimit()).isEqualTo(rateLimit);
    }

    @Then("{actor}'s second keypair follows that policy")
    public void followsPolicy(String actor) {
        assertThat(reload(scene.secondKeypairOf(cast.actor(actor).name())).resourcePolicy())
                .isEqualTo(scene.policy().name());
    }

    private Keypair lastSecondKeypair() {
        return scene.secondKeypairOf(cast.actor("she").name());
    }
}
