package bai.scenarios.steps;

import bai.scenarios.client.ExecuteStream;
import bai.scenarios.client.SessionsApi;
import bai.scenarios.client.SessionsApi.Run;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about running code inside compute sessions. */
@Glossary(value = "Running code", order = 115)
public class CodeExecutionSteps {
    private static final Duration RUN_WAIT = Duration.ofSeconds(60);
    private final Cast cast;
    private final SessionScene scene;
    private final LastOutcome outcome;

    public CodeExecutionSteps(Cast cast, SessionScene scene, LastOutcome outcome) {
        this.cast = cast;
        this.scene = scene;
        this.outcome = outcome;
    }

    @Glossary(value = "someone runs Python code in her latest session and follows it to its end (all of its output"
            + " is kept)", reads = "her/his session", sets = "the run")
    @When("{actor} {attempt}run(s) the snippet {string}")
    public void runsSnippet(String actor, Attempt attempt, String code) {
        run(actor, attempt, code, List.of());
    }

    @Glossary(value = "the same, with the code in a doc string below the step", reads = "her/his session",
            sets = "the run")
    @When("{actor} {attempt}run(s) the snippet:")
    public void runsSnippetBlock(String actor, Attempt attempt, String code) {
        run(actor, attempt, code, List.of());
    }

    @Glossary(value = "runs code that asks for input (`input()`) and answers it with this text",
            reads = "her/his session", sets = "the run")
    @When("{actor} {attempt}run(s) the snippet {string} answering {string}")
    public void runsWithInput(String actor, Attempt attempt, String code, String answer) {
        run(actor, attempt, code, List.of(answer));
    }

    @Glossary(value = "someone runs Python code in her latest session over the live stream (the WebSocket"
            + " `backend.ai run` uses) and reads it to its end", reads = "her/his session", sets = "the run")
    @When("{actor} {attempt}run(s) the snippet {string} through the live stream")
    public void streamsSnippet(String actor, Attempt attempt, String code) {
        stream(actor, attempt, code, List.of());
    }

    @Glossary(value = "the same, answering the code's `input()` with this text", reads = "her/his session",
            sets = "the run")
    @When("{actor} {attempt}run(s) the snippet {string} through the live stream answering {string}")
    public void streamsWithInput(String actor, Attempt attempt, String code, String answer) {
        stream(actor, attempt, code, List.of(answer));
    }

    private void stream(String actor, Attempt attempt, String code, List<String> answers) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        SessionsApi sessions = cast.actor(session.owner()).client().sessions();
        Run run = outcome.make(attempt, () -> {
            ExecuteStream.Outcome streamed = sessions.streamRun(session.id().toString(), code, answers, RUN_WAIT);
            if (streamed.errorMsg() != null) {
                throw new AssertionError("the live stream ended with an error: " + streamed.describe());
            }
            return new Run(streamed.status(), streamed.exitCode(), streamed.stdout(), streamed.stderr());
        });
        if (run != null) {
            scene.lastRun(run);
        }
    }

    private void run(String actor, Attempt attempt, String code, List<String> answers) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        SessionsApi sessions = cast.actor(session.owner()).client().sessions();
        Run run = outcome.make(attempt, () -> sessions.run(session.id(), code, answers, RUN_WAIT));
        if (run != null) {
            scene.lastRun(run);
        }
    }

    @Glossary(value = "starts code in her latest session and goes on without waiting for it",
            reads = "her/his session", sets = "the code started in the background")
    @When("{actor} {attempt}start(s) the snippet {string} without waiting for it")
    public void startsSnippet(String actor, Attempt attempt, String code) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        SessionsApi sessions = cast.actor(session.owner()).client().sessions();
        String runId = outcome.make(attempt, () -> sessions.start(session.id(), code));
        if (runId != null) {
            scene.pendingRun(runId);
        }
    }

    @Glossary(value = "interrupts the code started in the background (like Ctrl+C) and follows it to its end",
            reads = "her/his session, the code started in the background", sets = "the run")
    @When("{actor} {attempt}interrupt(s) her/his/their session")
    public void interrupts(String actor, Attempt attempt) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        SessionsApi sessions = cast.actor(session.owner()).client().sessions();
        Run run = outcome.make(attempt, () -> {
            sessions.interrupt(session.id());
            return sessions.follow(session.id(), scene.pendingRun(), RUN_WAIT);
        });
        if (run != null) {
            scene.lastRun(run);
        }
    }

    @Glossary(value = "the last run ended with exit code 0", reads = "the run")
    @Then("the run succeeds")
    public void runSucceeds() {
        Run run = scene.lastRun();
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(0);
    }

    @Glossary(value = "the last run ended with this exit code", reads = "the run")
    @Then("the run fails with exit code {int}")
    public void runFails(int exitCode) {
        Run run = scene.lastRun();
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(exitCode);
    }

    @Glossary(value = "the whole standard output of the last run, surrounding blank space ignored", reads = "the run")
    @Then("the output reads {string}")
    public void outputReads(String text) {
        assertThat(scene.lastRun().stdout().strip()).as(scene.lastRun().describe()).isEqualTo(text);
    }

    @Glossary(value = "the same, for several lines given in a doc string", reads = "the run")
    @Then("the output reads:")
    public void outputReadsBlock(String text) {
        outputReads(text.strip());
    }

    @Glossary(value = "the error output of the last run contains this text", reads = "the run")
    @Then("the error output mentions {string}")
    public void errorMentions(String text) {
        assertThat(scene.lastRun().stderr()).as(scene.lastRun().describe()).contains(text);
    }
}
