package bai.scenarios.timing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished scenario as the run report records it: where it is, how it ended, on which
 * worker, how long it took, its requests and its time per phase ("other": what no phase covers).
 */
public record ScenarioTiming(String name, String uri, int line, String status, String worker, long millis,
                             int requests, Map<String, Long> phaseMillis, Map<String, Integer> phaseRequests) {

    /** Combines the scenario's wall time with its clock's phases (none when the glue did not run). */
    public static ScenarioTiming of(String name, String uri, int line, String status, String worker, long nanos,
                                    ScenarioClock.Times times) {
        Map<String, Long> phases = new LinkedHashMap<>();
        Map<String, Integer> requests = new LinkedHashMap<>();
        long covered = 0;
        for (Phase phase : Phase.values()) {
            long phaseNanos = times == null ? 0 : times.nanos().getOrDefault(phase, 0L);
            covered += phaseNanos;
            phases.put(phase.key(), millis(phaseNanos));
            requests.put(phase.key(), times == null ? 0 : times.requests().getOrDefault(phase, 0));
        }
        phases.put("other", millis(Math.max(0, nanos - covered)));
        return new ScenarioTiming(name, uri, line, status, worker, millis(nanos),
                times == null ? 0 : times.requestCount(), phases, requests);
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("uri", uri);
        out.put("line", line);
        out.put("status", status);
        out.put("worker", worker);
        out.put("ms", millis);
        out.put("requests", requests);
        out.put("phases_ms", phaseMillis);
        out.put("phase_requests", phaseRequests);
        return out;
    }
}
