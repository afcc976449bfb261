package bai.scenarios.steps;

import bai.scenarios.client.ManagerClient;
import bai.scenarios.fixtures.SessionFixtures;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about one user reaching for another user's session. */
@Glossary(value = "Other people's sessions", order = 120)
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

    @Glossary(value = "someone, signing as herself (no owner_access_key: the manager then looks among her own sessions only, so even a superadmin gets `as unknown`), asks for another person's session information", reads = "that person's session",
            sets = "the last call's outcome")
    @When("{actor} {attempt}look(s) at {actor}'s session")
    public void looks(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().info(session.id()));
    }

    @Glossary(value = "someone, as herself (no owner_access_key), renames another person's session", reads = "that person's session",
            sets = "the last call's outcome")
    @When("{actor} {attempt}rename(s) {actor}'s session")
    public void renames(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().rename(session.id(), fixtures.nextName()));
    }

    @Glossary(value = "someone, as herself (no owner_access_key), runs `print('intruder')` in another person's session", reads = "that person's session",
            sets = "the last call's outcome")
    @When("{actor} {attempt}run(s) code in {actor}'s session")
    public void runs(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().run(session.id(), "print('intruder')", Duration.ofSeconds(10)));
    }

    @Glossary(value = "someone, as herself (no owner_access_key), force-destroys another person's session", reads = "that person's session",
            sets = "the last call's outcome")
    @When("{actor} {attempt}destroy(s) {actor}'s session")
    public void destroys(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().destroy(session.id(), true));
    }

    @Glossary(value = "someone's latest session is RUNNING now", reads = "her/his session")
    @Then("{actor}'s session is still running")
    public void stillRunning(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        assertThat(cast.actor(session.owner()).client().sessions().info(session.id()).status()).isEqualTo("RUNNING");
    }
}
