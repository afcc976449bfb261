package bai.scenarios.emulator;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Where an emulator start spent its time, phase by phase, in order, on one thread: the starting
 * thread's ({@link ManagerEmulator#startPhases()}) or the initialisation thread's
 * ({@link ManagerEmulator#initPhases()}); the suite's run-info.json records both. A measurement,
 * never a bound: nothing asserts on these numbers. Each phase also counts the classes the JVM
 * loaded meanwhile, on any thread (class loading is most of a cold start). Written by its own
 * thread only and read after that thread's part is published (the return of {@code start}, the
 * completion of the initialisation).
 */
public final class StartPhases {
    /**
     * One phase: the microseconds it took, the CPU microseconds its thread spent (-1 if unknown;
     * steadier than the wall time on a busy machine), and the classes the JVM loaded meanwhile (on
     * any thread).
     */
    public record Phase(String name, long micros, long cpuMicros, long classesLoaded) {
        public long millis() {
            return micros / 1000;
        }
    }

    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long began;
    private final Consumer<String> onMark;
    private long last;
    private long lastClasses = CLASSES.getTotalLoadedClassCount();
    /** The marking thread's CPU time at the last mark (at construction: create it on that thread), -1 if unknown. */
    private long lastCpu;
    private final List<Phase> phases = new ArrayList<>();

    /** Phases from now on. */
    public StartPhases() {
        this(System.nanoTime());
    }

    /**
     * Phases from {@code began} (a {@link System#nanoTime()}): another thread's part of the same
     * start, whose first phase then includes the wait for the thread to run. Create it on the
     * thread that marks the phases: their CPU is that thread's from here.
     */
    public StartPhases(long began) {
        this(began, phase -> { });
    }

    /**
     * As {@link #StartPhases(long)}, calling {@code onMark} with each phase's name as it ends, on
     * the marking thread (tests use it to hold or fail a start at a given point).
     */
    StartPhases(long began, Consumer<String> onMark) {
        this.began = began;
        this.onMark = onMark;
        this.last = began;
        this.lastCpu = threadCpu();
    }

    private static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** When the start began ({@link System#nanoTime()}). */
    public long began() {
        return began;
    }

    /** Ends the phase running since the previous mark (or the start) and names it. */
    void mark(String name) {
        long now = System.nanoTime();
        long classes = CLASSES.getTotalLoadedClassCount();
        long cpu = threadCpu();
        phases.add(new Phase(name, (now - last) / 1000, cpu < 0 || lastCpu < 0 ? -1 : (cpu - lastCpu) / 1000,
                classes - lastClasses));
        last = now;
        lastClasses = classes;
        lastCpu = cpu;
        onMark.accept(name);
    }

    public List<Phase> phases() {
        return Collections.unmodifiableList(phases);
    }

    /** The CPU the marking thread spent over all phases (-1 if unknown). */
    public long totalCpuMicros() {
        return phases.stream().anyMatch(p -> p.cpuMicros() < 0) ? -1
                : phases.stream().mapToLong(Phase::cpuMicros).sum();
    }

    /** From the beginning to the last mark. */
    public long totalMicros() {
        return (last - began) / 1000;
    }

    /** One line, e.g. {@code "total 212 ms: bootstrap data 31.0 ms (420 classes), ..."}. */
    @Override
    public String toString() {
        return "total " + totalMicros() / 1000 + " ms: " + phases.stream()
                .map(p -> p.name() + " " + String.format(java.util.Locale.ROOT, "%.1f ms (CPU %.1f ms, %d classes)",
                        p.micros() / 1000.0, p.cpuMicros() / 1000.0, p.classesLoaded()))
                .collect(Collectors.joining(", "));
    }
}
