package bai.scenarios.emulator.sessions;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why no agent has room for a session, in the words of the manager's
 * {@code BatchAgentSelectionFailedError}: the requirement that could not be placed (the whole
 * session on one agent, as a single-node session is placed; the emulator places multi-node ones the
 * same way), the stateful filter that left no agent ({@code resource}), and the shortfall against
 * the best-fitting agent, the one with the smallest total shortage (the manager adds up the raw
 * slot amounts, so bytes of memory outweigh CPUs).
 */
final class PlacementFailure {
    private static final String[] SUFFIXES = {"", "K", "M", "G", "T", "P", "E", "Z", "Y"};

    private PlacementFailure() {
    }

    /** The scheduling-failure reason for {@code session}, which none of {@code agents} has room for. */
    static String message(ComputeSession session, List<Agent> agents) {
        BigDecimal cpu = session.totalCpu();
        BigInteger mem = session.totalMem();
        Map<String, BigDecimal> missing = Map.of();
        BigDecimal leastShort = null;
        for (Agent agent : agents) {
            Map<String, BigDecimal> shortfall = new LinkedHashMap<>();
            BigDecimal cpuShort = cpu.subtract(agent.cpu().subtract(agent.usedCpu()));
            if (cpuShort.signum() > 0) {
                shortfall.put("cpu", cpuShort);
            }
            BigDecimal memShort = new BigDecimal(mem.subtract(agent.mem().subtract(agent.usedMem())));
            if (memShort.signum() > 0) {
                shortfall.put("mem", memShort);
            }
            BigDecimal total = shortfall.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (leastShort == null || total.compareTo(leastShort) < 0) {
                missing = shortfall;
                leastShort = total;
            }
        }
        StringBuilder text = new StringBuilder("1 requirement(s) could not be placed:\n- requirement #0 (containers=")
                .append(session.clusterSize).append(", arch=").append(session.image.architecture())
                .append(", slots=cpu=").append(plain(cpu)).append(" mem=").append(binarySize(mem))
                .append("): no agents passed the 'resource' filter");
        missing.forEach((slot, amount) -> text.append("\n  - ").append(slot).append(": missing=")
                .append(slot.equals("mem") ? binarySize(amount.toBigInteger()) : plain(amount)));
        return text.toString();
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    /** As the manager's {@code str(BinarySize(n))}: "512 bytes", "1 GiB", "1.5 GiB". */
    static String binarySize(BigInteger bytes) {
        if (bytes.compareTo(BigInteger.valueOf(1024)) < 0) {
            return bytes + (bytes.equals(BigInteger.ONE) ? " byte" : " bytes");
        }
        int index = 0;
        BigInteger scale = bytes;
        while (scale.compareTo(BigInteger.valueOf(1024)) >= 0 && index < SUFFIXES.length - 1) {
            scale = scale.divide(BigInteger.valueOf(1024));
            index++;
        }
        BigDecimal value = new BigDecimal(bytes).divide(new BigDecimal(BigInteger.valueOf(1024).pow(index)));
        String number = value.stripTrailingZeros().scale() <= 0 ? value.toBigInteger().toString()
                : value.setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return number + " " + SUFFIXES[index] + "iB";
    }
}
