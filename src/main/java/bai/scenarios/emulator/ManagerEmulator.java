package bai.scenarios.emulator;

import bai.scenarios.emulator.api.AdminApi;
import bai.scenarios.emulator.api.AuthApi;
import bai.scenarios.emulator.api.ResourcePolicyApi;
import bai.scenarios.emulator.api.SchedulingHistoryApi;
import bai.scenarios.emulator.api.EventsApi;
import bai.scenarios.emulator.api.ManagerApi;
import bai.scenarios.emulator.api.ResourceApi;
import bai.scenarios.emulator.api.StreamApi;
import bai.scenarios.emulator.api.SessionApi;
import bai.scenarios.emulator.api.SpecApi;
import bai.scenarios.emulator.api.ServiceApi;
import bai.scenarios.emulator.serving.ModelServices;
import bai.scenarios.emulator.api.TemplateApi;
import bai.scenarios.emulator.sessions.Agent;
import bai.scenarios.emulator.sessions.KernelHost;
import bai.scenarios.emulator.sessions.ResourceReports;
import bai.scenarios.emulator.sessions.SessionService;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.sessions.TimingProfile;
import bai.scenarios.emulator.graphql.AdminGraphQL;
import bai.scenarios.emulator.api.RootApi;
import bai.scenarios.emulator.auth.KeypairAuthenticator;
import bai.scenarios.emulator.auth.SshKeypairs;
import bai.scenarios.emulator.http.HttpFront;
import bai.scenarios.emulator.http.ManagerPipeline;
import bai.scenarios.emulator.http.ManagerStatus;
import bai.scenarios.emulator.http.RateLimiter;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.state.BootstrapData;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.StateLock;
import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.vfolders.VFolders;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-repo stand-in for a Backend.AI manager: an Undertow server on a loopback address that
 * speaks the manager's wire protocol. Start it with {@link #start}; close it to stop it. See the
 * package documentation for its threads and its one state lock.
 */
public final class ManagerEmulator implements AutoCloseable {
    /** Strong references, so the quieted loggers are not collected and reset. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.xnio"), Logger.getLogger("io.undertow"),
            Logger.getLogger("org.jboss.threads"));
    private static final Logger LOG = Logger.getLogger(ManagerEmulator.class.getName());
    /** The largest body any route reads (session uploads); each route has its own, smaller, limit. */
    private static final long MAX_BODY_BYTES = 32L * 1024 * 1024;
    private static final int MAX_HEAD_BYTES = 8190;
    private static final Duration SERVER_STOP_GRACE = Duration.ofSeconds(3);
    /**
     * Kernel runners kept warm ({@code bai.emulator.kernel-pool}, 0: none): enough for the sessions
     * a parallel run starts at once; an idle runner costs ~10 MB and no CPU.
     */
    static final int KERNEL_POOL = 4;

    private final Undertow server;
    private final URI endpoint;
    private final BootstrapData bootstrap;
    private final Optional<SpecApi.Document> openApiSpec;
    private final Sessions sessions;
    private final KernelHost kernels;
    private final Background background;
    private final VFolders vfolders;
    private ModelServices services;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ManagerEmulator(Undertow server, URI endpoint, BootstrapData bootstrap, Optional<SpecApi.Document> openApiSpec,
                            Sessions sessions, KernelHost kernels, Background background, VFolders vfolders) {
        this.server = server;
        this.openApiSpec = openApiSpec;
        this.sessions = sessions;
        this.endpoint = endpoint;
        this.bootstrap = bootstrap;
        this.kernels = kernels;
        this.background = background;
        this.vfolders = vfolders;
    }

    /**
     * Starts an emulator on {@code host:port} ({@code port} 0 picks a free one). OpenAPI
     * introspection is on when the system property {@code bai.emulator.openapi-spec} names the
     * document to publish, and off (as on a production manager) otherwise.
     *
     * @throws IllegalArgumentException if {@code host} is not a loopback address, or the OpenAPI
     *     document cannot be read
     */
    public static ManagerEmulator start(String host, int port) {
        return start(host, port, Optional.ofNullable(System.getProperty(SpecApi.SETTING))
                .map(String::trim).filter(value -> !value.isEmpty()).map(Path::of));
    }

    /**
     * Starts an emulator that publishes {@code openApiSpec} at {@code GET /spec/openapi/spec.json}
     * (the manager's {@code allow-openapi-schema-introspection} on), or answers there with the
     * manager's {@code 403} when it is empty.
     *
     * @throws IllegalArgumentException if {@code host} is not a loopback address, or the document
     *     cannot be read or is not an OpenAPI document
     */
    public static ManagerEmulator start(String host, int port, Optional<Path> openApiSpec) {
        return start(host, port, openApiSpec, VFolders.Settings.fromSystemProperties());
    }

