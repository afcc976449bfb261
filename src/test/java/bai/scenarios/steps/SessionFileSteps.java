package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi;
import bai.scenarios.world.Cast;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about the files inside a session's /home/work. */
public class SessionFileSteps {
    private final Cast cast;
    private final SessionScene scene;

    public SessionFileSteps(Cast cast, SessionScene scene) {
        this.cast = cast;
        this.scene = scene;
    }

    private SessionsApi sessionsOf(String owner) {
        return cast.actor(owner).client().sessions();
    }

    @When("{actor} uploads the file {string} containing {string} to her/his/their session")
    public void uploads(String actor, String file, String content) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        sessionsOf(session.owner()).upload(session.id(), Map.of(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Then("{actor}'s session has the file {string} containing {string}")
    public void sessionHasFile(String actor, String file, String content) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        SessionsApi sessions = sessionsOf(session.owner());
        assertThat(sessions.files(session.id(), ".")).contains(file);
        assertThat(new String(sessions.download(session.id(), file), java.nio.charset.StandardCharsets.UTF_8).strip())
                .isEqualTo(content);
    }
}
