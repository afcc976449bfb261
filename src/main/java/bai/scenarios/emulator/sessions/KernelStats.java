package bai.scenarios.emulator.sessions;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A kernel's resource statistics in the agent's {@code last_stat} form (each metric a map of
 * {@code current}, {@code capacity}, {@code pct}, {@code unit_hint}, optionally {@code stats.max}),
 * measured from the kernel's real process and scratch directory: CPU time used, memory capacity
 * (the kernel's allocation) and resident size, scratch directory size. The usage reports read
 * them. Does I/O: never call it under the state lock.
 */
final class KernelStats {
    /** A scratch directory walk stops here; a larger tree counts what it saw so far. */
    private static final int MAX_FILES = 10_000;

    private KernelStats() {
    }

    /**
     * Statistics of a kernel now. {@code process} may be null (the kernel never started) or gone.
     */
    static Map<String, Object> measure(RunnerProcess runner, Path workdir, BigInteger memCapacity) {
        long cpuMillis = 0;
        long rss = 0;
        ProcessHandle process = runner == null ? null : runner.handle().orElse(null);
        if (process != null) {
            cpuMillis = process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
            rss = residentBytes(process.pid());
        }
        long scratch = directorySize(workdir);
        Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("cpu_used", metric(BigInteger.valueOf(cpuMillis), null, "msec", false));
        stat.put("mem", metric(BigInteger.valueOf(rss), memCapacity, "bytes", false));
        stat.put("io_read", metric(BigInteger.ZERO, null, "bytes", false));
        stat.put("io_write", metric(BigInteger.ZERO, null, "bytes", false));
        stat.put("io_scratch_size", metric(BigInteger.valueOf(scratch), null, "bytes", true));
        return stat;
    }

    private static Map<String, Object> metric(BigInteger current, BigInteger capacity, String unit, boolean withMax) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("current", current.toString());
        metric.put("capacity", capacity == null ? null : capacity.toString());
        metric.put("pct", capacity == null || capacity.signum() <= 0 ? "0.00"
                : new BigDecimal(current).multiply(BigDecimal.valueOf(100))
                        .divide(new BigDecimal(capacity), 2, RoundingMode.HALF_EVEN).stripTrailingZeros()
                        .toPlainString());
        metric.put("unit_hint", unit);
        if (withMax) {
            metric.put("stats.max", current.toString());
        }
        return metric;
    }

    /** VmRSS from {@code /proc} where there is one; 0 elsewhere. */
    private static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    private static long directorySize(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            return tree.limit(MAX_FILES).filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }
}
