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

    @Glossary(value = "someone, as herself (no owner_access_key), reads the log of another person's session",
            reads = "that person's session", sets = "the last call's outcome")
    @When("{actor} {attempt}read(s) the logs of {actor}'s session")
    public void readsLogs(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().logs(session.id()));
    }

    @Glossary(value = "someone, as herself (no owner_access_key), lists /home/work in another person's session",
            reads = "that person's session", sets = "the last call's outcome")
    @When("{actor} {attempt}list(s) the files of {actor}'s session")
    public void listsFiles(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().files(session.id(), "."));
    }

    @Glossary(value = "someone reads the log of another person's session on that person's behalf (owner_access_key:"
            + " superadmins may for anyone, domain admins for the non-superadmins of their own domain, nobody else)",
            reads = "that person's session", sets = "the last call's outcome")
    @When("{actor} {attempt}read(s) the logs of {actor}'s session on her/his/their behalf")
    public void readsLogsOnBehalf(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        String ownerKey = cast.actor(session.owner()).client().credentials().accessKey();
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().logsOnBehalfOf(ownerKey, session.id()));
    }

    @Glossary(value = "someone force-destroys another person's session on that person's behalf (owner_access_key,"
            + " judged as for reading its logs)", reads = "that person's session", sets = "the last call's outcome")
    @When("{actor} {attempt}destroy(s) {actor}'s session on her/his/their behalf")
    public void destroysOnBehalf(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        String ownerKey = cast.actor(session.owner()).client().credentials().accessKey();
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().destroyOnBehalfOf(ownerKey, session.id()));
    }

    @Glossary(value = "someone reads the log of my (the superadmin's) latest session on my behalf",
            reads = "my session", sets = "the last call's outcome")
    @When("{actor} {attempt}read(s) the logs of my session on my behalf")
    public void readsMyLogsOnMyBehalf(String caller, Attempt attempt) {
        readsLogsOnBehalf(caller, attempt, Cast.ME);
    }

    @Glossary(value = "someone reads the log of another person's session naming, as its owner, a keypair the"
            + " manager never issued", reads = "that person's session", sets = "the last call's outcome")
    @When("{actor} {attempt}read(s) the logs of {actor}'s session on behalf of a keypair the manager never issued")
    public void readsLogsForUnknownOwner(String caller, Attempt attempt, String owner) {
        OwnedSession session = scene.of(cast.actor(owner).name());
        String unknownKey = cast.stranger().client().credentials().accessKey();
        ManagerClient client = cast.actor(caller).client();
        outcome.make(attempt, () -> client.sessions().logsOnBehalfOf(unknownKey, session.id()));
    }

    @Glossary(value = "someone's latest session is RUNNING now", reads = "her/his session")
    @Then("{actor}'s session is still running")
    public void stillRunning(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        assertThat(cast.actor(session.owner()).client().sessions().info(session.id()).status()).isEqualTo("RUNNING");
    }
}
