package bai.scenarios.world;

import bai.scenarios.client.ServiceEndpointCaller.Answer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The model services a scenario talks about: the model folder ("the model"), the latest service
 * ("the service") with who owns it, every inference session it has been seen with (so that
 * "the replicas that were scaled away" can be checked), the token for its endpoint, and the
 * endpoint's latest answers. Fresh for every scenario (PicoContainer).
 */
public final class ServiceScene {
    /** A model folder and who owns it. */
    public record ModelFolder(String owner, UUID id, String name) {
    }

    /** A service and who owns it; {@code endpoint} is its URL once the manager gave one. */
    public record OwnedService(String owner, UUID id, String name) {
    }

    private ModelFolder model;
    private OwnedService service;
    private final Set<UUID> sessionsSeen = new LinkedHashSet<>();
    private String endpoint;
    private String token;
    private final List<Answer> answers = new ArrayList<>();

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException("this scenario has no " + what + " yet; add a Given step that makes it");
        }
        return value;
    }

    public ModelFolder model() {
        return required(model, "model folder");
    }

    public void model(ModelFolder value) {
        model = value;
    }

    public OwnedService service() {
        return required(service, "model service");
    }

    public void service(OwnedService value) {
        service = value;
        sessionsSeen.clear();
        endpoint = null;
        token = null;
        answers.clear();
    }

    /** Notes inference sessions the service was seen with. */
    public void sawSessions(List<UUID> sessions) {
        sessionsSeen.addAll(sessions);
    }

    public Set<UUID> sessionsSeen() {
        return Set.copyOf(sessionsSeen);
    }

    public String endpoint() {
        return required(endpoint, "endpoint URL (the service is not running yet)");
    }

    public void endpoint(String url) {
        endpoint = url;
    }

    public String token() {
        return required(token, "token for the service");
    }

    public void token(String value) {
        token = value;
    }

    public void answered(List<Answer> latest) {
        answers.clear();
        answers.addAll(latest);
    }

    /** The endpoint's answers to the latest calls a step made. */
    public List<Answer> answers() {
        if (answers.isEmpty()) {
            throw new IllegalStateException("nobody called the endpoint in this scenario yet");
        }
        return List.copyOf(answers);
    }
}
