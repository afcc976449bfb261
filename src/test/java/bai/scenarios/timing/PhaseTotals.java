package bai.scenarios.timing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A run's per-phase totals over its finished scenarios, for {@code run-info.json} and the console. */
public record PhaseTotals(long scenarioMillis, Map<String, Long> millis, Map<String, Integer> requests,
                          int[] sortedRequests) {

    public static PhaseTotals of(List<ScenarioTiming> timings) {
        Map<String, Long> millis = new LinkedHashMap<>();
        Map<String, Integer> requests = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            millis.put(phase.key(), 0L);
            requests.put(phase.key(), 0);
        }
        millis.put("other", 0L);
        long total = 0;
        int[] perScenario = new int[timings.size()];
        int i = 0;
        for (ScenarioTiming timing : timings) {
            total += timing.millis();
            timing.phaseMillis().forEach((key, ms) -> millis.merge(key, ms, Long::sum));
            timing.phaseRequests().forEach((key, n) -> requests.merge(key, n, Integer::sum));
            perScenario[i++] = timing.requests();
        }
        Arrays.sort(perScenario);
        return new PhaseTotals(total, millis, requests, perScenario);
    }

    /** Per phase: its label, milliseconds, share of all scenario time, and the requests made in it. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        millis.forEach((key, ms) -> {
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("label", label(key));
            phase.put("ms", ms);
            phase.put("share", scenarioMillis == 0 ? 0.0 : Math.round(1000.0 * ms / scenarioMillis) / 1000.0);
            if (requests.containsKey(key)) {
                phase.put("requests", requests.get(key));
            }
            out.put(key, phase);
        });
        return out;
    }

    public Map<String, Object> requestsPerScenario() {
        int[] requestsPerScenario = sortedRequests;
        Map<String, Object> out = new LinkedHashMap<>();
        int n = requestsPerScenario.length;
        out.put("total", Arrays.stream(requestsPerScenario).sum());
        out.put("mean", n == 0 ? 0 : Math.round(10.0 * Arrays.stream(requestsPerScenario).sum() / n) / 10.0);
        out.put("median", n == 0 ? 0 : requestsPerScenario[n / 2]);
        out.put("max", n == 0 ? 0 : requestsPerScenario[n - 1]);
        return out;
    }

    /** "fixture creation 12.3 s (21%), requests 8.0 s (14%), …" */
    public String oneLine() {
        return millis.entrySet().stream()
                .map(e -> label(e.getKey()) + " " + String.format("%.1f s", e.getValue() / 1000.0)
                        + (scenarioMillis == 0 ? "" : " (" + Math.round(100.0 * e.getValue() / scenarioMillis) + "%)"))
                .collect(Collectors.joining(", ")) + " of " + String.format("%.1f s", scenarioMillis / 1000.0)
                + " scenario time";
    }

    public static String label(String key) {
        for (Phase phase : Phase.values()) {
            if (phase.key().equals(key)) {
                return phase.label();
            }
        }
        return key.equals("other") ? "other (steps, assertions, Cucumber)" : key;
    }
}
