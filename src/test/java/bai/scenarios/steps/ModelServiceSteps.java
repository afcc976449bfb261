package bai.scenarios.steps;

import bai.scenarios.client.FoldersApi.Folder;
import bai.scenarios.client.ServicesApi;
import bai.scenarios.client.ServicesApi.Info;
import bai.scenarios.client.ServicesApi.ServiceSpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.fixtures.ServiceFixtures;
import bai.scenarios.fixtures.ServiceFixtures.Model;
import bai.scenarios.fixtures.ServiceWaits;
import bai.scenarios.fixtures.ServiceWaits.Snapshot;
import bai.scenarios.world.Actor;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import bai.scenarios.world.ServiceScene;
import bai.scenarios.world.ServiceScene.ModelFolder;
import bai.scenarios.world.ServiceScene.OwnedService;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about model services: serving a model folder, scaling its replicas, its errors, deleting it. */
@Glossary(value = "Model services", order = 160)
public class ModelServiceSteps {
    private final Cast cast;
    private final ServiceFixtures fixtures;
    private final AdminFixtures admin;
    private final AdminScene adminScene;
    private final ServiceScene scene;
    private final LastOutcome outcome;
    private List<ServicesApi.Summary> listed;

    public ModelServiceSteps(Cast cast, ServiceFixtures fixtures, AdminFixtures admin, AdminScene adminScene,
                             ServiceScene scene, LastOutcome outcome) {
        this.cast = cast;
        this.fixtures = fixtures;
        this.admin = admin;
        this.adminScene = adminScene;
        this.scene = scene;
        this.outcome = outcome;
    }

    private Actor owner() {
        return cast.actor(scene.service().owner());
    }

    private UUID serviceId() {
        return scene.service().id();
    }

    /**
     * Why the scheduler keeps a replica's session PENDING, as the superadmin's history says. Only
     * words for a timeout message: a history that does not answer never fails the wait itself.
     */
    private Optional<String> whyPending(UUID session) {
        try {
            return cast.me().client().schedulingHistory().lastFailure(session);
        } catch (RuntimeException unanswered) {
            return Optional.of("unknown (the scheduling history did not answer: " + unanswered.getMessage() + ")");
        }
    }

    /** Serves the scenario's model as {@code who}; waits for the replicas unless told otherwise. */
    private void serve(Actor who, ServiceSpec spec, boolean wait) {
        Info created = fixtures.serve(who.client(), spec);
        scene.service(new OwnedService(who.name(), created.id(), created.name()));
        if (wait) {
            Snapshot running = ServiceWaits.awaitRunning(who.client(), created.id(), spec.replicas(),
                    this::whyPending);
            scene.sawSessions(running.info().sessions());
            scene.endpoint(running.info().serviceEndpoint());
        }
    }

    /** The model's spec, in the first project of the model's owner when the scenario created her. */
    private ServiceSpec spec() {
        ServiceSpec spec = fixtures.spec(scene.model().name());
        Actor owner = cast.actor(scene.model().owner());
        if (owner.account().isEmpty()) {
            return spec;
        }
        var user = owner.requireAccount().created().user();
        return user.projectNames().isEmpty() ? spec : spec.inProject(user.domainName(), user.projectNames().get(0));
    }

    @Glossary(value = "someone creates a model folder (usage `model`) and puts the model's files in it: the echo"
            + " model answers every request with its replica's id, the other one exits as it starts",
            reads = "the person", sets = "the model")
    @Given("{actor} has/have a model folder holding {model}")
    public void hasModelFolder(String actor, Model model) {
        Actor who = cast.actor(actor);
        Folder folder = fixtures.modelFolder(who.client(), model);
        scene.model(new ModelFolder(who.name(), folder.id(), folder.name()));
    }

    @Glossary(value = "someone's keypair moves to a new policy allowing replicas of this many containers (and 5"
            + " concurrent sessions), with the storage hosts and folder permissions of the `default` policy",
            reads = "the person")
    @Given("{actor}'s keypair allows replicas of {int} containers")
    public void keypairAllowsReplicasOf(String actor, int containers) {
        var defaults = admin.admin().keypairPolicy("default").orElseThrow(
                () -> new IllegalStateException("the target has no 'default' keypair resource policy to start from"));
        var policy = admin.keypairPolicy(new bai.scenarios.client.admin.KeypairPolicySpec(5, containers, 3600,
                java.util.Map.of(), defaults.allowedVfolderHosts()));
        admin.movePolicy(cast.actor(actor).requireAccount().created().keypair().accessKey(), policy.name());
    }

    @Glossary(value = "someone serves the model privately with one replica of this shape; within 90 s its route"
            + " runs, its inference session is RUNNING and the service has an endpoint URL",
            reads = "the model", sets = "the service")
    @Given("{actor} serve(s) the model on {topology}")
    public void servesOn(String actor, Topology topology) {
        serve(cast.actor(actor), topology.apply(spec()), true);
    }

    @Glossary(value = "as above, but the endpoint is open to the public (no token needed)", reads = "the model",
            sets = "the service")
    @Given("{actor} serve(s) the model publicly on {topology}")
    public void servesPubliclyOn(String actor, Topology topology) {
        serve(cast.actor(actor), topology.apply(spec()).public_(true), true);
    }

    @Glossary(value = "someone serves the model publicly with this many single-container replicas, all running",
            reads = "the model", sets = "the service")
    @Given("{actor} serve(s) the model publicly with {int} replicas")
    public void servesPubliclyWithReplicas(String actor, int replicas) {
        serve(cast.actor(actor), spec().withReplicas(replicas).public_(true), true);
    }

