package bai.scenarios.client;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.storage.StorageProxy;
import bai.scenarios.client.transport.ConnectionPool;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.EvidenceFilter;
import bai.scenarios.client.transport.Forgery;
import bai.scenarios.client.transport.SigningFilter;
import bai.scenarios.timing.PhaseTimer;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.Filter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    private final RestAssuredConfig config;
    /** The checks, signing and evidence, built once (they hold no per-request state). */
    private final List<Filter> filters;

    public ManagerClient(URI endpoint, Credentials credentials, ClientOptions options) {
        this(endpoint, credentials, options, Forgery.NONE);
    }

    private ManagerClient(URI endpoint, Credentials credentials, ClientOptions options, Forgery forgery) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.options = options;
        this.forgery = forgery;
        int timeoutMillis = (int) options.timeout().toMillis();
        RestAssuredConfig config = RestAssuredConfig.config()
                // The manager signs the bare media type; never let a charset be appended after signing.
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))
                // Kept-alive pooled connections instead of a new client and connection per request.
                .httpClient(ConnectionPool.config(timeoutMillis));
        this.config = config;
        List<Filter> chain = new ArrayList<>(options.checks());
        chain.add(new SigningFilter(credentials, options.clock(), forgery));
        chain.add(new EvidenceFilter(options.evidence()));
        this.filters = List.copyOf(chain);
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
        RequestSpecification spec = spec(Map.of());
        files.forEach((name, content) -> spec.multiPart(partName, name, content));
        return execute(started, spec, "POST", path);
    }

    /** Sends one signed request; a JSON body is serialised with Jackson. */
    public ApiResult send(String method, String path, Map<String, ?> query, Object jsonBody) {
        long started = System.nanoTime();
        RequestSpecification spec = spec(query);
        if (jsonBody != null) {
            spec.contentType("application/json").body(toJson(jsonBody));
        }
        return execute(started, spec, method, path);
    }

    private RequestSpecification spec(Map<String, ?> query) {
        // given() and a few setters: cheaper than merging a prebuilt specification (measured).
        RequestSpecification spec = RestAssured.given()
                .config(config)
                .baseUri(endpoint.toString())
                .filters(filters);
        if (!query.isEmpty()) {
            spec.queryParams(query);
        }
        return spec;
    }

    /** Sends the request; its whole cost, from {@code started} to the body read, goes to the timer. */
    private ApiResult execute(long started, RequestSpecification spec, String method, String path) {
        String call = method + " " + path;
        Response response;
        try {
            response = spec.request(method, path);
        } catch (Exception e) {
            options.timer().request(System.nanoTime() - started);
            throw unreachable(e);
        }
        ApiResult result = new ApiResult(call, response.getStatusCode(), response.getContentType(),
                response.asByteArray());
        options.timer().request(System.nanoTime() - started);
        return result;
    }

    private ManagerUnreachable unreachable(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root != root.getCause()) {
            root = root.getCause();
        }
        if (!(root instanceof IOException) && e instanceof RuntimeException runtime) {
            throw runtime;
        }
        String reason = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
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
