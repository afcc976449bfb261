package bai.scenarios.client;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.storage.StorageProxy;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Evidence;
import bai.scenarios.client.transport.Forgery;
import bai.scenarios.client.transport.MultipartForm;
import bai.scenarios.client.transport.OutgoingRequest;
import bai.scenarios.client.transport.Received;
import bai.scenarios.client.transport.RequestCheck;
import bai.scenarios.client.transport.RequestSigner;
import bai.scenarios.client.transport.RequestUri;
import bai.scenarios.timing.PhaseTimer;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A signed connection to the manager for one keypair. Immutable: {@link #withForgery} and
 * {@link #as} return new clients. Owns no global REST Assured state, so actors and parallel
 * scenarios never share configuration. Domain APIs hang off it ({@link #auth()}, {@link #info()}).
 */
public final class ManagerClient {
    private final URI endpoint;
    private final Credentials credentials;
    private final ClientOptions options;
    private final Forgery forgery;
    private final RequestSigner signer;

    public ManagerClient(URI endpoint, Credentials credentials, ClientOptions options) {
        this(endpoint, credentials, options, Forgery.NONE);
    }

    private ManagerClient(URI endpoint, Credentials credentials, ClientOptions options, Forgery forgery) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.options = options;
        this.forgery = forgery;
        this.signer = new RequestSigner(credentials, options.clock(), forgery);
    }

    /** The same caller, sending requests with a deliberate defect. */
    public ManagerClient withForgery(Forgery newForgery) {
        return new ManagerClient(endpoint, credentials, options, newForgery);
    }

    /** Another keypair, same endpoint and options. */
    public ManagerClient as(Credentials other) {
        return new ManagerClient(endpoint, other, options, forgery);
    }

    public Credentials credentials() {
        return credentials;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Where this client's requests and session phases are timed (the scenario's clock). */
    public PhaseTimer timer() {
        return options.timer();
    }

    public AuthApi auth() {
        return new AuthApi(this);
    }

    public ManagerInfoApi info() {
        return new ManagerInfoApi(this);
    }

    public SessionsApi sessions() {
        return new SessionsApi(this);
    }

    /** Resource presets, scaling groups and usage reports. */
    public ResourcesApi resources() {
        return new ResourcesApi(this);
    }

    /** The manager's own status: running or frozen for maintenance (superadmins). */
    /** The scheduling history (superadmins only). */
    public SchedulingHistoryApi schedulingHistory() {
        return new SchedulingHistoryApi(this);
    }

    public ManagerStateApi managerState() {
        return new ManagerStateApi(this);
    }

    /** Virtual folders; their bytes travel through {@link #storage()}. */
    public FoldersApi folders() {
        return new FoldersApi(this);
    }

    /** Model services; their endpoints are called through {@link ServiceEndpointCaller}. */
    public ServicesApi services() {
        return new ServicesApi(this);
    }

    /** Calls to model service endpoints (the app proxy), recording into the same evidence as this client. */
    public ServiceEndpointCaller endpointCaller() {
        return new ServiceEndpointCaller(options.timeout(), options.evidence());
    }

    /**
     * The storage proxy's client-facing API for transfers the manager authorised. It records its
     * exchanges into the same evidence as this client, but it is another server: it gets neither
     * the signature nor the manager's contract checks.
     */
    public StorageProxy storage() {
        return new StorageProxy(options.timeout(), options.evidence());
    }

    /** The v2 REST resource policy API (what the legacy GraphQL inputs lack, such as login caps). */
    public ResourcePoliciesApi resourcePolicies() {
        return new ResourcePoliciesApi(this);
    }

    /** Administration through the admin GraphQL endpoint. */
    public AdminApi admin() {
        return new AdminApi(new AdminGraphQLClient(this));
    }

    public ApiResult get(String path) {
        return send("GET", path, Map.of(), null);
    }

    public ApiResult post(String path, Object jsonBody) {
        return send("POST", path, Map.of(), jsonBody);
    }

    /** Sends a signed {@code multipart/form-data} request with one file part per entry. */
    public ApiResult upload(String path, String partName, Map<String, byte[]> files) {
        long started = System.nanoTime();
        MultipartForm form = MultipartForm.files(partName, files);
        return execute(started, new OutgoingRequest("POST", RequestUri.of(endpoint, path, Map.of()), form.body(),
                form.contentType()), "POST " + path);
    }

    /** Sends one signed request; a JSON body is serialised with Jackson. */
    public ApiResult send(String method, String path, Map<String, ?> query, Object jsonBody) {
        long started = System.nanoTime();
        URI uri = RequestUri.of(endpoint, path, query);
        OutgoingRequest request = jsonBody == null ? new OutgoingRequest(method, uri, null, null)
                : new OutgoingRequest(method, uri, toJson(jsonBody), "application/json");
        return execute(started, request, method + " " + path);
    }

    /**
     * Checks, signs, sends and records one request; its whole cost, from {@code started} to the
     * body read, goes to the timer. A check that refuses it throws before anything is sent.
     */
    private ApiResult execute(long started, OutgoingRequest request, String call) {
        try {
            for (RequestCheck check : options.checks()) {
                check.check(request);
            }
            request.header("Accept", "*/*");
            signer.sign(request);
            long sent = System.nanoTime();
            Received received;
            try {
                received = options.transport().send(request, options.timeout());
            } catch (IOException e) {
                throw unreachable(e);
            }
            options.evidence().accept(Evidence.of(request, received, (System.nanoTime() - sent) / 1_000_000));
            return new ApiResult(call, received.status(),
                    received.contentType(), received.body());
        } finally {
            options.timer().request(System.nanoTime() - started);
        }
    }

    private ManagerUnreachable unreachable(IOException e) {
        String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new ManagerUnreachable("cannot reach the manager at " + endpoint + " (" + reason + ")", e);
    }

    private static byte[] toJson(Object body) {
        try {
            return body instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : ApiResult.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable as JSON: " + body, e);
        }
    }
}
