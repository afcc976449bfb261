package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi.ListedSession;
import bai.scenarios.world.Actor;
import bai.scenarios.world.Cast;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about the session list someone sees, filtered by status. */
@Glossary(value = "The session list", order = 111)
public class SessionListSteps {
    private final Cast cast;
    private final SessionScene scene;
    private Actor lister;
    private List<ListedSession> listed;

    public SessionListSteps(Cast cast, SessionScene scene) {
        this.cast = cast;
        this.scene = scene;
    }

    @Glossary(value = "someone lists the sessions she sees in this status: `running`, `terminated`, `pending`, …",
            reads = "the person", sets = "the session list")
    @When("{actor} lists her/his/their {word} sessions")
    public void lists(String actor, String status) {
        lister = cast.actor(actor);
        listed = lister.client().sessions().list(status.toUpperCase(Locale.ROOT));
    }

    @Glossary(value = "the session list holds this one of the lister's sessions and no other session",
            reads = "the session list, her/his sessions")
    @Then("the session list holds only her/his/their {ordinal} session")
    public void holdsOnly(String ordinal) {
        OwnedSession expected = scene.of(requireListed().name(), ordinal);
        assertThat(listed).as("the sessions %s listed", lister.name()).extracting(ListedSession::id)
                .containsExactly(expected.id());
    }

    @Glossary(value = "the session list does not hold someone's latest session", reads = "the session list")
    @Then("the session list does not hold {actor}'s session")
    public void doesNotHold(String actor) {
        requireListed();
        OwnedSession other = scene.of(cast.actor(actor).name());
        assertThat(listed).as("the sessions %s listed", lister.name()).extracting(ListedSession::id)
                .doesNotContain(other.id());
    }

    private Actor requireListed() {
        if (listed == null) {
            throw new IllegalStateException("no session list was read in this scenario yet");
        }
        return lister;
    }
}
