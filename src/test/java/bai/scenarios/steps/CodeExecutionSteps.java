package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi.Run;
import bai.scenarios.world.Cast;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about running code inside compute sessions. */
public class CodeExecutionSteps {
    private static final Duration RUN_WAIT = Duration.ofSeconds(60);
    private final Cast cast;
    private final SessionScene scene;

    public CodeExecutionSteps(Cast cast, SessionScene scene) {
        this.cast = cast;
        this.scene = scene;
    }

    @When("{actor} runs the snippet {string}")
    public void runsSnippet(String actor, String code) {
        run(actor, code);
    }

    @When("{actor} runs the snippet:")
    public void runsSnippetBlock(String actor, String code) {
        run(actor, code);
    }

    private void run(String actor, String code) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        scene.lastRun(cast.actor(session.owner()).client().sessions().run(session.id(), code, RUN_WAIT));
    }

    @When("{actor} runs the snippet {string} answering {string}")
    public void runsWithInput(String actor, String code, String answer) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        scene.lastRun(cast.actor(session.owner()).client().sessions().run(session.id(), code, java.util.List.of(answer),
                RUN_WAIT));
    }

    @When("{actor} starts the snippet {string} without waiting for it")
    public void startsSnippet(String actor, String code) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        scene.pendingRun(cast.actor(session.owner()).client().sessions().start(session.id(), code));
    }

    @When("{actor} interrupts her/his/their session")
    public void interrupts(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        var sessions = cast.actor(session.owner()).client().sessions();
        sessions.interrupt(session.id());
        scene.lastRun(sessions.follow(session.id(), scene.pendingRun(), RUN_WAIT));
    }

    @Then("the run succeeds")
    public void runSucceeds() {
        Run run = scene.lastRun();
        assertThat(run.exitCode()).as("exit code of %s", run).isEqualTo(0);
    }

    @Then("the run fails with exit code {int}")
    public void runFails(int exitCode) {
        Run run = scene.lastRun();
        assertThat(run.exitCode()).as("exit code of %s", run).isEqualTo(exitCode);
    }

    @Then("the output reads {string}")
    public void outputReads(String text) {
        assertThat(scene.lastRun().stdout().strip()).as(scene.lastRun().describe()).isEqualTo(text);
    }

    @Then("the output reads:")
    public void outputReadsBlock(String text) {
        outputReads(text.strip());
    }

    @Then("the error output mentions {string}")
    public void errorMentions(String text) {
        assertThat(scene.lastRun().stderr()).as(scene.lastRun().describe()).contains(text);
    }
}
