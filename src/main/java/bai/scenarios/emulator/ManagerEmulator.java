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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The in-repo stand-in for a Backend.AI manager: an Undertow server on a loopback address that
 * speaks the manager's wire protocol. Start it with {@link #start}; close it to stop it. See the
 * package documentation for its threads and its one state lock.
 *
 * <h2>Start</h2>
 *
 * <p>{@link #start} returns as soon as both servers listen, and the rest of the start (the
 * bootstrap accounts, the state, the kernel host, the routes: most of a cold start's class
 * loading) runs meanwhile on the initialisation thread ({@code emulator-init}), on the other core.
 * That is safe because nothing can observe a half-built emulator:
 * <ul>
 *   <li>a request that arrives first waits, holding no thread, until the initialisation has
 *       finished <i>and</i> the starting thread has published the servers' addresses; it is then
 *       handled as any other ({@code http.HttpFront}: one future, completed once, never reset);</li>
 *   <li>the accessors of what the initialisation builds ({@link #bootstrap()}, {@link #services()})
 *       wait for it too; {@link #awaitReady()} waits for all of it;</li>
 *   <li>if the initialisation fails, it closes what it had made, logs the failure, and every
 *       request is answered with a 500 naming it; {@link #awaitReady()} and those accessors throw
 *       it. A failure of the starting thread (a port in use) still fails {@link #start} itself,
 *       after the initialisation has ended and been closed;</li>
 *   <li>{@link #close()} waits for the initialisation to end (it waits for nothing but the storage
 *       proxy, which the starting thread has started or failed by then), then closes everything.</li>
 * </ul>
 * The two threads share only futures: the starting thread hands over the started storage proxy,
 * the initialisation thread hands back the built pipeline. Where each start spent its time is
 * recorded in {@link #startPhases()} and {@link #initPhases()}.
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

    /** What the initialisation thread builds: everything that needs the manager state. */
    private record Parts(Sessions sessions, KernelHost kernels, VFolders vfolders, ModelServices services,
                         ManagerPipeline pipeline, StartPhases phases) {
    }

    private final Undertow server;
    private final HttpFront front;
    private final URI endpoint;
    private final Optional<SpecApi.Document> openApiSpec;
    private final Background background;
    private final VFolders.Storage storage;
    private final CompletableFuture<BootstrapData> bootstrap;
    private final CompletableFuture<Parts> parts;
    /** Completes once requests are handled: the initialisation is done and the addresses are published. */
    private final CompletableFuture<ManagerPipeline> ready;
    private final StartPhases startPhases;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ManagerEmulator(Undertow server, HttpFront front, URI endpoint, Optional<SpecApi.Document> openApiSpec,
                            Background background,
                            VFolders.Storage storage, CompletableFuture<BootstrapData> bootstrap,
                            CompletableFuture<Parts> parts, CompletableFuture<ManagerPipeline> ready,
                            StartPhases startPhases) {
        this.server = server;
        this.front = front;
        this.endpoint = endpoint;
        this.openApiSpec = openApiSpec;
        this.background = background;
        this.storage = storage;
        this.bootstrap = bootstrap;
        this.parts = parts;
        this.ready = ready;
        this.startPhases = startPhases;
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
     * storage proxy port, token lifetime) instead of read from the system properties. Returns once
     * both servers listen; see the class documentation for what follows on the initialisation
     * thread and why a request can never see it unfinished.
     */
    public static ManagerEmulator start(String host, int port, Optional<Path> openApiSpec,
                                        VFolders.Settings storageSettings) {
        return start(host, port, openApiSpec, storageSettings, phase -> { });
    }

    /**
     * As {@link #start(String, int, Optional, VFolders.Settings)}, calling {@code initHook} on the
     * initialisation thread as each of its phases ends (tests hold or fail the initialisation there).
     */
    static ManagerEmulator start(String host, int port, Optional<Path> openApiSpec, VFolders.Settings storageSettings,
                                 Consumer<String> initHook) {
        StartPhases phases = new StartPhases();
        requireLoopback(host);
        Optional<SpecApi.Document> spec = openApiSpec.map(SpecApi::load);
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
        Background background = new Background(4);
        phases.mark("checks, threads");

        CompletableFuture<VFolders.Storage> storageStarted = new CompletableFuture<>();
        CompletableFuture<BootstrapData> bootstrap = new CompletableFuture<>();
        CompletableFuture<Parts> parts = new CompletableFuture<>();
        AtomicReference<String> serviceAddress = new AtomicReference<>(host + ":" + port);
        Background.daemon("emulator-init").newThread(() -> {
            try {
                parts.complete(initialise(new StartPhases(phases.began(), initHook), background, spec,
                        storageStarted, bootstrap, serviceAddress::get));
            } catch (Throwable failure) {
                LOG.log(Level.SEVERE, "the emulator's initialisation failed; every request is answered with a 500"
                        + " naming it", failure);
                bootstrap.completeExceptionally(failure); // if it failed before the bootstrap data was read
                parts.completeExceptionally(failure);
            }
        }).start();
        // Requests are handled once the initialisation is done and the addresses below are published.
        CompletableFuture<Void> listening = new CompletableFuture<>();
        CompletableFuture<ManagerPipeline> ready = parts.thenCombine(listening, (built, published) -> built.pipeline());
        phases.mark("initialisation thread");

        HttpFront front = new HttpFront(ready);
        Undertow server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(2)
                .setWorkerThreads(16)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
                // aiohttp's parser refuses a request line or header field over 8190 bytes (400); Undertow
                // bounds the whole head (1 MiB by default): the same bound, for the head as a whole.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEAD_BYTES)
                .setHandler(front)
                .build();
        boolean serverStarted = false;
        VFolders.Storage storage = null;
        try {
            server.start();
            serverStarted = true;
            phases.mark("manager server");
            storage = VFolders.Storage.start(background, host, storageSettings);
            storageStarted.complete(storage);
            phases.mark("storage proxy");
        } catch (RuntimeException | Error e) {
            storageStarted.completeExceptionally(e);
            listening.completeExceptionally(e);
            // The initialisation ends at once (the storage it waits for has failed); close what it made.
            Parts built = parts.handle((ok, failure) -> ok).join();
            if (built != null) {
                closeParts(built);
                built.vfolders().close();
            }
            if (serverStarted) {
                server.stop();
            }
            if (storage != null) {
                storage.close();
            }
            background.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        String authority = bound.getAddress().getHostAddress();
        if (authority.contains(":")) {
            authority = "[" + authority + "]";
        }
        serviceAddress.set(authority + ":" + bound.getPort());
        listening.complete(null);
        ManagerEmulator emulator = new ManagerEmulator(server, front, URI.create("http://" + authority + ":"
                + bound.getPort()), spec, background, storage, bootstrap, parts, ready, phases);
        phases.mark("published");
        return emulator;
    }

    /**
     * The initialisation thread's part of a start: everything that needs the manager state. On a
     * failure it closes what it had made before rethrowing, so the caller only reports it.
     */
    private static Parts initialise(StartPhases phases, Background background, Optional<SpecApi.Document> spec,
                                    CompletableFuture<VFolders.Storage> storageStarted,
                                    CompletableFuture<BootstrapData> bootstrapped, Supplier<String> serviceAddress) {
        Deque<AutoCloseable> made = new ArrayDeque<>();
        try {
            BootstrapData bootstrap = BootstrapData.load();
            bootstrapped.complete(bootstrap);
            phases.mark("bootstrap data");
            StateLock state = new StateLock();
            Directory directory = new Directory(bootstrap, state);
            Clock clock = Clock.systemUTC();
            KernelHost kernels = new KernelHost(System.getProperty("bai.emulator.python", "python3"), kernelLimits(),
                    background, Integer.getInteger("bai.emulator.kernel-pool", KERNEL_POOL));
            made.push(kernels);
            kernels.prepare();
            phases.mark("kernel host");
            Sessions sessions = new Sessions(state, defaultAgents(),
                    TimingProfile.named(System.getProperty("bai.emulator.timing")), kernels, background);
            made.push(sessions);
            phases.mark("sessions");
            VFolders vfolders = VFolders.attach(state, directory, background, storageStarted.join());
            made.push(vfolders);
            vfolders.registry().mountLookup(sessions::sessionsMounting);
            phases.mark("folders");
            Router router = new Router();
            RootApi.register(router);
            AuthApi.register(router, directory, new SshKeypairs(), background.agents());
            SessionService sessionService = new SessionService(sessions, directory,
                    bootstrap.document().path("session_templates"), vfolders.mounts());
            SessionApi.register(router, sessionService);
            ModelServices services = new ModelServices(sessions, directory, sessionService, vfolders.mounts(),
                    background, kernels::startScript,
                    kernels.workdir(java.util.UUID.randomUUID()).getParent().resolveSibling("serving"));
            made.push(services);
            ServiceApi.register(router, services);
            phases.mark("routes: auth, sessions, services");
            // The GraphQL schema is built on a thread of its own; /admin/gql answers once it is there,
            // without holding a worker. The JVM's first build parses and wires the SDL (the largest single
            // piece of a cold start); later emulators reuse those types and wire only their data fetchers.
            CompletableFuture<AdminGraphQL> graphQL = new CompletableFuture<>();
            Background.daemon("emulator-graphql-schema").newThread(() -> {
                try {
                    graphQL.complete(new AdminGraphQL(directory, sessions, vfolders.admin(),
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
            ManagerApi.register(router, managerStatus, sessions::countActive, serviceAddress);
            ManagerPipeline pipeline = new ManagerPipeline(router, new KeypairAuthenticator(directory, clock),
                    new RateLimiter(clock), managerStatus);
            phases.mark("routes: the rest, pipeline");
            return new Parts(sessions, kernels, vfolders, services, pipeline, phases);
        } catch (RuntimeException | Error failure) {
            while (!made.isEmpty()) {
                try {
                    made.pop().close();
                } catch (Exception | Error closing) {
                    failure.addSuppressed(closing);
                }
            }
            throw failure;
        }
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The accounts the emulator booted with; waits until they are read (the first step of the
     * initialisation).
     *
     * @throws IllegalStateException if the initialisation failed before
     */
    public BootstrapData bootstrap() {
        return awaitStart(bootstrap);
    }

    /**
     * Waits until requests are handled (the initialisation is done). Requests need not wait for
     * this: one that arrives first waits by itself.
     *
     * @throws IllegalStateException naming the failure, if the initialisation failed
     */
    public void awaitReady() {
        awaitStart(ready);
    }

    /**
     * Completes once requests are handled, or with the initialisation's failure (a copy:
     * completing it changes nothing).
     */
    public CompletableFuture<Void> ready() {
        return ready.thenApply(pipeline -> null);
    }

    /** Where {@link #start} spent its time on the starting thread (a measurement; see {@link StartPhases}). */
    public StartPhases startPhases() {
        return startPhases;
    }

    /**
     * Where the initialisation thread spent its time, from the start's beginning to its end
     * (waits for it; see {@link StartPhases}).
     *
     * @throws IllegalStateException if the initialisation failed
     */
    public StartPhases initPhases() {
        return awaitStart(parts).phases();
    }

    /** The agents' kernel starts so far: warm (from the pool) or cold, and how pooled runners started. */
    public KernelHost.PoolStats kernelPoolStats() {
        return awaitStart(parts).kernels().poolStats();
    }

    /** Requests waiting for the start to finish, now (for tests). */
    int requestsWaitingForStart() {
        return front.waitingForStart();
    }

    /** The storage proxy's client API base URL (where upload and download sessions go). */
    public URI storageProxyEndpoint() {
        return URI.create(storage.proxyUrl());
    }

    /** The emulator's data root: the virtual folders' files live below it (removed on close). */
    public Path dataRoot() {
        return storage.dataRoot();
    }

    /**
     * Model serving (its replica processes, for tests); waits for the initialisation.
     *
     * @throws IllegalStateException if the initialisation failed
     */
    public ModelServices services() {
        return awaitStart(parts).services();
    }

    /** The OpenAPI document it publishes, if introspection is on. */
    public Optional<SpecApi.Document> openApiSpec() {
        return openApiSpec;
    }

    private static <T> T awaitStart(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the emulator failed to start: " + cause, cause);
        }
    }

    /**
     * Stops everything within a few seconds, whatever state it is in: waits for the initialisation
     * to end (it waits for nothing the caller could hold), then the scheduler, every kernel process
     * (killed, not asked), then the servers (given a short grace, then abandoned: their threads are
     * daemons). Takes no state lock, so nothing a request holds can block it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Parts built = parts.handle((ok, failure) -> ok).join();
        if (built != null) {
            closeParts(built);
        }
        background.close();
        // Both servers stop at once; each gets the grace, and both together no more than that.
        Thread stopper = Background.daemon("emulator-stop").newThread(server::stop);
        Thread proxyStopper = Background.daemon("emulator-stop").newThread(storage.stopper(SERVER_STOP_GRACE));
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
        if (built != null) {
            built.vfolders().close();
        }
        storage.close();
    }

    /** Model serving, the scheduler and every kernel, in that order (as {@link #close} has always stopped them). */
    private static void closeParts(Parts built) {
        built.services().close();
        built.sessions().close();
        built.kernels().close();
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
