package bai.scenarios.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cucumber.messages.ndjson.Deserializer;
import io.cucumber.messages.types.Envelope;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventHandler;
import io.cucumber.plugin.event.EventPublisher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the reports of the shards of one CI run (each a {@code reports/} folder) into one:
 * {@code cucumber.ndjson} (one message stream: one meta, one TestRunStarted, every shard's
 * scenarios, one TestRunFinished that fails if any shard's did), and from it {@code cucumber.html}
 * and {@code junit.xml} written by the suite's own formatters; {@code run-info.json} (counts,
 * requests and phases summed, every scenario's timings, the shards' run times) and
 * {@code scenario-durations.json} (milliseconds per feature file: what {@code ShardPlan} balances
 * the next run by).
 *
 * <pre>ReportMerge OUTPUT_DIR SHARD_DIR...</pre>
 */
public final class ReportMerge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportMerge() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ReportMerge OUTPUT_DIR SHARD_DIR...");
            System.exit(2);
        }
        List<Path> shards = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            shards.add(Path.of(args[i]));
        }
        System.out.println("report merge: " + merge(Path.of(args[0]), shards));
    }

    /** Writes the merged reports into {@code out}; returns a one-line summary. */
    public static String merge(Path out, List<Path> shards) throws IOException {
        Files.createDirectories(out);
        List<String> lines = mergedMessages(shards);
        Files.write(out.resolve("cucumber.ndjson"), lines, StandardCharsets.UTF_8);
        render(lines, out.resolve("cucumber.html"), ReportFormatters::html);
        render(lines, out.resolve("junit.xml"), ReportFormatters::junitXml);
        ObjectNode info = mergedRunInfo(shards);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("run-info.json").toFile(), info);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("scenario-durations.json").toFile(),
                durations(info));
        return shards.size() + " shard(s), scenarios " + info.path("scenarios") + ", slowest shard "
                + info.path("scenario_wall_ms").asLong() / 1000 + " s, " + info.path("requests").asLong() + " requests";
    }

    /**
     * One stream: the first shard's meta and TestRunStarted, every other message of every shard
     * (their references to their own TestRunStarted pointed at the first), and one TestRunFinished.
     */
    static List<String> mergedMessages(List<Path> shards) throws IOException {
        List<String> merged = new ArrayList<>();
        String runId = null;
        boolean success = true;
        JsonNode lastFinished = null;
        boolean meta = false;
        for (Path shard : shards) {
            Path file = shard.resolve("cucumber.ndjson");
            if (!Files.isRegularFile(file)) {
                success = false; // a shard without a report did not pass
                continue;
            }
            String shardRunId = null;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message = JSON.readTree(line);
                if (message.has("meta")) {
                    if (!meta) {
                        merged.add(line);
                        meta = true;
                    }
                } else if (message.has("testRunStarted")) {
                    shardRunId = message.path("testRunStarted").path("id").asText(null);
                    if (runId == null) {
                        runId = shardRunId;
                        merged.add(line);
                    }
                } else if (message.has("testRunFinished")) {
                    success &= message.path("testRunFinished").path("success").asBoolean(false);
                    if (lastFinished == null || message.path("testRunFinished").path("timestamp").path("seconds").asLong()
                            > lastFinished.path("testRunFinished").path("timestamp").path("seconds").asLong()) {
                        lastFinished = message;
                    }
                } else {
                    merged.add(shardRunId != null && runId != null && !shardRunId.equals(runId)
                            ? line.replace(shardRunId, runId) : line);
                }
            }
        }
        if (lastFinished != null) {
            ObjectNode finished = (ObjectNode) lastFinished.deepCopy();
            ObjectNode body = (ObjectNode) finished.path("testRunFinished");
            body.put("success", success);
            if (runId != null) {
                body.put("testRunStartedId", runId);
            }
            merged.add(JSON.writeValueAsString(finished));
        }
        return merged;
    }

    /** Opens one of the suite's formatters on a file. */
    @FunctionalInterface
    interface Formatter {
        ConcurrentEventListener open(OutputStream out) throws IOException;
    }

    private static void render(List<String> lines, Path file, Formatter formatter) throws IOException {
        List<EventHandler<Envelope>> handlers = new ArrayList<>();
        EventPublisher bus = new EventPublisher() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> void registerHandlerFor(Class<T> type, EventHandler<T> handler) {
                if (type == Envelope.class) {
                    handlers.add((EventHandler<Envelope>) handler);
                }
            }

            @Override
            public <T> void removeHandlerFor(Class<T> type, EventHandler<T> handler) {
                handlers.remove(handler);
            }
        };
        Deserializer deserializer = new Deserializer();
        try (OutputStream out = Files.newOutputStream(file)) {
            formatter.open(out).setEventPublisher(bus);
            for (String line : lines) {
                Envelope envelope = deserializer.readValue(line);
                handlers.forEach(handler -> handler.receive(envelope));
            }
        }
    }

    /** Counts, requests and phase times summed; the slowest shard's run time; every scenario's timings. */
    static ObjectNode mergedRunInfo(List<Path> shards) throws IOException {
        ObjectNode merged = JSON.createObjectNode();
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Long> phaseMs = new LinkedHashMap<>();
        Map<String, Long> phaseRequests = new LinkedHashMap<>();
        ArrayNode timings = JSON.createArrayNode();
        ArrayNode shardInfo = JSON.createArrayNode();
        long wall = 0;
        long requests = 0;
        long scenarioTime = 0;
        boolean interrupted = false;
        for (Path shard : shards) {
            Path file = shard.resolve("run-info.json");
            ObjectNode s = shardInfo.addObject();
            s.put("reports", shard.toString());
            if (!Files.isRegularFile(file)) {
                s.put("run_info", "missing");
                interrupted = true;
                continue;
            }
            JsonNode info = JSON.readTree(file.toFile());
            if (!merged.has("target")) {
                for (String key : List.of("target", "endpoint", "emulator", "manager_version", "api_version",
                        "contract_check", "tag_expression")) {
                    if (info.has(key)) {
                        merged.set(key, info.get(key));
                    }
                }
            }
            s.put("scenario_wall_ms", info.path("scenario_wall_ms").asLong());
            s.set("scenarios", info.path("scenarios"));
            wall = Math.max(wall, info.path("scenario_wall_ms").asLong());
            requests += info.path("requests").asLong();
            scenarioTime += info.path("scenario_time_ms").asLong();
            interrupted |= info.path("interrupted").asBoolean(false);
            info.path("scenarios").fields().forEachRemaining(e -> counts.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            info.path("phases").fields().forEachRemaining(e -> {
                phaseMs.merge(e.getKey(), e.getValue().path("ms").asLong(), Long::sum);
                phaseRequests.merge(e.getKey(), e.getValue().path("requests").asLong(), Long::sum);
            });
            info.path("scenario_timings").forEach(timings::add);
        }
        merged.put("requests", requests);
        merged.put("scenario_wall_ms", wall);
        merged.put("scenario_time_ms", scenarioTime);
        ObjectNode countNode = merged.putObject("scenarios");
        counts.forEach(countNode::put);
        merged.put("interrupted", interrupted);
        ObjectNode phases = merged.putObject("phases");
        phaseMs.forEach((key, ms) -> {
            ObjectNode phase = phases.putObject(key);
            phase.put("ms", ms);
            if (!key.equals("other")) {
                phase.put("requests", phaseRequests.getOrDefault(key, 0L));
            }
        });
        merged.set("shards", shardInfo);
        merged.set("scenario_timings", timings);
        return merged;
    }

    /** Milliseconds per feature file, summed over its scenarios. */
    static ObjectNode durations(JsonNode info) {
        Map<String, Long> byFeature = new TreeMap<>();
        for (Iterator<JsonNode> it = info.path("scenario_timings").elements(); it.hasNext(); ) {
            JsonNode s = it.next();
            byFeature.merge(s.path("uri").asText(), s.path("ms").asLong(), Long::sum);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("note", "milliseconds per feature file in the last merged run; .ci/run's sharding balances by it");
        ObjectNode features = out.putObject("features");
        byFeature.forEach(features::put);
        return out;
    }
}
