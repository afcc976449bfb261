package bai.scenarios.steps;

import bai.scenarios.client.ServiceEndpointCaller;
import bai.scenarios.client.ServiceEndpointCaller.Answer;
import bai.scenarios.client.ServicesApi;
import bai.scenarios.client.ServicesApi.Route;
import bai.scenarios.world.Cast;
import bai.scenarios.world.ServiceScene;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about calling a model service's endpoint: tokens, who gets in, and which replica answers. */
@Glossary(value = "Model service endpoints", order = 165)
public class ServiceEndpointSteps {
    /** How long the endpoint may take to route requests once its replicas run (the app proxy syncs). */
    static final Duration ROUTING_WAIT = Duration.ofSeconds(30);

    private final Cast cast;
    private final ServiceScene scene;
    private List<Route> routes;

    public ServiceEndpointSteps(Cast cast, ServiceScene scene) {
        this.cast = cast;
        this.scene = scene;
    }

    private ServiceEndpointCaller caller() {
        return cast.me().client().endpointCaller();
    }

    private URI endpoint() {
        return URI.create(scene.endpoint());
    }

    private ServicesApi ownerServices() {
        return cast.actor(scene.service().owner()).client().services();
    }

    @Glossary(value = "someone gets a token for the service's endpoint, valid for this many hours",
            reads = "the service", sets = "the token")
    @Given("{actor} has/have a token for the service valid for {int} hour(s)")
    public void hasToken(String actor, int hours) {
        scene.token(cast.actor(actor).client().services().token(scene.service().id(), hours + "h"));
    }

    @Glossary(value = "`GET /health` on the endpoint without any token (asked again while the endpoint has no route"
            + " yet: 502–504 or nothing listening, at most 30 s)", reads = "the service", sets = "the endpoint's answer")
    @When("an anonymous caller asks the endpoint for its health")
    public void anonymousHealth() {
        scene.answered(List.of(caller().getWhenRouted(endpoint(), "/health", Optional.empty(), ROUTING_WAIT)));
    }

    @Glossary(value = "`GET /health` on the endpoint with the service's token (asked again while it has no route yet)",
            reads = "the service, the token", sets = "the endpoint's answer")
    @When("a caller with the token asks the endpoint for its health")
    public void healthWithToken() {
        scene.answered(List.of(caller().getWhenRouted(endpoint(), "/health", Optional.of(scene.token()), ROUTING_WAIT)));
    }

    @Glossary(value = "the endpoint answered 401 (or 400), as the app proxy does without a valid token",
            reads = "the endpoint's answer")
    @Then("the endpoint refuses the caller as unauthenticated")
    public void refusesUnauthenticated() {
        Answer answer = scene.answers().get(0);
        assertThat(answer.status()).as(answer.describe()).isIn(400, 401);
    }

    @Glossary(value = "the endpoint answered 200", reads = "the endpoint's answer")
    @Then("the endpoint answers that it is healthy")
    public void answersHealthy() {
        Answer answer = scene.answers().get(0);
        assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    }

    @Glossary(value = "someone sets the traffic ratios of the service's two routes (ordered by route id, \"the"
            + " first replica\" is the first route's)", reads = "the service")
    @Given("the traffic ratios of the service's routes are {int} and {int}")
    @When("I set the traffic ratios of the service's routes to {int} and {int}")
    public void setRatios(int first, int second) {
        ServicesApi services = ownerServices();
        UUID id = scene.service().id();
        if (routes == null) {
            routes = services.info(id).activeRoutes().stream().sorted(Comparator.comparing(Route::routeId)).toList();
            assertThat(routes).as("routes of service %s", scene.service().name()).hasSize(2);
        }
        services.setTrafficRatio(id, routes.get(0).routeId(), first);
        services.setTrafficRatio(id, routes.get(1).routeId(), second);
    }

    @Glossary(value = "once an inference call (`POST`) is answered by that replica (within 30 s: the app proxy takes"
            + " the new ratios), this many calls in a row are every one answered by it", reads = "the service's routes")
    @Then("{int} calls to the endpoint are all answered by the {ordinal} replica")
    public void allAnsweredBy(int calls, String ordinal) {
        int index = switch (ordinal) {
            case "first" -> 0;
            case "second" -> 1;
            default -> throw new IllegalArgumentException("the service has two routes; no " + ordinal + " one");
        };
        Route route = routes.get(index);
        java.util.Set<String> expected = java.util.Set.of(String.valueOf(route.routeId()), String.valueOf(route.sessionId()));
        List<Answer> answers = caller().callsAnsweredBy(endpoint(), "/v1/echo", expected, calls, ROUTING_WAIT);
        scene.answered(answers);
        assertThat(answers).as("answers of the endpoint (expected the replica of route %s)", route.routeId())
                .hasSize(calls).allSatisfy(a -> assertThat(expected).as(a.describe()).contains(a.replica()));
    }

    @Glossary(value = "within 90 s nothing listens at the service's former endpoint URL any more",
            reads = "the service")
    @Then("its endpoint refuses connections")
    public void refusesConnections() {
        Answer last = caller().awaitConnectionRefused(endpoint(), Duration.ofSeconds(90));
        assertThat(last.connectionRefused()).as("the endpoint still answers: %s", last.describe()).isTrue();
    }
}
