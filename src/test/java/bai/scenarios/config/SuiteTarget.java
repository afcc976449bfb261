package bai.scenarios.config;

import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.ManagerInfoApi.ManagerVersion;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Exchange;
import bai.scenarios.client.transport.RequestCheck;
import bai.scenarios.contract.ContractCheck;
import bai.scenarios.contract.GraphQlContract;
import bai.scenarios.contract.OpenApiContract;
import bai.scenarios.emulator.ManagerEmulator;
import bai.scenarios.emulator.StartPhases;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.timing.PhaseTimer;
import bai.scenarios.timing.ResourceSampler;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The manager the whole run talks to, started once before the first scenario and stopped after
 * the last: either the configured endpoint, or an embedded emulator on a free loopback port.
 * This is the suite's only shared state; scenarios get clients from it and keep their own state
 * in PicoContainer world objects.
 */
public final class SuiteTarget {
    private static SuiteTarget current;

    private final SuiteConfig config;
    private final URI endpoint;
    private final Credentials credentials;
    private final ManagerVersion version;
    private final ManagerEmulator emulator;
    private final long emulatorStartMillis;
    private final long readyMillis;
    private final long readyCpuMillis;
    private final List<RequestCheck> checks;
    private final String contractNotice;
    private final AtomicLong requests = new AtomicLong();

    private SuiteTarget(SuiteConfig config, URI endpoint, Credentials credentials, ManagerVersion version,
                        ManagerEmulator emulator, long emulatorStartMillis, long readyMillis, long readyCpuMillis,
                        List<RequestCheck> checks, String contractNotice) {
        this.config = config;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.version = version;
        this.emulator = emulator;
        this.emulatorStartMillis = emulatorStartMillis;
        this.readyMillis = readyMillis;
        this.readyCpuMillis = readyCpuMillis;
        this.checks = checks;
        this.contractNotice = contractNotice;
    }

