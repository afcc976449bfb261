package bai.scenarios.timing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Splits the feature files over {@code total} shards so that each gets about the same time:
 * features go, longest first, to the shard with the least time so far, by the durations the last
 * merged run recorded ({@code scenario-durations.json}: feature path to milliseconds; a feature it
 * does not know counts as the average known one). Whole feature files stay together, so a
 * Background and an exclusive feature run as they do in one run.
 *
 * <pre>ShardPlan TOTAL INDEX DURATIONS_JSON [FEATURES_DIR]</pre>
 * prints the comma-separated feature files of shard INDEX (1-based), for {@code -Dcucumber.features},
 * and the plan of every shard on stderr.
 */
public final class ShardPlan {
    private ShardPlan() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ShardPlan TOTAL INDEX DURATIONS_JSON [FEATURES_DIR]");
            System.exit(2);
        }
        int total = Integer.parseInt(args[0]);
        int index = Integer.parseInt(args[1]);
        Path features = Path.of(args.length > 3 ? args[3] : "features");
        List<List<String>> shards = plan(total, features(features), durations(Path.of(args[2])));
        Map<String, Long> known = durations(Path.of(args[2]));
        for (int i = 0; i < shards.size(); i++) {
            long ms = shards.get(i).stream().mapToLong(f -> known.getOrDefault(f, -1L)).filter(v -> v >= 0).sum();
            System.err.println("shard " + (i + 1) + "/" + total + ": " + shards.get(i).size() + " feature file(s), "
                    + ms / 1000 + " s recorded" + (i + 1 == index ? "  <- this one" : ""));
        }
        System.out.println(String.join(",", shards.get(index - 1)));
    }

    /** Feature files under {@code dir}, as relative paths with forward slashes, sorted. */
    static List<String> features(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".feature"))
                    .map(p -> p.toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** The recorded durations, or none when the file is missing or unreadable. */
    static Map<String, Long> durations(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            JsonNode json = BenchReport.JSON.readTree(file.toFile());
            json.path("features").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        } catch (IOException unreadable) {
            System.err.println("shard plan: " + file + " is unreadable (" + unreadable.getMessage()
                    + "); every feature counts the same");
        }
        return out;
    }

    /** Longest processing time first: each feature to the shard with the least time so far. */
    static List<List<String>> plan(int total, List<String> features, Map<String, Long> durations) {
        if (total < 1) {
            throw new IllegalArgumentException("at least one shard, not " + total);
        }
        long average = Math.max(1, Math.round(durations.values().stream().mapToLong(Long::longValue).average()
                .orElse(1)));
        List<String> byTime = new ArrayList<>(features);
        byTime.sort(Comparator.comparingLong((String f) -> durations.getOrDefault(f, average)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        List<List<String>> shards = new ArrayList<>();
        long[] load = new long[total];
        for (int i = 0; i < total; i++) {
            shards.add(new ArrayList<>());
        }
        for (String feature : byTime) {
            int least = 0;
            for (int i = 1; i < total; i++) {
                if (load[i] < load[least]) {
                    least = i;
                }
            }
            shards.get(least).add(feature);
            load[least] += durations.getOrDefault(feature, average);
        }
        shards.forEach(shard -> shard.sort(Comparator.naturalOrder()));
        return shards;
    }
}
