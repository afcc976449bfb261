package bai.scenarios.timing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ShardPlanTest {
    @TempDir
    Path dir;

    @Test
    void everyFeatureGoesToExactlyOneShardAndTheShardsAreBalancedByRecordedTime() {
        List<String> features = List.of("features/a.feature", "features/b.feature", "features/c.feature",
                "features/d.feature", "features/e.feature");
        Map<String, Long> durations = Map.of("features/a.feature", 9000L, "features/b.feature", 5000L,
                "features/c.feature", 4000L, "features/d.feature", 3000L, "features/e.feature", 1000L);

        List<List<String>> shards = ShardPlan.plan(2, features, durations);

        List<String> all = new ArrayList<>();
        shards.forEach(all::addAll);
        assertThat(all).containsExactlyInAnyOrderElementsOf(features);
        // Longest first, each to the least loaded shard: a(9) | b(5), c(4) -> 9 | 9, d(3) -> 12 | 9, e(1) -> 12 | 10.
        assertThat(shards.get(0)).containsExactly("features/a.feature", "features/d.feature");
        assertThat(shards.get(1)).containsExactly("features/b.feature", "features/c.feature", "features/e.feature");
    }

    @Test
    void aFeatureWithoutARecordedDurationCountsAsTheAverageOne() {
        List<List<String>> shards = ShardPlan.plan(2, List.of("features/new.feature", "features/old1.feature",
                "features/old2.feature"), Map.of("features/old1.feature", 2000L, "features/old2.feature", 2000L));

        assertThat(shards).allSatisfy(shard -> assertThat(shard).isNotEmpty());
        assertThat(shards.stream().mapToInt(List::size).sum()).isEqualTo(3);
    }

    @Test
    void withoutDurationsTheFilesAreSpreadEvenlyAndSurplusShardsAreEmpty() {
        List<String> features = List.of("f1.feature", "f2.feature", "f3.feature");

        assertThat(ShardPlan.plan(3, features, Map.of())).containsExactly(
                List.of("f1.feature"), List.of("f2.feature"), List.of("f3.feature"));
        assertThat(ShardPlan.plan(5, features, Map.of()).subList(3, 5)).allSatisfy(s -> assertThat(s).isEmpty());
    }

    @Test
    void readsFeatureFilesAndTheMergedRunsDurations() throws IOException {
        Files.createDirectories(dir.resolve("features/sub"));
        Files.writeString(dir.resolve("features/x.feature"), "Feature: x\n");
        Files.writeString(dir.resolve("features/sub/y.feature"), "Feature: y\n");
        Files.writeString(dir.resolve("features/README.md"), "not a feature\n");
        Path durations = dir.resolve("scenario-durations.json");
        Files.writeString(durations, "{\"note\": \"n\", \"features\": {\"features/x.feature\": 1234}}");

        assertThat(ShardPlan.features(dir.resolve("features"))).hasSize(2).allMatch(f -> f.endsWith(".feature"));
        assertThat(ShardPlan.durations(durations)).containsEntry("features/x.feature", 1234L);
        assertThat(ShardPlan.durations(dir.resolve("missing.json"))).isEmpty();
        Files.writeString(durations, "{ not json");
        assertThat(ShardPlan.durations(durations)).isEmpty();
    }
}