    /** Starts (once) the target the configuration names and runs the preflight against it. */
    public static synchronized SuiteTarget start(SuiteConfig config) {
        if (current != null) {
            return current;
        }
        // Contract files are read before anything starts, so a bad one fails at once.
        OpenApiContract openApiFile = config.openApiContract().filter(OpenApiSource.File.class::isInstance)
                .map(source -> OpenApiContract.load(((OpenApiSource.File) source).path())).orElse(null);
        GraphQlContract graphQl = config.graphQlContract().map(GraphQlContract::load).orElse(null);

        ManagerEmulator emulator = null;
        long startMillis = 0;
        long started = System.nanoTime();
        long cpuBefore = ResourceSampler.processCpuMillis();
        URI endpoint;
        Credentials credentials;
        if (config.endpoint().isPresent()) {
            endpoint = config.endpoint().get();
            credentials = config.credentials().orElseThrow();
        } else {
            ManagerEmulator embedded;
            try {
                embedded = ManagerEmulator.start("127.0.0.1", 0);
            } catch (IllegalArgumentException e) {
                throw new PreflightFailure("Preflight failed: the embedded emulator did not start: " + e.getMessage()
                        + ".");
            }
            // An interrupted run (Ctrl+C, SIGTERM) still ends every kernel the emulator started.
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "bai-emulator-shutdown"));
            startMillis = (System.nanoTime() - started) / 1_000_000;
            emulator = embedded;
            endpoint = embedded.endpoint();
            try {
                // Waits for the bootstrap accounts (the first step of the emulator's initialisation).
                credentials = config.credentials().orElseGet(() -> superadminKeypair(embedded));
            } catch (IllegalStateException e) {
                embedded.close();
                throw new PreflightFailure("Preflight failed: " + e.getMessage() + ".");
            }
        }
        try {
            // The emulator may still be initialising: its answers wait for that, never come from it half-built.
            ManagerVersion version = Preflight.check(endpoint, credentials);
            long readyMillis = (System.nanoTime() - started) / 1_000_000;
            long cpuAfter = ResourceSampler.processCpuMillis();
            long readyCpuMillis = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
            OpenApiContract openApi = openApiFile;
            if (config.openApiContract().orElse(null) instanceof OpenApiSource.Target) {
                openApi = PublishedOpenApi.fetch(endpoint, credentials, config.httpTimeout(), emulator != null);
            }
            List<RequestCheck> checks = openApi == null && graphQl == null ? List.of()
                    : List.of(new ContractCheck(openApi, graphQl));
            current = new SuiteTarget(config, endpoint, credentials, version, emulator, startMillis, readyMillis,
                    readyCpuMillis, checks, contractNotice(config, openApi, graphQl));
            return current;
        } catch (RuntimeException e) {
            if (emulator != null) {
                emulator.close();
            }
            throw e;
        }
    }

    /** One line: whether each half of the contract check is on, and from where. */
    static String contractNotice(SuiteConfig config, OpenApiContract openApi, GraphQlContract graphQl) {
        if (openApi == null && graphQl == null) {
            return "Contract check: off (set bai.contract.openapi and bai.contract.graphql to the manager's"
                    + " openapi.json and schema.graphql to turn it on)";
        }
        OpenApiSource source = config.openApiContract().orElse(null);
        String rest = "REST off";
        if (source instanceof OpenApiSource.File file) {
            rest = "REST " + file.path().getFileName();
        } else if (source instanceof OpenApiSource.Target && openApi != null) {
            rest = "REST from the target: GET " + PublishedOpenApi.PATH + ", " + openApi.title();
        }
        return "Contract check: on (" + rest + ", "
                + config.graphQlContract().map(p -> "GraphQL " + p.getFileName()).orElse("GraphQL off") + ")";
    }

    /** The started target; fails if the suite hooks did not start one. */
    public static synchronized SuiteTarget current() {
        if (current == null) {
            throw new IllegalStateException("no target: the suite's @BeforeAll hook has not run");
        }
        return current;
    }

    public static synchronized Optional<SuiteTarget> started() {
        return Optional.ofNullable(current);
    }

    /** Stops an embedded emulator; the run's facts stay readable for the end-of-run report. */
    public static synchronized void stop() {
        if (current != null && current.emulator != null) {
            current.emulator.close();
        }
    }

    /** A client for a keypair on this target, recording exchanges into {@code evidence}. */
    public ManagerClient client(Credentials keypair, Consumer<Exchange> evidence) {
        return client(keypair, evidence, PhaseTimer.NONE);
    }

    /** A client that also times its requests and session phases on {@code timer} (the scenario's clock). */
    public ManagerClient client(Credentials keypair, Consumer<Exchange> evidence, PhaseTimer timer) {
        Consumer<Exchange> counted = exchange -> {
            requests.incrementAndGet();
            evidence.accept(exchange);
        };
        return new ManagerClient(endpoint, keypair, new ClientOptions(Clock.systemUTC(), checks, counted,
                config.httpTimeout(), timer, config.transport().transport()));
    }

    /** The keypair the run was configured with (the halfstack superadmin on the emulator). */
    public Credentials configuredCredentials() {
        return credentials;
    }

    public boolean isEmulator() {
        return emulator != null;
    }

    public URI endpoint() {
        return endpoint;
    }

    public ManagerVersion version() {
        return version;
    }

    public SuiteConfig config() {
        return config;
    }

    public long emulatorStartMillis() {
        return emulatorStartMillis;
    }

    /**
     * From starting the target (the embedded emulator, if any) to a passed preflight: the emulator's
     * start, the rest of its initialisation where the preflight had to wait for it, and the
     * preflight's own two calls (with the client's first use).
     */
    public long readyMillis() {
        return readyMillis;
    }

    /**
     * The CPU time the whole test JVM spent meanwhile (every thread: the emulator's initialisation
     * too), -1 if unknown: steadier than {@link #readyMillis()} on a busy machine.
     */
    public long readyCpuMillis() {
        return readyCpuMillis;
    }

    /** Where the embedded emulator's start spent its time on the starting thread (empty for a configured manager). */
    public Optional<StartPhases> emulatorStartPhases() {
        return Optional.ofNullable(emulator).map(ManagerEmulator::startPhases);
    }

    /**
     * Where the embedded emulator's initialisation thread spent its time, from the start's
     * beginning (empty for a configured manager; the preflight passed, so it has finished).
     */
    public Optional<StartPhases> emulatorInitPhases() {
        return Optional.ofNullable(emulator).map(ManagerEmulator::initPhases);
    }

    /** The embedded emulator's kernel starts so far (empty for a configured manager). */
    public Optional<bai.scenarios.emulator.sessions.KernelHost.PoolStats> emulatorKernelPool() {
        return Optional.ofNullable(emulator).map(ManagerEmulator::kernelPoolStats);
    }

    public long requestCount() {
        return requests.get();
    }

    public String contractNotice() {
        return contractNotice;
    }

    /** One line for the console and the report, e.g. "embedded emulator at http://127.0.0.1:4321 (...)". */
    public String describe() {
        return (isEmulator() ? "embedded emulator at " : "manager at ") + endpoint + " (manager "
                + version.managerVersion() + ", API " + version.apiVersion() + ")";
    }

    private static Credentials superadminKeypair(ManagerEmulator emulator) {
        var bootstrap = emulator.bootstrap();
        return bootstrap.users().stream()
                .filter(user -> "superadmin".equals(user.role()))
                .flatMap(user -> bootstrap.keypairs().stream().filter(k -> k.userId().equals(user.uuid())))
                .filter(Keypair::isActive)
                .findFirst()
                .map(k -> new Credentials(k.accessKey(), k.secretKey()))
                .orElseThrow(() -> new IllegalStateException("the emulator's bootstrap data has no superadmin keypair"));
    }
}
