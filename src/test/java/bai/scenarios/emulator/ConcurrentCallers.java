package bai.scenarios.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Callers that run at once, each reporting what went wrong for it; the emulator's tests read the union. */
public final class ConcurrentCallers {
    private ConcurrentCallers() {
    }

    /**
     * Runs {@code caller.apply(0 .. callers - 1)} on a thread each and returns every problem they
     * reported, in caller order; fails when one of them throws or all take longer than {@code minutes}.
     */
    public static List<String> problems(int callers, long minutes, IntFunction<Callable<List<String>>> caller)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int id = 0; id < callers; id++) {
                runs.add(threads.submit(caller.apply(id)));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                problems.addAll(run.get(minutes, TimeUnit.MINUTES));
            }
            return problems;
        } finally {
            threads.shutdownNow();
        }
    }
}
