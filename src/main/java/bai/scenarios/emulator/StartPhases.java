package bai.scenarios.emulator;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
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
    /** One phase, the microseconds it took, and the classes the JVM loaded meanwhile (on any thread). */
    public record Phase(String name, long micros, long classesLoaded) {
        public long millis() {
            return micros / 1000;
        }
    }

    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
    private final long began;
    private final Consumer<String> onMark;
    private long last;
    private long lastClasses = CLASSES.getTotalLoadedClassCount();
    private final List<Phase> phases = new ArrayList<>();

    /** Phases from now on. */
    public StartPhases() {
        this(System.nanoTime());
    }

    /**
     * Phases from {@code began} (a {@link System#nanoTime()}): another thread's part of the same
     * start, whose first phase then includes the wait for the thread to run.
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
    }

    /** When the start began ({@link System#nanoTime()}). */
    public long began() {
        return began;
    }

    /** Ends the phase running since the previous mark (or the start) and names it. */
    void mark(String name) {
        long now = System.nanoTime();
        long classes = CLASSES.getTotalLoadedClassCount();
        phases.add(new Phase(name, (now - last) / 1000, classes - lastClasses));
        last = now;
        lastClasses = classes;
        onMark.accept(name);
    }

    public List<Phase> phases() {
        return Collections.unmodifiableList(phases);
    }

    /** From the beginning to the last mark. */
    public long totalMicros() {
        return (last - began) / 1000;
    }

    /** One line, e.g. {@code "total 212 ms: bootstrap data 31.0 ms (420 classes), ..."}. */
    @Override
    public String toString() {
        return "total " + totalMicros() / 1000 + " ms: " + phases.stream()
                .map(p -> p.name() + " " + String.format(java.util.Locale.ROOT, "%.1f", p.micros() / 1000.0) + " ms ("
                        + p.classesLoaded() + " classes)")
                .collect(Collectors.joining(", "));
    }
}