    /**
     * As {@link #start(String, int, Optional)}, with the virtual folders' settings given (data root,
     * storage proxy port, token lifetime) instead of read from the system properties.
     */
    public static ManagerEmulator start(String host, int port, Optional<Path> openApiSpec, VFolders.Settings storage) {
        requireLoopback(host);
        Optional<SpecApi.Document> spec = openApiSpec.map(SpecApi::load);
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
        BootstrapData bootstrap = BootstrapData.load();
        StateLock state = new StateLock();
        Directory directory = new Directory(bootstrap, state);
        Clock clock = Clock.systemUTC();
        Background background = new Background(4);
        KernelHost kernels = new KernelHost(System.getProperty("bai.emulator.python", "python3"), kernelLimits(),
                background, Integer.getInteger("bai.emulator.kernel-pool", KERNEL_POOL));
        kernels.prepare();
        Sessions sessions = new Sessions(state, defaultAgents(),
                TimingProfile.named(System.getProperty("bai.emulator.timing")), kernels, background);
        VFolders vfolders;
        try {
            vfolders = VFolders.start(state, directory, background, host, storage);
        } catch (RuntimeException e) {
            sessions.close();
            kernels.close();
            background.close();
            throw e;
        }
        vfolders.registry().mountLookup(sessions::sessionsMounting);
        Router router = new Router();
        RootApi.register(router);
        AuthApi.register(router, directory, new SshKeypairs(), background.agents());
        SessionService sessionService = new SessionService(sessions, directory,
                bootstrap.document().path("session_templates"), vfolders.mounts());
        SessionApi.register(router, sessionService);
        ModelServices services = new ModelServices(sessions, directory, sessionService, vfolders.mounts(), background,
                kernels::interpreter, kernels.workdir(java.util.UUID.randomUUID()).getParent().resolveSibling("serving"));
        ServiceApi.register(router, services);
        // The GraphQL schema (parsing and wiring the SDL: most of a start's CPU) is built on its own
        // thread; /admin/gql answers once it is there, without holding a request worker meanwhile.
        CompletableFuture<AdminGraphQL> graphQL = new CompletableFuture<>();
        VFolders folders = vfolders;
        Background.daemon("emulator-graphql-schema").newThread(() -> {
            try {
                graphQL.complete(new AdminGraphQL(directory, sessions, folders.admin(),
                        bootstrap.document().path("resource_presets"), services));
            } catch (Throwable failure) {
                LOG.log(Level.SEVERE, "the GraphQL schema could not be built; /admin/gql will fail", failure);
                graphQL.completeExceptionally(failure);
            }
        }).start();
        AdminApi.register(router, graphQL);
        TemplateApi.register(router, sessionService);
        SchedulingHistoryApi.register(router, sessions);
        ResourcePolicyApi.register(router, directory);
        EventsApi.register(router, sessions, directory, vfolders.tasks());
        vfolders.register(router);
        StreamApi.register(router, sessions);
        ResourceApi.register(router, new ResourceReports(sessions, directory, bootstrap.document(), clock));
        SpecApi.register(router, spec);
        ManagerStatus managerStatus = new ManagerStatus();
        AtomicReference<String> serviceAddress = new AtomicReference<>(host + ":" + port);
        ManagerApi.register(router, managerStatus, sessions::countActive, serviceAddress::get);
        ManagerPipeline pipeline = new ManagerPipeline(router, new KeypairAuthenticator(directory, clock),
                new RateLimiter(clock), managerStatus);

        Undertow server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(2)
                .setWorkerThreads(16)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
                // aiohttp's parser refuses a request line or header field over 8190 bytes (400); Undertow
                // bounds the whole head (1 MiB by default): the same bound, for the head as a whole.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEAD_BYTES)
                .setHandler(new HttpFront(pipeline))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            sessions.close();
            kernels.close();
            background.close();
            vfolders.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        String authority = bound.getAddress().getHostAddress();
        if (authority.contains(":")) {
            authority = "[" + authority + "]";
        }
        serviceAddress.set(authority + ":" + bound.getPort());
        ManagerEmulator emulator = new ManagerEmulator(server, URI.create("http://" + authority + ":" + bound.getPort()),
                bootstrap, spec, sessions, kernels, background, vfolders);
        emulator.services = services;
        return emulator;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The accounts the emulator booted with. */
    public BootstrapData bootstrap() {
        return bootstrap;
    }

    /** The storage proxy's client API base URL (where upload and download sessions go). */
    public URI storageProxyEndpoint() {
        return URI.create(vfolders.storageProxyUrl());
    }

    /** The emulator's data root: the virtual folders' files live below it (removed on close). */
    public Path dataRoot() {
        return vfolders.dataRoot();
    }

    /** Model serving (its replica processes, for tests). */
    public ModelServices services() {
        return services;
    }

    /** The OpenAPI document it publishes, if introspection is on. */
    public Optional<SpecApi.Document> openApiSpec() {
        return openApiSpec;
    }

    /**
     * Stops everything within a few seconds, whatever state it is in: the scheduler, every kernel
     * process (killed, not asked), then the server (given a short grace, then abandoned: its
     * threads are daemons). Takes no state lock, so nothing a request holds can block it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        services.close();
        sessions.close();
        kernels.close();
        background.close();
        // Both servers stop at once; each gets the grace, and both together no more than that.
        Thread stopper = Background.daemon("emulator-stop").newThread(server::stop);
        Thread proxyStopper = Background.daemon("emulator-stop").newThread(vfolders.stopper(SERVER_STOP_GRACE));
        stopper.start();
        proxyStopper.start();
        long deadline = System.nanoTime() + SERVER_STOP_GRACE.toNanos();
        try {
            stopper.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            proxyStopper.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.warning("the HTTP server did not stop within " + SERVER_STOP_GRACE.toSeconds() + " s; leaving it");
        }
        // Task streams end, and the data root (every folder's files) goes.
        vfolders.close();
    }

    private static KernelHost.Limits kernelLimits() {
        KernelHost.Limits defaults = KernelHost.Limits.DEFAULT;
        return new KernelHost.Limits(
                Duration.ofSeconds(Long.getLong("bai.emulator.kernel-start-timeout-seconds",
                        defaults.startTimeout().toSeconds())),
                Long.getLong("bai.emulator.kernel-memory-mib", defaults.memoryBytes() / 1024 / 1024) * 1024 * 1024,
                Long.getLong("bai.emulator.kernel-cpu-seconds", defaults.cpuSeconds()),
                defaults.logCap(), defaults.consoleCap());
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
