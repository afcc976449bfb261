package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi;
import bai.scenarios.client.SessionsApi.SessionInfo;
import bai.scenarios.client.SessionsApi.SessionRequest;
import bai.scenarios.client.StatusHistory;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.fixtures.SessionFixtures;
import bai.scenarios.world.Actor;
import bai.scenarios.world.AdminScene;
import bai.scenarios.client.admin.KeypairPolicySpec;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import bai.scenarios.timing.Phase;
import bai.scenarios.timing.PhaseTimer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about starting, watching, renaming and ending compute sessions. */
@Glossary(value = "Compute sessions", order = 110)
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

    @Glossary(value = "someone's new interactive session of the image is RUNNING (in her first project)",
            reads = "the person", sets = "her/his session (the latest), the session")
    @Given("{actor} has/have a running {string} session")
    public void hasRunningSession(String actor, String image) {
        Actor who = cast.actor(actor);
        OwnedSession session = launch(who, request(who, image));
        who.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @Glossary(value = "someone's new interactive session of the image, asking for this many CPUs and 1 GiB of memory,"
            + " is RUNNING", reads = "the person", sets = "her/his session (the latest), the session")
    @Given("{actor} has a running {string} session asking for {int} CPU(s)")
    public void hasRunningSizedSession(String actor, String image, int cpus) {
        Actor who = cast.actor(actor);
        OwnedSession session = launch(who, request(who, image).withResources(Map.of("cpu", cpus, "mem", "1g")));
        who.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @Glossary(value = "someone has two new interactive sessions of the image, both RUNNING", reads = "the person",
            sets = "her/his first and second session, the first session")
    @Given("{actor} has two running {string} sessions")
    public void hasTwoRunningSessions(String actor, String image) {
        hasRunningSession(actor, image);
        OwnedSession first = scene.latest();
        hasRunningSession(actor, image);
        scene.first(first);
    }

    @Glossary(value = "someone's new session ran this shell script in /home/work before it became RUNNING",
            reads = "the person", sets = "her/his session, the session")
    @Given("{actor} has a running {string} session prepared by the bootstrap script {string}")
    public void hasBootstrappedSession(String actor, String image, String script) {
        Actor who = cast.actor(actor);
        OwnedSession session = launch(who, request(who, image).withBootstrapScript(script));
        who.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @Glossary(value = "a new member of the project (called Someone) has a RUNNING session in it",
            reads = "the domain, the project", sets = "the person (Someone), the session")
    @Given("someone runs a {string} session in the project")
    public void someoneRunsSessionInProject(String image) {
        var account = admin.user(adminScene.domain().name(), "user", "active", List.of(adminScene.project().id()));
        Actor someone = cast.introduce("Someone", account);
        SessionRequest request = SessionRequest.interactive(fixtures.nextName(), image, adminScene.domain().name(),
                adminScene.project().name());
        OwnedSession session = launch(someone, request);
        someone.client().sessions().awaitStatus(session.id(), Set.of("RUNNING"), SESSION_WAIT);
    }

    @Glossary(value = "someone asks for a new interactive session of the image (it starts in the background)",
            reads = "the person", sets = "her/his session, the session")
    @When("{actor} {attempt}start(s) an interactive {string} session")
    public void startsInteractive(String actor, Attempt attempt, String image) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image)));
    }

    @Glossary(value = "someone asks for a session with this many CPUs (and 1 GiB of memory); below the image's"
            + " minimum (0 CPUs, say) it is refused `as invalid`; more than any agent has keeps it PENDING",
            reads = "the person",
            sets = "her/his session, the session")
    @When("{actor} {attempt}start(s) a {string} session asking for {int} CPU(s)")
    public void startsBigSession(String actor, Attempt attempt, String image, int cpus) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image).withResources(Map.of("cpu", cpus, "mem", "1g"))));
    }

    @Glossary(value = "someone starts a batch session that runs this shell command and ends with it",
            reads = "the person", sets = "her/his session, the session")
    @When("{actor} {attempt}run(s) the batch command {string} in a {string} session")
    public void runsBatch(String actor, Attempt attempt, String command, String image) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image).batch(command)));
    }

    @Glossary(value = "like the batch command above, stopped after this many seconds", reads = "the person",
            sets = "her/his session, the session")
    @When("{actor} {attempt}run(s) the batch command {string} in a {string} session with a {int}-second timeout")
    public void runsBatchWithTimeout(String actor, Attempt attempt, String command, String image, int seconds) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image).batch(command).withBatchTimeout(seconds)));
    }

    @Glossary(value = "someone asks for a session with this much memory (and 1 CPU)", reads = "the person",
            sets = "her/his session, the session")
    @When("{actor} {attempt}start(s) a {string} session with {int} MiB of memory")
    public void startsWithMemory(String actor, Attempt attempt, String image, int mib) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image).withResources(Map.of("cpu", 1, "mem", mib + "m"))));
    }

    @Glossary(value = "someone asks for a session of this many containers (a cluster)", reads = "the person",
            sets = "her/his session, the session")
    @When("{actor} {attempt}start(s) a {string} session with {int} containers")
    public void startsCluster(String actor, Attempt attempt, String image, int containers) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image).withClusterSize(containers)));
    }

    @Glossary(value = "someone asks for a session of an image given by its full reference", reads = "the person",
            sets = "her/his session, the session")
    @When("{actor} {attempt}start(s) a session from the image {string}")
    public void startsFromImage(String actor, Attempt attempt, String image) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> launch(who, request(who, image)));
    }

    @Glossary(value = "someone starts a batch session that may run only after her latest session finished well"
            + " (exit code 0); while that one runs, or if it failed, the new one stays PENDING",
            reads = "her/his session", sets = "the first session (the one depended on), her/his session, the session")
    @When("{actor} starts a batch {string} session running {string} that depends on it")
    public void startsDependent(String actor, String image, String command) {
        Actor who = cast.actor(actor);
        OwnedSession first = scene.of(who.name());
        scene.first(first);
        launch(who, request(who, image).batch(command).dependingOn(List.of(first.id())));
    }

    @Glossary(value = "someone's keypair moves to a new policy allowing this many containers per session"
            + " (and 5 concurrent sessions, 3600 s idle timeout)", reads = "the person")
    @Given("{actor}'s keypair allows {int} containers per session")
    public void keypairAllowsContainers(String actor, int containers) {
        movePolicy(actor, new KeypairPolicySpec(5, containers, 3600, Map.of(), Map.of()));
    }

    @Glossary(value = "someone's keypair moves to a new policy allowing this many sessions at once"
            + " (and 1 container per session, 3600 s idle timeout)", reads = "the person")
    @Given("{actor}'s keypair allows {int} concurrent session(s)")
    public void keypairAllowsConcurrency(String actor, int sessions) {
        movePolicy(actor, new KeypairPolicySpec(sessions, 1, 3600, Map.of(), Map.of()));
    }

    @Glossary(value = "someone's keypair moves to a new policy allowing at most this many CPUs and this much memory"
            + " for all of her sessions together (and 5 concurrent sessions, 1 container per session)",
            reads = "the person")
    @Given("{actor}'s keypair allows {int} CPUs and {int} GiB of memory in total")
    public void keypairAllowsTotal(String actor, int cpus, int gib) {
        Map<String, String> total = Map.of("cpu", String.valueOf(cpus),
                "mem", java.math.BigInteger.valueOf(gib).shiftLeft(30).toString());
        movePolicy(actor, new KeypairPolicySpec(5, 1, 3600, total, Map.of()));
    }

    private void movePolicy(String actor, KeypairPolicySpec spec) {
        var policy = admin.keypairPolicy(spec);
        admin.movePolicy(cast.actor(actor).requireAccount().created().keypair().accessKey(), policy.name());
    }

    @Glossary(value = "someone starts a session from one of her session templates, by its name", reads = "the person",
            sets = "her/his session, the session")
    @When("{actor} start(s) a session from the {string} template")
    public void startsFromTemplate(String actor, String template) {
        startFromTemplate(actor, template, null);
    }

    @Glossary(value = "someone starts a batch session from a template, running this command", reads = "the person",
            sets = "her/his session, the session")
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

    @Glossary(value = "the latest session runs this image (full reference)", reads = "the session")
    @Then("the session runs the image {string}")
    public void runsImage(String image) {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).info(session.id()).image()).isEqualTo(image);
    }

    @Glossary(value = "someone creates a session the manager's way, waiting at most this long for it to run",
            reads = "the person", sets = "her/his session, the session, the manager's answer")
    @When("{actor} starts a {string} session asking for {int} CPUs and waits at most {int} second(s) for it")
    public void startsAndWaits(String actor, String image, int cpus, int seconds) {
        Actor who = cast.actor(actor);
        SessionRequest request = request(who, image).withResources(Map.of("cpu", cpus, "mem", "1g"));
        SessionsApi.Created created = fixtures.launchAndWait(who.client(), request, seconds);
        scene.started(new OwnedSession(who.name(), created.id(), request.name()));
        scene.lastCreation(created);
    }

    @Glossary(value = "someone creates a session with the name of her latest session (the manager may reuse it)",
            reads = "her/his session", sets = "the manager's answer")
    @When("{actor} starts another {string} session with the same name")
    public void startsSameName(String actor, String image) {
        Actor who = cast.actor(actor);
        OwnedSession existing = scene.of(who.name());
        SessionRequest request = request(who, image);
        SessionRequest sameName = new SessionRequest(existing.name(), image, request.type(), request.domain(),
                request.project(), null, null, null, null, null, List.of(), List.of());
        scene.lastCreation(who.client().sessions().createOrReuse(sameName));
    }

    @Glossary(value = "someone ends her latest session", reads = "her/his session")
    @When("{actor} {attempt}destroy(s) her/his/their session")
    public void destroys(String actor, Attempt attempt) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        outcome.make(attempt, () -> sessionsOf(session.owner()).destroy(session.id(), false));
    }

    @Glossary(value = "someone ends one of her sessions, named by the order she started them",
            reads = "her/his sessions", sets = "the session (the one destroyed)")
    @When("{actor} {attempt}destroy(s) her/his/their {ordinal} session")
    public void destroysNth(String actor, Attempt attempt, String ordinal) {
        OwnedSession session = scene.of(cast.actor(actor).name(), ordinal);
        outcome.make(attempt, () -> sessionsOf(session.owner()).destroy(session.id(), false));
        scene.started(session);
    }

    @Glossary(value = "someone ends the first session and every session that depends on it",
            reads = "the first session")
    @When("{actor} {attempt}destroy(s) her/his/their first session together with the sessions that depend on it")
    public void destroysRecursively(String actor, Attempt attempt) {
        OwnedSession first = scene.first();
        outcome.make(attempt, () -> sessionsOf(first.owner()).destroy(first.id(), false, true));
    }

    @Glossary(value = "someone's session (by the order she started them) reaches this status, e.g. `running`,"
            + " `terminated`", reads = "her/his sessions")
    @Then("{actor}'s {ordinal} session is {word}")
    public void nthSessionIs(String actor, String ordinal, String status) {
        OwnedSession session = scene.of(cast.actor(actor).name(), ordinal);
        SessionInfo info = sessionsOf(session.owner()).awaitStatus(session.id(), Set.of(status.toUpperCase()),
                SESSION_WAIT);
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
    }

    @Glossary(value = "the first session reaches this status", reads = "the first session")
    @Then("the first session ends as {word}")
    public void firstEndsAs(String status) {
        OwnedSession first = scene.first();
        SessionInfo info = sessionsOf(first.owner()).awaitStatus(first.id(), Set.of(status.toUpperCase()), SESSION_WAIT);
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
    }

    @Glossary(value = "someone renames her latest session to a new, unused name", reads = "her/his session",
            sets = "her/his session (renamed)")
    @When("{actor} {attempt}give(s) her/his/their session a new name")
    public void rename(String actor, Attempt attempt) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        String newName = fixtures.nextName();
        outcome.make(attempt, () -> sessionsOf(session.owner()).rename(session.id(), newName));
        scene.started(new OwnedSession(session.owner(), session.id(), newName));
    }

    @Glossary(value = "someone renames her latest session to the name her first session has",
            reads = "her/his session, the first session")
    @When("{actor} {attempt}rename(s) her/his/their latest session to the name of the first one")
    public void renameToTaken(String actor, Attempt attempt) {
        OwnedSession latest = scene.of(cast.actor(actor).name());
        outcome.make(attempt, () -> sessionsOf(latest.owner()).rename(latest.id(), scene.first().name()));
    }

    @Glossary(value = "the latest session reaches RUNNING", reads = "the session")
    @Then("the session becomes running")
    public void becomesRunning() {
        assertThat(awaitLatest(Set.of("RUNNING")).status()).isEqualTo("RUNNING");
    }

    @Glossary(value = "the latest session reaches this status, e.g. `terminated`, with this reason: `user-requested`"
            + " (destroyed), `force-terminated` (forced), `task-finished` / `task-failed` / `task-timeout` (batch),"
            + " `self-terminated` (its kernel ended by itself)",
            reads = "the session")
    @Then("the session ends as {word} because {string}")
    public void endsBecause(String status, String reason) {
        SessionInfo info = awaitLatest(Set.of(status.toUpperCase()));
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
        assertThat(info.statusInfo()).as("reason of %s", info).isEqualTo(reason);
    }

    @Glossary(value = "the latest session reaches this status, e.g. `terminated`, `cancelled`, `error`",
            reads = "the session")
    @Then("the session ends as {word}")
    public void endsAs(String status) {
        SessionInfo info = awaitLatest(Set.of(status.toUpperCase()));
        assertThat(info.status()).as("status of %s", info).isEqualTo(status.toUpperCase());
    }

    @Glossary(value = "the statuses the latest session went through, in order (a DEPRIORITIZING while it waited"
            + " to be scheduled, which a busy manager may add after ~10 s, counts as waiting)", reads = "the session")
    @Then("the session's status history is {quotedList}")
    public void statusHistory(List<String> statuses) {
        OwnedSession session = scene.latest();
        Map<String, String> history = sessionsOf(session.owner()).statusHistory(session.id());
        assertThat(StatusHistory.lifeSteps(history)).as("status history %s", history).containsExactlyElementsOf(statuses);
    }

    @Glossary(value = "someone's renamed session answers to its new name", reads = "her/his session")
    @Then("{actor} finds her/his/their session under the new name")
    public void findsUnderNewName(String actor) {
        OwnedSession session = scene.of(cast.actor(actor).name());
        assertThat(sessionsOf(session.owner()).infoByName(session.name()).status()).isEqualTo("RUNNING");
    }

    @Glossary(value = "the latest session is PENDING for this long (fails as soon as it is not)",
            reads = "the session")
    @Then("the session stays pending for {int} second(s)")
    public void staysPending(int seconds) {
        OwnedSession session = scene.latest();
        SessionsApi sessions = sessionsOf(session.owner());
        // A bounded observation that the status holds, not a sleep: it fails as soon as it changes.
        try (PhaseTimer.Span ignored = cast.actor(session.owner()).client().timer().enter(Phase.WAITING)) {
            Awaitility.await("session " + session.id() + " to stay PENDING").during(Duration.ofSeconds(seconds))
                    .atMost(Duration.ofSeconds(seconds + 5L)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sessions.info(session.id()).status().equals("PENDING"));
        }
    }

    @Glossary(value = "the dependent session was scheduled no earlier than the first one terminated",
            reads = "the session, the first session")
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

    @Glossary(value = "the latest session's dependency graph names the first session",
            reads = "the session, the first session")
    @Then("the dependent session lists the first one as its dependency")
    public void listsDependency() {
        OwnedSession dependent = scene.latest();
        assertThat(sessionsOf(dependent.owner()).dependencies(dependent.id())).containsExactly(scene.first().id());
    }

    @Glossary(value = "the latest session has this many containers with these roles (`main`, `sub`)",
            reads = "the session")
    @Then("the session runs {int} containers: {quotedList}")
    public void runsContainers(int count, List<String> roles) {
        OwnedSession session = scene.latest();
        List<String> actual = sessionsOf(session.owner()).containerRoles(session.id());
        assertThat(actual).hasSize(count).containsExactlyInAnyOrderElementsOf(roles);
    }

    @Glossary(value = "every container of the latest session has a log of its own", reads = "the session")
    @Then("each container keeps its own log")
    public void eachContainerLogs() {
        OwnedSession session = scene.latest();
        SessionsApi sessions = sessionsOf(session.owner());
        Map<String, UUID> kernels = sessions.kernels(session.id());
        assertThat(kernels).isNotEmpty();
        kernels.forEach((role, kernel) -> assertThat(sessions.logs(session.id(), kernel)).as("log of %s", role)
                .contains("Kernel " + role));
    }

    @Glossary(value = "the manager answered the waiting create with TIMEOUT", reads = "the manager's answer")
    @Then("the manager answers that it timed out")
    public void timedOut() {
        assertThat(scene.lastCreation().status()).isEqualTo("TIMEOUT");
    }

    @Glossary(value = "the latest session is PENDING now", reads = "the session")
    @Then("the session is still pending")
    public void stillPending() {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).info(session.id()).status()).isEqualTo("PENDING");
    }

    @Glossary(value = "the manager answered the create with someone's existing session, not a new one",
            reads = "the manager's answer, her/his session")
    @Then("{actor} gets her/his/their existing session back")
    public void existingBack(String actor) {
        assertThat(scene.lastCreation().created()).as("created flag").isFalse();
        assertThat(scene.lastCreation().id()).isEqualTo(scene.of(cast.actor(actor).name()).id());
    }

    @Glossary(value = "the latest (batch) session ended with this exit code of its command, as the manager recorded"
            + " it for its main container", reads = "the session")
    @Then("the batch job exits with code {int}")
    public void batchExitCode(int code) {
        assertThat(endedBatch().exitCode()).as("exit code of the batch job").isEqualTo(code);
    }

    @Glossary(value = "the manager's verdict on the latest (batch) session: `success` or `failure`",
            reads = "the session")
    @Then("the batch job's result is {word}")
    public void batchResult(String result) {
        assertThat(endedBatch().result()).as("result of the batch job").isEqualTo(result.toUpperCase());
    }

    /** How the latest (batch) session ended, once it has. */
    private SessionsApi.BatchOutcome endedBatch() {
        OwnedSession session = scene.latest();
        SessionsApi sessions = sessionsOf(session.owner());
        sessions.awaitStatus(session.id(), Set.of("TERMINATED"), SESSION_WAIT);
        return sessions.batchOutcome(session.id());
    }

    @Glossary(value = "the latest session's main container log contains this text", reads = "the session")
    @Then("the session's log mentions {string}")
    public void logMentions(String text) {
        OwnedSession session = scene.latest();
        assertThat(sessionsOf(session.owner()).logs(session.id())).contains(text);
    }
}
