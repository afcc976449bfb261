package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi;
import bai.scenarios.client.SessionsApi.SessionInfo;
import bai.scenarios.client.SessionsApi.SessionRequest;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.fixtures.SessionFixtures;
import bai.scenarios.world.Actor;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about starting, watching, renaming and ending compute sessions. */
public class SessionSteps {
    /** How long a session may take to reach a status; generous for the realistic timing profile. */
    static final Duration SESSION_WAIT = Duration.ofSeconds(60);

    private final Cast cast;
    private final SessionFixtures fixtures;
    private final AdminFixtures admin;
    private final AdminScene adminScene;
    private final SessionScene scene;
    private final LastOutcome outcome;

    public SessionSteps(Cast cast, SessionFixtures fixtures, AdminFixtures admin, AdminScene adminScene,
                        SessionScene scene, LastOutcome outcome) {
        this.cast = cast;
        this.fixtures = fixtures;
        this.admin = admin;
        this.adminScene = adminScene;
        this.scene = scene;
        this.outcome = outcome;
    }

    private SessionRequest request(Actor actor, String image) {
        if (actor.account().isEmpty()) {
            return SessionRequest.interactive(fixtures.nextName(), image, "default", "default");
        }
        User user = actor.requireAccount().created().user();
        String project = user.projectNames().isEmpty() ? "default" : user.projectNames().get(0);
        return SessionRequest.interactive(fixtures.nextName(), image, user.domainName(), project);
    }

    private OwnedSession launch(Actor actor, SessionRequest request) {
        UUID id = fixtures.launch(actor.client(), request);
        OwnedSession session = new OwnedSession(actor.name(), id, request.name());
        scene.started(session);
        return session;
    }

    private SessionsApi sessionsOf(String owner) {
        return cast.actor(owner).client().sessions();
    }

    private SessionInfo awaitLatest(Set<String> statuses) {
        OwnedSession session = scene.latest();
        return sessionsOf(session.owner()).awaitStatus(session.id(), statuses, SESSION_WAIT);
    }

