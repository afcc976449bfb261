package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.sessions.Images.Image;
import bai.scenarios.emulator.state.PythonRepr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One compute session and its kernels. Mutable; every access to a mutable field holds the
 * emulator's state lock (see {@link Sessions}).
 */
public final class ComputeSession {
    static final Set<String> TERMINAL = Set.of("TERMINATED", "CANCELLED", "ERROR");
    /** The manager's SESSION_PRIORITY_DEFAULT and SESSION_PRIORITY_MIN. */
    static final int DEFAULT_PRIORITY = 10;
    static final int MIN_PRIORITY = 0;

    /** One container of the session; the main kernel runs the code it is sent. */
    static final class Kernel {
        final UUID id = UUID.randomUUID();
        final String role;
        final int index;
        /** Thread-safe on its own; outlives the process, as the agent keeps a container's logs. */
        final KernelLog log = new KernelLog(KernelLog.DEFAULT_CAP);
        Path workdir;
        PythonKernel python;
        /**
         * The kernel's service ports as the agent reported them when it started ({@code sshd},
         * {@code ttyd}: name, protocol, container and host ports); null until then, as the
         * manager's column is.
         */
        List<Map<String, Object>> servicePorts;
        /** The kernel's last resource statistics, taken when it stopped (null while it lives). */
        Map<String, Object> lastStat;

        Kernel(String role, int index) {
            this.role = role;
            this.index = index;
        }

        /** The manager's {@code cluster_idx}: 1-based within the role (main1, sub1, sub2, …). */
        int clusterIdx() {
            return role.equals("main") ? 1 : index;
        }
    }

    final UUID id = UUID.randomUUID();
    String name;
    final String ownerAccessKey;
    final UUID userId;
    final String domainName;
    final UUID groupId;
    final String type;
    final Image image;
    final int clusterSize;
    final String clusterMode;
    final BigDecimal cpu;
    final BigInteger mem;
    final String startupCommand;
    final String bootstrapScript;
    final Long batchTimeoutSeconds;
    final List<UUID> dependencies;
    final Map<String, String> environ;
    final Instant created = Instant.now();
    /** Timestamps as the manager prints them ({@code isoformat()}: {@code +00:00}, never {@code Z}). */
    final String createdAt = PythonRepr.isoformat(created);
    final List<Kernel> kernels = new ArrayList<>();
    final Map<String, String> history = new LinkedHashMap<>();
    String status;
    String statusInfo;
    /**
     * The scheduler's queue order, highest first (the manager's SESSION_PRIORITY_DEFAULT; the
     * emulator's create takes no priority). Lowered when the scheduler gives up on it for a while.
     */
    int priority = DEFAULT_PRIORITY;
    String terminatedAt;
    Instant terminated;
    Instant lastChange = Instant.now();
    Instant runningSince;
    Agent agent;
    /** The id of the agent it was scheduled on, kept after it ends (the manager keeps its kernels' agent). */
    String placedOn;
    /** A kernel start or stop is under way on the agents' pool. */
    boolean launching;
    boolean stopping;
    int numQueries;
    Integer batchExitCode;
    java.util.function.Supplier<Limits> limits = () -> Limits.NONE;
    /** When code last ran in it (the idle checker's last access); null: not since it started. */
    Instant lastAccess;
    /** The virtual folders the session mounts, decided at create time (never changed afterwards). */
    List<bai.scenarios.emulator.vfolders.SessionMounts.Mount> mounts = List.of();

    ComputeSession(String name, String ownerAccessKey, UUID userId, String domainName, UUID groupId, String type,
                   Image image, int clusterSize, String clusterMode, BigDecimal cpu, BigInteger mem,
                   String startupCommand, String bootstrapScript, Long batchTimeoutSeconds, List<UUID> dependencies,
                   Map<String, String> environ) {
        this.name = name;
        this.ownerAccessKey = ownerAccessKey;
        this.userId = userId;
        this.domainName = domainName;
        this.groupId = groupId;
        this.type = type;
        this.image = image;
        this.clusterSize = clusterSize;
        this.clusterMode = clusterMode;
        this.cpu = cpu;
        this.mem = mem;
        this.startupCommand = startupCommand;
        this.bootstrapScript = bootstrapScript;
        this.batchTimeoutSeconds = batchTimeoutSeconds;
        this.dependencies = List.copyOf(dependencies);
        // Insertion order kept: the manager prints the environ as a Python dict, in the order sent.
        this.environ = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environ));
        for (int i = 0; i < clusterSize; i++) {
            kernels.add(new Kernel(i == 0 ? "main" : "sub", i));
        }
    }

    boolean isTerminal() {
        return TERMINAL.contains(status);
    }

    BigDecimal totalCpu() {
        return cpu.multiply(BigDecimal.valueOf(clusterSize));
    }

    BigInteger totalMem() {
        return mem.multiply(BigInteger.valueOf(clusterSize));
    }

    Kernel main() {
        return kernels.get(0);
    }

    public UUID id() {
        return id;
    }

    public String ownerAccessKey() {
        return ownerAccessKey;
    }

    public String type() {
        return type;
    }

    public Images.Image image() {
        return image;
    }

    public String statusInfo() {
        return statusInfo;
    }

    /** Status → time, in the order the statuses were reached. */
    public Map<String, String> history() {
        return new LinkedHashMap<>(history);
    }

    public String name() {
        return name;
    }

    public String status() {
        return status;
    }
}
