package bai.scenarios.steps;

import bai.scenarios.client.ManagerClient;
import bai.scenarios.fixtures.SessionFixtures;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about one user reaching for another user's session. */
public class SessionIsolationSteps {
    private final Cast cast;
    private final SessionScene scene;
    private final LastOutcome outcome;
    private final SessionFixtures fixtures;

    public SessionIsolationSteps(Cast cast, SessionScene scene, LastOutcome outcome,
                                 SessionFixtures fixtures) {
        this.cast = cast;
        this.scene = scene;
        this.outcome = outcome;
        this.fixtures = fixtures;
    }

    @When("{actor} tries to look at {actor}'s session")
    public void triesToLook(String intruder, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(intruder).client();
        outcome.record(() -> client.sessions().info(session.id()));
    }

    @When("{actor} tries to rename {actor}'s session")
    public void triesToRename(String intruder, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(intruder).client();
        outcome.record(() -> client.sessions().rename(session.id(), fixtures.nextName()));
    }

    @When("{actor} tries to run code in {actor}'s session")
    public void triesToRun(String intruder, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(intruder).client();
        outcome.record(() -> client.sessions().run(session.id(), "print('intruder')", Duration.ofSeconds(10)));
    }

    @When("{actor} tries to destroy {actor}'s session")
    public void triesToDestroy(String intruder, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(intruder).client();
        outcome.record(() -> client.sessions().destroy(session.id(), true));
    }

    @Then("{actor}'s session is still running")
    public void stillRunning(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        assertThat(cast.actor(session.owner()).client().sessions().info(session.id()).status()).isEqualTo("RUNNING");
    }
}