    @Given("{actor} has a running {string} session")
    public void hasRunningSession(String actor, String image) {
        Actor who = cast.actor(actor);
        OwnedSession session = launch(who, request(who, image));
        who.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @Given("{actor} has two running {string} sessions")
    public void hasTwoRunningSessions(String actor, String image) {
        hasRunningSession(actor, image);
        OwnedSession first = scene.latest();
        hasRunningSession(actor, image);
        scene.first(first);
    }

    @Given("{actor} has a running {string} session prepared by the bootstrap script {string}")
    public void hasBootstrappedSession(String actor, String image, String script) {
        Actor who = cast.actor(actor);
        OwnedSession session = launch(who, request(who, image).withBootstrapScript(script));
        who.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @Given("someone runs a {string} session in the project")
    public void someoneRunsSessionInProject(String image) {
        var account = admin.user(adminScene.domain().name(), "user", "active", List.of(adminScene.project().id()));
        Actor someone = cast.introduce("Someone", account);
        SessionRequest request = SessionRequest.interactive(fixtures.nextName(), image, adminScene.domain().name(),
                adminScene.project().name());
        OwnedSession session = launch(someone, request);
        someone.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @When("{actor} starts an interactive {string} session")
    public void startsInteractive(String actor, String image) {
        Actor who = cast.actor(actor);
        launch(who, request(who, image));
    }

    @When("{actor} starts a {string} session asking for {int} CPUs")
    public void startsBigSession(String actor, String image, int cpus) {
        Actor who = cast.actor(actor);
        launch(who, request(who, image).withResources(Map.of("cpu", cpus, "mem", "1g")));
    }

    @When("{actor} runs the batch command {string} in a {string} session")
    public void runsBatch(String actor, String command, String image) {
        Actor who = cast.actor(actor);
        launch(who, request(who, image).batch(command));
    }

    @When("{actor} runs the batch command {string} in a {string} session with a {int}-second timeout")
    public void runsBatchWithTimeout(String actor, String command, String image, int seconds) {
        Actor who = cast.actor(actor);
        launch(who, request(who, image).batch(command).withBatchTimeout(seconds));
    }

    @When("{actor} tries to start a {string} session with {int} MiB of memory")
    public void triesLowMemory(String actor, String image, int mib) {
        Actor who = cast.actor(actor);
        outcome.record(() -> launch(who, request(who, image).withResources(Map.of("cpu", 1, "mem", mib + "m"))));
    }

    @When("{actor} tries to start a {string} session with {int} containers")
    public void triesCluster(String actor, String image, int containers) {
        Actor who = cast.actor(actor);
        outcome.record(() -> launch(who, request(who, image).withClusterSize(containers)));
    }

    @When("{actor} tries to start a session from the image {string}")
    public void triesUnknownImage(String actor, String image) {
        Actor who = cast.actor(actor);
        outcome.record(() -> launch(who, request(who, image)));
    }

    @When("{actor} starts a batch {string} session running {string} that depends on it")
    public void startsDependent(String actor, String image, String command) {
        Actor who = cast.actor(actor);
        OwnedSession first = scene.of(who.name());
        scene.first(first);
        launch(who, request(who, image).batch(command).dependingOn(List.of(first.id())));
    }

    @Given("{actor}'s keypair allows {int} containers per session")
    public void keypairAllowsContainers(String actor, int containers) {
        var policy = admin.keypairPolicy(new bai.scenarios.client.admin.KeypairPolicySpec(5, containers, 3600,
                Map.of(), Map.of()));
        admin.movePolicy(cast.actor(actor).requireAccount().created().keypair().accessKey(), policy.name());
    }

    @When("{actor} start(s) a session from the {string} template")
    public void startsFromTemplate(String actor, String template) {
        startFromTemplate(actor, template, null);
    }

    @When("{actor} start(s) a batch session running {string} from the {string} template")
    public void startsBatchFromTemplate(String actor, String command, String template) {
        startFromTemplate(actor, template, command);
    }

    private void startFromTemplate(String actor, String template, String batchCommand) {
        Actor who = cast.actor(actor);
        String templateId = who.client().sessions().templates().get(template);
        assertThat(templateId).as("template %s among %s's templates", template, who.name()).isNotNull();
        String name = fixtures.nextName();
        UUID id = fixtures.launchFromTemplate(who.client(), templateId, name, batchCommand);
        scene.started(new OwnedSession(who.name(), id, name));
    }

    @Then("the session runs the image {string}")
    public void runsImage(String image) {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).info(session.id()).image()).isEqualTo(image);
    }

    @When("{actor} starts a {string} session with {int} containers")
    public void startsCluster(String actor, String image, int containers) {
        Actor who = cast.actor(actor);
        launch(who, request(who, image).withClusterSize(containers));
    }

    @When("{actor} starts a {string} session asking for {int} CPUs and waits at most {int} second(s) for it")
    public void startsAndWaits(String actor, String image, int cpus, int seconds) {
        Actor who = cast.actor(actor);
        SessionRequest request = request(who, image).withResources(Map.of("cpu", cpus, "mem", "1g"));
        SessionsApi.Created created = fixtures.launchAndWait(who.client(), request, seconds);
        scene.started(new OwnedSession(who.name(), created.id(), request.name()));
        scene.lastCreation(created);
    }

    @When("{actor} starts another {string} session with the same name")
    public void startsSameName(String actor, String image) {
        Actor who = cast.actor(actor);
        OwnedSession existing = scene.of(who.name());
        SessionRequest request = request(who, image);
        SessionRequest sameName = new SessionRequest(existing.name(), image, request.type(), request.domain(),
                request.project(), null, null, null, null, null, List.of());
        scene.lastCreation(who.client().sessions().createOrReuse(sameName));
    }

    @When("{actor} destroys her/his/their session")
    public void destroys(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        sessionsOf(session.owner()).destroy(session.id(), false);
    }

    @When("{actor} destroys her/his/their first session together with the sessions that depend on it")
    public void destroysRecursively(String actor) {
        OwnedSession first = scene.first();
        sessionsOf(first.owner()).destroy(first.id(), false, true);
    }

    @Then("the first session ends as {word}")
    public void firstEndsAs(String status) {
        OwnedSession first = scene.first();
        SessionInfo info = sessionsOf(first.owner()).awaitStatus(first.id(), Set.of(status.toUpperCase()), SESSION_WAIT);
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
    }

    @When("{actor} gives her/his/their session a new name")
    public void rename(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        String newName = fixtures.nextName();
        sessionsOf(session.owner()).rename(session.id(), newName);
        scene.started(new OwnedSession(session.owner(), session.id(), newName));
    }

    @When("{actor} renames her/his/their latest session to the name of the first one")
    public void renameToTaken(String actor) {
        OwnedSession latest = scene.of(cast.actor(actor).name());
        outcome.record(() -> sessionsOf(latest.owner()).rename(latest.id(), scene.first().name()));
    }

    @Then("the session becomes running")
    public void becomesRunning() {
        assertThat(awaitLatest(Set.of("RUNNING")).status()).isEqualTo("RUNNING");
    }

    @Then("the session ends as {word} because {string}")
    public void endsBecause(String status, String reason) {
        SessionInfo info = awaitLatest(Set.of(status.toUpperCase()));
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
        assertThat(info.statusInfo()).as("reason of %s", info).isEqualTo(reason);
    }

    @Then("the session ends as {word}")
    public void endsAs(String status) {
        SessionInfo info = awaitLatest(Set.of(status.toUpperCase()));
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
    }

    @Then("the session's status history is {quotedList}")
    public void statusHistory(List<String> statuses) {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).statusHistory(session.id()).keySet()).containsExactlyElementsOf(statuses);
    }

    @Then("{actor} finds her/his/their session under the new name")
    public void findsUnderNewName(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        assertThat(sessionsOf(session.owner()).infoByName(session.name()).status()).isEqualTo("RUNNING");
    }

    @Then("the session stays pending for {int} second(s)")
    public void staysPending(int seconds) {
        OwnedSession session = scene.latest();
        SessionsApi sessions = sessionsOf(session.owner());
        // A bounded observation that the status holds, not a sleep: it fails as soon as it changes.
        Awaitility.await("session " + session.id() + " to stay PENDING").during(Duration.ofSeconds(seconds))
                .atMost(Duration.ofSeconds(seconds + 5L)).pollInterval(Duration.ofMillis(100))
                .until(() -> sessions.info(session.id()).status().equals("PENDING"));
    }

    @Then("the dependent session was scheduled only after the first one finished")
    public void scheduledAfterDependency() {
        OwnedSession dependent = scene.latest();
        OwnedSession first = scene.first();
        SessionsApi sessions = sessionsOf(dependent.owner());
        sessions.awaitStatus(dependent.id(), Set.of("TERMINATED"), SESSION_WAIT);
        var firstHistory = sessions.statusHistory(first.id());
        var dependentHistory = sessions.statusHistory(dependent.id());
        assertThat(firstHistory).containsKey("TERMINATED");
        assertThat(java.time.OffsetDateTime.parse(dependentHistory.get("SCHEDULED")))
                .as("when the dependent was scheduled, vs the first terminated at %s", firstHistory.get("TERMINATED"))
                .isAfterOrEqualTo(java.time.OffsetDateTime.parse(firstHistory.get("TERMINATED")));
    }

    @Then("the dependent session lists the first one as its dependency")
    public void listsDependency() {
        OwnedSession dependent = scene.latest();
        assertThat(sessionsOf(dependent.owner()).dependencies(dependent.id())).containsExactly(scene.first().id());
    }

    @Then("the session runs {int} containers: {quotedList}")
    public void runsContainers(int count, List<String> roles) {
        OwnedSession session = scene.latest();
        List<String> actual = sessionsOf(session.owner()).containerRoles(session.id());
        assertThat(actual).hasSize(count).containsExactlyInAnyOrderElementsOf(roles);
    }

    @Then("each container keeps its own log")
    public void eachContainerLogs() {
        OwnedSession session = scene.latest();
        SessionsApi sessions = sessionsOf(session.owner());
        Map<String, UUID> kernels = sessions.kernels(session.id());
        assertThat(kernels).isNotEmpty();
        kernels.forEach((role, kernel) -> assertThat(sessions.logs(session.id(), kernel)).as("log of %s", role)
                .contains("Kernel " + role));
    }

    @Then("the manager answers that it timed out")
    public void timedOut() {
        assertThat(scene.lastCreation().status()).isEqualTo("TIMEOUT");
    }

    @Then("the session is still pending")
    public void stillPending() {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).info(session.id()).status()).isEqualTo("PENDING");
    }

    @Then("{actor} gets her/his/their existing session back")
    public void existingBack(String actor) {
        assertThat(scene.lastCreation().created()).as("created flag").isFalse();
        assertThat(scene.lastCreation().id()).isEqualTo(scene.of(cast.actor(actor).name()).id());
    }

    @Then("the session's log mentions {string}")
    public void logMentions(String text) {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).logs(session.id())).contains(text);
    }
}
