package bai.scenarios.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.gherkin.GherkinParser;
import io.cucumber.messages.Convertor;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.Pickle;
import io.cucumber.messages.types.PickleStep;
import io.cucumber.messages.types.SourceReference;
import io.cucumber.messages.types.StepDefinition;
import io.cucumber.messages.types.StepDefinitionPattern;
import io.cucumber.messages.types.StepDefinitionPatternType;
import io.cucumber.messages.types.TestCase;
import io.cucumber.messages.types.TestCaseFinished;
import io.cucumber.messages.types.TestCaseStarted;
import io.cucumber.messages.types.TestRunFinished;
import io.cucumber.messages.types.TestRunStarted;
import io.cucumber.messages.types.TestStep;
import io.cucumber.messages.types.TestStepFinished;
import io.cucumber.messages.types.TestStepResult;
import io.cucumber.messages.types.TestStepResultStatus;
import io.cucumber.messages.types.TestStepStarted;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventHandler;
import io.cucumber.plugin.event.EventPublisher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Isolated}: {@link #aSecondFinishAndLateMessagesChangeNothing} swaps {@code System.err} to
 * prove the plugin complains about nothing, so nothing else may write to it meanwhile.
 */
@Isolated("swaps System.err and expects to read only what the plugin writes to it")
class DurableReportsTest {

    private static final String FEATURE = """
            Feature: Interruptions

              Scenario: Passing one
                Given a step

              Scenario: Failing one
                Given a step

              Scenario: Running one
                Given a step
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path reports;

    private final Bus bus = new Bus();
    private final List<Envelope> prelude = new ArrayList<>();
    private final Map<String, String> testCaseIdByScenario = new HashMap<>();
    private final Map<String, String> stepIdByScenario = new HashMap<>();

    /** The messages Cucumber sends before the first scenario: run start, the feature, its pickles, glue and test cases. */
    @BeforeEach
    void prelude() {
        prelude.add(Envelope.of(new TestRunStarted(Convertor.toMessage(Instant.parse("2026-11-25T10:00:00Z")), "run-1")));
        String uri = Path.of("features/interruptions.feature").toAbsolutePath().toUri().toString();
        List<Envelope> parsed;
        try (Stream<Envelope> messages = GherkinParser.builder().build().parse(uri, FEATURE.getBytes(StandardCharsets.UTF_8))) {
            parsed = messages.toList();
        }
        prelude.addAll(parsed);
        prelude.add(Envelope.of(new StepDefinition("def-1",
                new StepDefinitionPattern("a step", StepDefinitionPatternType.CUCUMBER_EXPRESSION),
                SourceReference.of("steps.Steps.aStep()"))));
        for (Envelope message : parsed) {
            message.getPickle().ifPresent(this::testCaseFor);
        }
    }

    private void testCaseFor(Pickle pickle) {
        PickleStep step = pickle.getSteps().get(0);
        String testCaseId = "tc-" + pickle.getId();
        String stepId = "ts-" + pickle.getId();
        prelude.add(Envelope.of(new TestCase(testCaseId, pickle.getId(),
                List.of(new TestStep(null, stepId, step.getId(), List.of("def-1"), List.of())), "run-1")));
        testCaseIdByScenario.put(pickle.getName(), testCaseId);
        stepIdByScenario.put(pickle.getName(), stepId);
    }

    private void send(List<Envelope> messages) {
        messages.forEach(bus::send);
    }

    private List<Envelope> startScenario(String name) {
        return startScenario(name, "started-" + name);
    }

    private List<Envelope> startScenario(String name, String started) {
        return List.of(
                Envelope.of(new TestCaseStarted(0L, started, testCaseIdByScenario.get(name), "worker-1", now())),
                Envelope.of(new TestStepStarted(started, stepIdByScenario.get(name), now())));
    }

    private List<Envelope> finishScenario(String name, TestStepResultStatus status) {
        return finishScenario(name, "started-" + name, status);
    }

    private List<Envelope> finishScenario(String name, String started, TestStepResultStatus status) {
        return List.of(
                Envelope.of(new TestStepFinished(started, stepIdByScenario.get(name), new TestStepResult(
                        Convertor.toMessage(java.time.Duration.ofMillis(5)),
                        status == TestStepResultStatus.FAILED ? "expected 200 but was 500" : null, status, null), now())),
                Envelope.of(new TestCaseFinished(started, now(), false)));
    }

    private static io.cucumber.messages.types.Timestamp now() {
        return Convertor.toMessage(Instant.parse("2026-11-25T10:00:01Z"));
    }

    private Envelope runFinished() {
        return Envelope.of(new TestRunFinished(null, false, now(), null, "run-1"));
    }

    @Test
    void anInterruptedRunLeavesCompleteReportsOfTheScenariosThatFinished() throws Exception {
        DurableReports plugin = new DurableReports(reports);
        plugin.setEventPublisher(bus);
        send(prelude);
        // two scenarios run in parallel: "Passing one" finishes while "Running one" is still running
        send(startScenario("Running one"));
        send(startScenario("Passing one"));
        send(finishScenario("Passing one", TestStepResultStatus.PASSED));
        send(startScenario("Failing one"));
        send(finishScenario("Failing one", TestStepResultStatus.FAILED));
        assertThat(reports.resolve("cucumber.json")).as("not in place before it is complete").doesNotExist();

        plugin.interrupt();

        try (Stream<Path> left = Files.list(reports)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("cucumber.html", "cucumber.json", "junit.xml", "cucumber.ndjson", "rerun.txt");
        }
        for (String name : DurableReports.REPORTS.keySet()) {
            assertThat(Files.size(reports.resolve(name))).as(name).isPositive();
        }

        JsonNode json = JSON.readTree(reports.resolve("cucumber.json").toFile());
        assertThat(json.findValuesAsText("name")).contains("Passing one", "Failing one").doesNotContain("Running one");

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        NodeList testcases = junit.getElementsByTagName("testcase");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < testcases.getLength(); i++) {
            names.add(testcases.item(i).getAttributes().getNamedItem("name").getNodeValue());
        }
        assertThat(names).containsExactlyInAnyOrder("Passing one", "Failing one");
        assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo(1);

        List<String> ndjson = Files.readAllLines(reports.resolve("cucumber.ndjson"));
        for (String line : ndjson) {
            JSON.readTree(line); // every line is a complete message
        }
        JsonNode end = JSON.readTree(ndjson.get(ndjson.size() - 1)).get("testRunFinished");
        assertThat(end.get("success").asBoolean()).isFalse();
        assertThat(end.get("message").asText()).contains("interrupted", "2 scenario(s) that finished", "1 still running");
        assertThat(ndjson).noneMatch(line -> line.contains("started-Running one"));

        String html = Files.readString(reports.resolve("cucumber.html"));
        assertThat(html.strip()).endsWith("</html>");
        assertThat(html).contains("started-Passing one", "The run was interrupted").doesNotContain("started-Running one");

        assertThat(Files.readString(reports.resolve("rerun.txt")).strip()).isEqualTo("file:features/interruptions.feature:6");
    }

    @Test
    void aSecondFinishAndLateMessagesChangeNothing() throws Exception {
        DurableReports plugin = new DurableReports(reports);
        plugin.setEventPublisher(bus);
        send(prelude);
        send(startScenario("Passing one"));
        send(finishScenario("Passing one", TestStepResultStatus.PASSED));
        send(startScenario("Running one"));
        plugin.interrupt();
        Map<String, byte[]> written = contents();

        ByteArrayOutputStream complaints = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(complaints, true, StandardCharsets.UTF_8));
        try {
            plugin.interrupt();
            send(finishScenario("Running one", TestStepResultStatus.FAILED));
            bus.send(runFinished());
        } finally {
            System.setErr(stderr);
        }

        assertThat(complaints.toString(StandardCharsets.UTF_8)).as("nothing is finished twice").isEmpty();

        Map<String, byte[]> after = contents();
        assertThat(after).containsOnlyKeys(written.keySet());
        written.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        assertThat(Files.readString(reports.resolve("rerun.txt"))).as("the late failure is not listed").isEmpty();
    }

    @Test
    void anUninterruptedRunWritesWhatCucumbersOwnFormattersWrite() throws Exception {
        Path plain = Files.createDirectory(reports.resolve("plain"));
        Path durable = Files.createDirectory(reports.resolve("durable"));
        Files.writeString(durable.resolve("cucumber.json"), "[] from the previous run");
        List<OutputStream> streams = new ArrayList<>();
        for (Map.Entry<String, DurableReports.FormatterFactory> report : DurableReports.REPORTS.entrySet()) {
            OutputStream out = Files.newOutputStream(plain.resolve(report.getKey()));
            streams.add(out);
            ConcurrentEventListener formatter = report.getValue().open(out);
            formatter.setEventPublisher(bus);
        }
        DurableReports plugin = new DurableReports(durable);
        plugin.setEventPublisher(bus);
        assertThat(durable.resolve("cucumber.json")).as("the previous run's report is gone").doesNotExist();

        send(prelude);
        send(startScenario("Passing one"));
        send(finishScenario("Passing one", TestStepResultStatus.PASSED));
        send(startScenario("Failing one"));
        send(finishScenario("Failing one", TestStepResultStatus.FAILED));
        bus.send(runFinished());
        for (OutputStream out : streams) {
            out.close();
        }

        for (String name : DurableReports.REPORTS.keySet()) {
            assertThat(Files.readAllBytes(durable.resolve(name))).as(name).isEqualTo(Files.readAllBytes(plain.resolve(name)));
            assertThat(durable.resolve(name + ".part")).doesNotExist();
        }
        plugin.interrupt();
        assertThat(Files.readAllBytes(durable.resolve("cucumber.ndjson"))).as("an interruption after the end changes nothing")
                .isEqualTo(Files.readAllBytes(plain.resolve("cucumber.ndjson")));
    }

    @Test
    void scenariosFinishingOnParallelThreadsAreAllReported() throws Exception {
        DurableReports plugin = new DurableReports(reports);
        plugin.setEventPublisher(bus);
        send(prelude);
        int runs = 200;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String name : List.of("Passing one", "Failing one")) {
                done.add(workers.submit(() -> {
                    go.await();
                    for (int i = 0; i < runs; i++) {
                        String started = name + "-" + i;
                        send(startScenario(name, started));
                        send(finishScenario(name, started, TestStepResultStatus.PASSED));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> worker : done) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
        }
        bus.send(runFinished());

        List<String> ndjson = Files.readAllLines(reports.resolve("cucumber.ndjson"));
        List<JsonNode> messages = new ArrayList<>();
        for (String line : ndjson) {
            messages.add(JSON.readTree(line));
        }
        assertThat(messages).filteredOn(m -> m.has("testCaseFinished")).hasSize(2 * runs);
        assertThat(messages).filteredOn(m -> m.has("testStepFinished")).hasSize(2 * runs);
        JsonNode json = JSON.readTree(reports.resolve("cucumber.json").toFile());
        assertThat(json.findValues("elements").get(0)).hasSize(2 * runs);
    }

    @Test
    void theReportsGetTheSuitesAdviceAtAnUndefinedStep() throws Exception {
        DurableReports plugin = new DurableReports(reports);
        plugin.setEventPublisher(bus);
        send(prelude);
        send(startScenario("Passing one"));
        send(finishScenario("Passing one", TestStepResultStatus.UNDEFINED));
        bus.send(runFinished());

        JsonNode step = JSON.readTree(reports.resolve("cucumber.json").toFile()).get(0).get("elements").get(0).get("steps").get(0);
        assertThat(step.get("result").get("status").asText()).isEqualTo("undefined");
        assertThat(step.get("embeddings").get(0).get("name").asText()).startsWith("No step matches this one");
        assertThat(Files.readString(reports.resolve("cucumber.html"))).contains("No step matches this one");
    }

    @Test
    void aRunThatWritesNoReportLeavesNoneOfThePreviousRun() throws Exception {
        for (String name : List.of("cucumber.html", "junit.xml", "run-info.json", "glossary.html")) {
            Files.writeString(reports.resolve(name), "from the previous run");
        }

        DurableReports.discardPreviousRun(reports);

        try (Stream<Path> left = Files.list(reports)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("not ours to remove").containsExactly("glossary.html");
        }
    }

    private Map<String, byte[]> contents() throws IOException {
        Map<String, byte[]> contents = new HashMap<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.toList()) {
                contents.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return contents;
    }

    /** Cucumber's event bus, reduced to what the plugins use: handlers by event type, called in order. */
    static final class Bus implements EventPublisher {
        private final Map<Class<?>, List<EventHandler<?>>> handlers = new HashMap<>();

        @Override
        public <T> void registerHandlerFor(Class<T> type, EventHandler<T> handler) {
            handlers.computeIfAbsent(type, t -> new ArrayList<>()).add(handler);
        }

        @Override
        public <T> void removeHandlerFor(Class<T> type, EventHandler<T> handler) {
            handlers.getOrDefault(type, new ArrayList<>()).remove(handler);
        }

        @SuppressWarnings("unchecked")
        <T> void send(T event) {
            for (EventHandler<?> handler : handlers.getOrDefault(event.getClass(), List.of())) {
                ((EventHandler<T>) handler).receive(event);
            }
        }
    }
}
