package bai.scenarios.timing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples the test JVM (the suite and the embedded emulator share it) while the scenarios run:
 * heap in use, live threads, open file descriptors and child processes (the emulator's kernels),
 * keeping the peak of each; {@link #finish} adds the values at the end (the heap as the last
 * collection left it, or after a full collection with {@code -Dbai.resources.full-gc=true}).
 * What the scale set reads to show that memory, threads and descriptors stay bounded.
 */
public final class ResourceSampler {
    private static final Path FDS = Path.of("/proc/self/fd");
    /** Set by {@code .ci/scale}: collect fully at the end so the heap figure is the live heap. */
    public static final String FULL_GC = "bai.resources.full-gc";
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bai-resource-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private long peakHeap;
    private int peakThreads;
    private int peakFds;
    private int peakProcesses;
    private int samples;

    /** Starts sampling every {@code periodMillis}. */
    public static ResourceSampler start(long periodMillis) {
        ResourceSampler sampler = new ResourceSampler();
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, periodMillis, TimeUnit.MILLISECONDS);
        return sampler;
    }

    private synchronized void sample() {
        peakHeap = Math.max(peakHeap, heapUsed());
        peakThreads = Math.max(peakThreads, ManagementFactory.getThreadMXBean().getThreadCount());
        peakFds = Math.max(peakFds, openFds());
        peakProcesses = Math.max(peakProcesses, childProcesses());
        samples++;
    }

    /** Stops sampling; the peaks, and the values now (heap after a full collection). */
    public Map<String, Object> finish() {
        timer.shutdownNow();
        sample();
        // The live heap at the end tells a leak from garbage not yet collected. A full collection says
        // it exactly but stops every thread for a second or more on a busy machine, so only the scale
        // set (which reads it) asks for one; a normal run reports what its last collection kept.
        boolean fullGc = Boolean.getBoolean(FULL_GC);
        if (fullGc) {
            System.gc();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (this) {
            Runtime runtime = Runtime.getRuntime();
            out.put("note", "the test JVM: the suite and the embedded emulator share it; processes are its"
                    + " children (the emulator's kernels)");
            out.put("heap_max_mb", mb(runtime.maxMemory()));
            out.put("heap_peak_mb", mb(peakHeap));
            out.put("heap_after_gc_mb", mb(fullGc ? heapUsed() : heapAfterLastCollection()));
            out.put("heap_after_gc_kind", fullGc ? "full collection at the end" : "the last collection"
                    + " (-D" + FULL_GC + "=true for a full one)");
            out.put("threads_peak", peakThreads);
            out.put("threads_end", ManagementFactory.getThreadMXBean().getThreadCount());
            out.put("threads_started_total", ManagementFactory.getThreadMXBean().getTotalStartedThreadCount());
            out.put("fds_peak", peakFds);
            out.put("fds_end", openFds());
            out.put("processes_peak", peakProcesses);
            out.put("processes_end", childProcesses());
            out.put("samples", samples);
        }
        return out;
    }

    /** CPU time the whole JVM used so far (ms), or -1 where the JVM does not tell. */
    public static long processCpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }
        return -1;
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    /** What the heap's pools held right after their last collection (the young pools then hold ~nothing). */
    private static long heapAfterLastCollection() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static int openFds() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.count();
        } catch (IOException | UnsupportedOperationException e) {
            return -1; // not Linux
        }
    }

    private static int childProcesses() {
        return (int) ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    private static long mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