    @Glossary(value = "someone creates a service for the model (one private replica) without waiting for it",
            reads = "the model", sets = "the service")
    @When("{actor} start(s) serving the model")
    public void startsServing(String actor) {
        serve(cast.actor(actor), spec(), false);
    }

    @Glossary(value = "a new member of the project (called Someone) serves the echo model in it, its replica running",
            reads = "the domain, the project", sets = "the person (Someone), the model, the service")
    @Given("someone serves the echo model in the project")
    public void someoneServesInProject() {
        var account = admin.user(adminScene.domain().name(), "user", "active", List.of(adminScene.project().id()));
        Actor someone = cast.introduce("Someone", account);
        hasModelFolder(someone.name(), Model.ECHO);
        serve(someone, spec().inProject(adminScene.domain().name(), adminScene.project().name()), true);
    }

    @Glossary(value = "someone asks for this many replicas of the service (it scales in the background)",
            reads = "the service", sets = "the last call's outcome")
    @When("{actor} {attempt}scale(s) the service to {int} replica(s)")
    public void scales(String actor, Attempt attempt, int replicas) {
        ServicesApi services = cast.actor(actor).client().services();
        outcome.make(attempt, () -> services.scale(serviceId(), replicas));
    }

    @Glossary(value = "someone asks for one replica more than her user resource policy's"
            + " `max_session_count_per_model_session`", reads = "the service", sets = "the last call's outcome")
    @When("{actor} {attempt}scale(s) the service to one replica more than her/his/my/their resource policy allows")
    public void scalesBeyondPolicy(String actor, Attempt attempt) {
        ServicesApi services = cast.actor(actor).client().services();
        int limit = services.maxReplicasByPolicy();
        outcome.make(attempt, () -> services.scale(serviceId(), limit + 1));
    }

    @Glossary(value = "within 90 s the service runs exactly this many replicas (routes running, their inference"
            + " sessions RUNNING), and every inference session it had before that is no longer one of them is"
            + " TERMINATED", reads = "the service")
    @Then("the service runs {int} replica(s)")
    public void runsReplicas(int replicas) {
        Snapshot snapshot = ServiceWaits.awaitScaled(owner().client(), serviceId(), replicas, scene.sessionsSeen(),
                this::whyPending);
        scene.sawSessions(snapshot.info().sessions());
    }

    @Glossary(value = "within 90 s a route of the service is `failed_to_start`", reads = "the service")
    @Then("the service's replica fails to start")
    public void replicaFailsToStart() {
        ServiceWaits.awaitRouteStatus(owner().client(), serviceId(), "failed_to_start");
    }

    @Glossary(value = "the service's error list names an inference session and its error", reads = "the service")
    @Then("the service lists the error of its inference session")
    public void listsError() {
        ServicesApi.Errors errors = owner().client().services().errors(serviceId());
        assertThat(errors.errors()).as("errors of service %s", scene.service().name()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.error()).as("error of session %s", e.sessionId()).isNotBlank());
    }

    @Glossary(value = "someone scales the service to 0, waits until no route is starting or running, and clears the"
            + " service's errors", reads = "the service")
    @When("{actor} stop(s) the service's replicas and clear(s) its errors")
    public void stopsAndClears(String actor) {
        ServicesApi services = cast.actor(actor).client().services();
        services.scale(serviceId(), 0);
        ServiceWaits.awaitQuiet(cast.actor(actor).client(), serviceId());
        services.clearErrors(serviceId());
    }

    @Glossary(value = "the service's error list is empty", reads = "the service")
    @Then("the service lists no errors")
    public void listsNoErrors() {
        assertThat(owner().client().services().errors(serviceId()).errors()).as("errors of service %s",
                scene.service().name()).isEmpty();
    }

    @Glossary(value = "someone deletes the service", reads = "the service", sets = "the last call's outcome")
    @When("{actor} {attempt}delete(s) the service")
    public void deletes(String actor, Attempt attempt) {
        ServicesApi services = cast.actor(actor).client().services();
        outcome.make(attempt, () -> services.delete(serviceId()));
    }

    @Glossary(value = "within 90 s the service is out of its owner's list, has no live route, and every inference"
            + " session it ran is TERMINATED", reads = "the service")
    @Then("the service is gone with all its replicas")
    public void goneWithReplicas() {
        Set<UUID> sessions = new HashSet<>(scene.sessionsSeen());
        ServiceWaits.awaitGone(owner().client(), serviceId(), sessions);
    }

    @Glossary(value = "someone lists her model services", reads = "the person")
    @When("{actor} list(s) her/his/their services")
    public void listsServices(String actor) {
        listed = cast.actor(actor).client().services().list();
    }

    @Glossary(value = "the list of services just read is empty")
    @Then("{actor} has no services")
    public void hasNoServices(String actor) {
        assertThat(listed).as("services listed for %s", cast.actor(actor).name()).isNotNull().isEmpty();
    }

    @Glossary(value = "someone looks at, scales or deletes a service by an id the manager never gave out",
            sets = "the last call's outcome")
    @When("{actor} {attempt}{serviceAction} a service that does not exist")
    public void actsOnUnknownService(String actor, Attempt attempt, String action) {
        ServicesApi services = cast.actor(actor).client().services();
        UUID unknown = UUID.randomUUID();
        outcome.make(attempt, () -> {
            switch (action) {
                case "look at" -> services.info(unknown);
                case "scale" -> services.scale(unknown, 1);
                default -> services.delete(unknown);
            }
        });
    }
}
