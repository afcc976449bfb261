package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.state.Jsonb;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A compute session as it stood at one moment, copied under the state lock: safe to read
 * anywhere afterwards. What the admin GraphQL types show of a session is computed from it.
 *
 * @param cpu         per container
 * @param mem         per container, in bytes
 * @param placedOn    the agent the session was scheduled on (kept after it ends, as the manager
 *                    keeps its kernels' agent); null while it was never scheduled
 * @param occupying   whether it holds its agent's capacity now (from SCHEDULED until its kernels
 *                    are released)
 */
public record SessionSnapshot(UUID id, String name, String ownerAccessKey, UUID userId, String domainName,
                              UUID groupId, String type, Images.Image image, int clusterSize, String clusterMode,
                              BigDecimal cpu, BigInteger mem, String startupCommand, List<UUID> dependencies,
                              String createdAt, String status, String statusInfo, int priority, Map<String, String> history,
                              String terminatedAt, String placedOn, boolean occupying, int numQueries,
                              Integer batchExitCode, List<Container> containers, List<Mounted> mounts) {

    /** One container (kernel) of the session. */
    public record Container(UUID kernelId, String role, int index) {
    }

    /** A virtual folder the session mounts. */
    public record Mounted(UUID folderId, String name) {
    }

    public boolean isTerminal() {
        return ComputeSession.TERMINAL.contains(status);
    }

    public BigDecimal totalCpu() {
        return cpu.multiply(BigDecimal.valueOf(clusterSize));
    }

    public BigInteger totalMem() {
        return mem.multiply(BigInteger.valueOf(clusterSize));
    }

    /** Must be called under the state lock. */
    static SessionSnapshot of(ComputeSession s) {
        return new SessionSnapshot(s.id, s.name, s.ownerAccessKey, s.userId, s.domainName, s.groupId, s.type, s.image,
                s.clusterSize, s.clusterMode, s.cpu, s.mem, s.startupCommand, s.dependencies, s.createdAt, s.status,
                s.statusInfo, s.priority, java.util.Collections.unmodifiableMap(Jsonb.ordered(s.history)), s.terminatedAt, s.placedOn,
                s.agent != null, s.numQueries, s.batchExitCode,
                s.kernels.stream().map(k -> new Container(k.id, k.role, k.index)).toList(),
                s.mounts.stream().map(m -> new Mounted(m.folderId(), m.name())).toList());
    }
}
