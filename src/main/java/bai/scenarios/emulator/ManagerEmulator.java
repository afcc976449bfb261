package bai.scenarios.emulator;

import bai.scenarios.emulator.api.AdminApi;
import bai.scenarios.emulator.api.AuthApi;
import bai.scenarios.emulator.api.EventsApi;
import bai.scenarios.emulator.api.SessionApi;
import bai.scenarios.emulator.api.TemplateApi;
import bai.scenarios.emulator.sessions.Agent;
import bai.scenarios.emulator.sessions.SessionService;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.sessions.TimingProfile;
import bai.scenarios.emulator.graphql.AdminGraphQL;
import bai.scenarios.emulator.api.RootApi;
import bai.scenarios.emulator.auth.KeypairAuthenticator;
import bai.scenarios.emulator.http.ApiRequest;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.ManagerPipeline;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.RateLimiter;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.state.BootstrapData;
import bai.scenarios.emulator.state.Directory;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-repo stand-in for a Backend.AI manager: an Undertow server on a loopback address that
 * speaks the manager's wire protocol. Start it with {@link #start}; close it to stop it.
 */
public final class ManagerEmulator implements AutoCloseable {
    /** Strong references, so the quieted loggers are not collected and reset. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.xnio"), Logger.getLogger("io.undertow"),
            Logger.getLogger("org.jboss.threads"));
    private static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

    private final Undertow server;
    private final URI endpoint;
    private final BootstrapData bootstrap;
    private final Sessions sessions;

    private ManagerEmulator(Undertow server, URI endpoint, BootstrapData bootstrap, Sessions sessions) {
        this.server = server;
        this.sessions = sessions;
        this.endpoint = endpoint;
        this.bootstrap = bootstrap;
    }

    /**
     * Starts an emulator on {@code host:port} ({@code port} 0 picks a free one).
     *
     * @throws IllegalArgumentException if {@code host} is not a loopback address
     */
    public static ManagerEmulator start(String host, int port) {
        requireLoopback(host);
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
        BootstrapData bootstrap = BootstrapData.load();
        Directory directory = new Directory(bootstrap);
        Clock clock = Clock.systemUTC();
        Router router = new Router();
        RootApi.register(router);
        AuthApi.register(router, directory);
        Sessions sessions = new Sessions(defaultAgents(), TimingProfile.named(System.getProperty("bai.emulator.timing")));
        AdminApi.register(router, new AdminGraphQL(directory, sessions));
        SessionService sessionService = new SessionService(sessions, directory,
                bootstrap.document().path("session_templates"));
        SessionApi.register(router, sessionService);
        TemplateApi.register(router, sessionService);
        EventsApi.register(router, sessions);
        ManagerPipeline pipeline = new ManagerPipeline(router, new KeypairAuthenticator(directory, clock),
                new RateLimiter(clock));

        Undertow server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(2)
                .setWorkerThreads(32)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
                .setHandler(new BlockingHandler(exchange -> serve(pipeline, exchange)))
                .build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        String authority = bound.getAddress().getHostAddress();
        if (authority.contains(":")) {
            authority = "[" + authority + "]";
        }
        return new ManagerEmulator(server, URI.create("http://" + authority + ":" + bound.getPort()), bootstrap,
                sessions);
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The accounts the emulator booted with. */
    public BootstrapData bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        sessions.close();
        server.stop();
    }

    /**
     * The agents of the default scaling group: {@code bai.emulator.agents} of them (2), each with
     * {@code bai.emulator.agent-cpu} cores (4) and {@code bai.emulator.agent-mem-gib} GiB (8).
     */
    private static List<Agent> defaultAgents() {
        int count = Integer.getInteger("bai.emulator.agents", 2);
        BigDecimal cpu = new BigDecimal(System.getProperty("bai.emulator.agent-cpu", "4"));
        BigInteger mem = BigInteger.valueOf(Long.getLong("bai.emulator.agent-mem-gib", 8L) * 1024 * 1024 * 1024);
        List<Agent> agents = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            agents.add(new Agent("i-emulated-agent-" + i, cpu, mem));
        }
        return agents;
    }

    private static void serve(ManagerPipeline pipeline, HttpServerExchange exchange) throws IOException {
        ApiResponse response;
        try {
            response = pipeline.handle(toApiRequest(exchange));
        } catch (IOException unreadableBody) {
            response = ApiResponse.problem(Problems.requestTooLarge("The request body could not be read: "
                    + unreadableBody.getMessage()));
        }
        exchange.setStatusCode(response.status());
        exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), response.contentType());
        response.headers().forEach((name, value) ->
                exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        if (response.streamer() != null) {
            try (OutputStream out = exchange.getOutputStream()) {
                response.streamer().stream(out);
            } catch (IOException clientLeft) {
                // the subscriber disconnected: nothing more to send
            }
            return;
        }
        exchange.setResponseContentLength(response.body().length);
        try (OutputStream out = exchange.getOutputStream()) {
            out.write(response.body());
        }
    }

    private static ApiRequest toApiRequest(HttpServerExchange exchange) throws IOException {
        byte[] body = exchange.getInputStream().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString(), values.getFirst());
        }
        String target = exchange.getRequestURI();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            target = URI.create(target).getRawPath();
        }
        String remote = exchange.getSourceAddress() == null ? null
                : exchange.getSourceAddress().getAddress().getHostAddress();
        return new ApiRequest(exchange.getRequestMethod().toString(), target, exchange.getQueryString(), headers, body,
                remote);
    }

    private static void requireLoopback(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException("the emulator binds to loopback addresses only, not " + host);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }
}
