package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about the files inside a session's /home/work. */
@Glossary(value = "Files in a session", order = 130)
public class SessionFileSteps {
    private final Cast cast;
    private final SessionScene scene;
    private final LastOutcome outcome;

    public SessionFileSteps(Cast cast, SessionScene scene, LastOutcome outcome) {
        this.cast = cast;
        this.scene = scene;
        this.outcome = outcome;
    }

    private SessionsApi sessionsOf(String owner) {
        return cast.actor(owner).client().sessions();
    }

    @Glossary(value = "someone uploads a small text file into her latest session's /home/work (a path may name"
            + " sub-folders: `out/data.csv`)", reads = "her/his session")
    @When("{actor} {attempt}upload(s) the file {string} containing {string} to her/his/their session")
    public void uploads(String actor, Attempt attempt, String file, String content) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        outcome.make(attempt, () -> sessionsOf(session.owner()).upload(session.id(),
                Map.of(file, content.getBytes(StandardCharsets.UTF_8))));
    }

    @Glossary(value = "the file is listed in its folder of the session's /home/work and downloads with this content"
            + " (surrounding blank space ignored)", reads = "her/his session")
    @Then("{actor}'s session has the file {string} containing {string}")
    public void sessionHasFile(String actor, String file, String content) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        SessionsApi sessions = sessionsOf(session.owner());
        Path path = Path.of(file);
        String folder = path.getParent() == null ? "." : path.getParent().toString();
        assertThat(sessions.files(session.id(), folder)).as("files in %s", folder)
                .contains(path.getFileName().toString());
        assertThat(new String(sessions.download(session.id(), file), StandardCharsets.UTF_8).strip())
                .isEqualTo(content);
    }
}
