package bai.scenarios.reports;

import io.cucumber.gherkin.GherkinParser;
import io.cucumber.messages.Convertor;
import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.AttachmentContentEncoding;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.Hook;
import io.cucumber.messages.types.HookType;
import io.cucumber.messages.types.ParameterType;
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
import io.cucumber.messages.types.Timestamp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Cucumber message stream as Cucumber sends it, for tests: a feature's documents and pickles, the
 * glue (step definitions, a parameter type, a Before hook and an AfterStep hook), and per scenario a
 * test case whose steps are: Before hook, then each Gherkin step followed by the AfterStep hook.
 */
final class MessageStream {
    static final String BEFORE_HOOK = "hook-before";
    static final String AFTER_STEP_HOOK = "hook-after-step";

    final List<Envelope> prelude = new ArrayList<>();
    /** Test step ids by scenario name: "before", then the Gherkin steps' texts and "after <text>". */
    final Map<String, Map<String, String>> stepIds = new LinkedHashMap<>();
    private final Map<String, String> testCaseIds = new LinkedHashMap<>();

    private final Set<String> undefined;

    MessageStream(String feature, List<String> stepPatterns) {
        this(feature, stepPatterns, Set.of());
    }

    /** @param undefined the texts of the steps no step definition matches (the others match "def-0") */
    MessageStream(String feature, List<String> stepPatterns, Set<String> undefined) {
        this.undefined = undefined;
        prelude.add(Envelope.of(new TestRunStarted(now(), "run-1")));
        String uri = Path.of("features/sample.feature").toAbsolutePath().toUri().toString();
        List<Envelope> parsed;
        try (Stream<Envelope> messages = GherkinParser.builder().build().parse(uri, feature.getBytes(StandardCharsets.UTF_8))) {
            parsed = messages.toList();
        }
        prelude.addAll(parsed);
        prelude.add(Envelope.of(new ParameterType("actor", List.of("I|she|[A-Z][a-z]+"), true, false, "pt-1", null)));
        for (int i = 0; i < stepPatterns.size(); i++) {
            prelude.add(Envelope.of(new StepDefinition("def-" + i,
                    new StepDefinitionPattern(stepPatterns.get(i), StepDefinitionPatternType.CUCUMBER_EXPRESSION),
                    SourceReference.of("steps.Steps.step" + i + "()"))));
        }
        prelude.add(Envelope.of(new Hook(BEFORE_HOOK, null, SourceReference.of("hooks.Hooks.before()"), null, HookType.BEFORE_TEST_CASE)));
        prelude.add(Envelope.of(new Hook(AFTER_STEP_HOOK, null, SourceReference.of("hooks.Hooks.afterStep()"), null,
                HookType.AFTER_TEST_STEP)));
        parsed.forEach(message -> message.getPickle().ifPresent(this::testCaseFor));
    }

    private void testCaseFor(Pickle pickle) {
        Map<String, String> ids = new LinkedHashMap<>();
        List<TestStep> steps = new ArrayList<>();
        String prefix = "ts-" + pickle.getId() + "-";
        steps.add(new TestStep(BEFORE_HOOK, prefix + "before", null, null, null));
        ids.put("before", prefix + "before");
        int n = 0;
        for (PickleStep step : pickle.getSteps()) {
            String id = prefix + n++;
            boolean defined = !undefined.contains(step.getText());
            steps.add(new TestStep(null, id, step.getId(), defined ? List.of("def-0") : List.of(), List.of()));
            steps.add(new TestStep(AFTER_STEP_HOOK, id + "-after", null, null, null));
            ids.put(step.getText(), id);
            ids.put("after " + step.getText(), id + "-after");
        }
        prelude.add(Envelope.of(new TestCase("tc-" + pickle.getId(), pickle.getId(), steps, "run-1")));
        stepIds.put(pickle.getName(), ids);
        testCaseIds.put(pickle.getName(), "tc-" + pickle.getId());
    }

    String step(String scenario, String key) {
        return stepIds.get(scenario).get(key);
    }

    Envelope started(String scenario) {
        return Envelope.of(new TestCaseStarted(0L, "started-" + scenario, testCaseIds.get(scenario), "worker-1", now()));
    }

    Envelope stepStarted(String scenario, String key) {
        return Envelope.of(new TestStepStarted("started-" + scenario, step(scenario, key), now()));
    }

    Envelope stepFinished(String scenario, String key, TestStepResultStatus status) {
        return Envelope.of(new TestStepFinished("started-" + scenario, step(scenario, key),
                new TestStepResult(Convertor.toMessage(java.time.Duration.ofMillis(5)), null, status, null), now()));
    }

    Envelope attachment(String scenario, String key, String mediaType, String name, String text) {
        return Envelope.of(new Attachment(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                AttachmentContentEncoding.BASE64, name, mediaType, null, "started-" + scenario, step(scenario, key),
                null, null, null, now()));
    }

    /** A whole scenario: every test step (hooks included) started and finished with the status. */
    List<Envelope> run(String scenario, TestStepResultStatus status) {
        List<Envelope> messages = new ArrayList<>();
        messages.add(started(scenario));
        for (String key : stepIds.get(scenario).keySet()) {
            messages.add(stepStarted(scenario, key));
            messages.add(stepFinished(scenario, key, status));
        }
        messages.add(finished(scenario));
        return messages;
    }

    static Envelope finished(String scenario) {
        return Envelope.of(new TestCaseFinished("started-" + scenario, now(), false));
    }

    static Envelope runFinished() {
        return Envelope.of(new TestRunFinished(null, false, now(), null, "run-1"));
    }

    static Timestamp now() {
        return Convertor.toMessage(Instant.parse("2026-11-25T10:00:01Z"));
    }
}
