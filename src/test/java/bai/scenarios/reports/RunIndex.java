package bai.scenarios.reports;

import io.cucumber.messages.types.Background;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.FeatureChild;
import io.cucumber.messages.types.Hook;
import io.cucumber.messages.types.HookType;
import io.cucumber.messages.types.PickleStep;
import io.cucumber.messages.types.RuleChild;
import io.cucumber.messages.types.Scenario;
import io.cucumber.messages.types.Step;
import io.cucumber.messages.types.StepDefinition;
import io.cucumber.messages.types.StepDefinitionPatternType;
import io.cucumber.messages.types.TestCase;
import io.cucumber.messages.types.TestStep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the messages before the scenarios said, to look things up while the scenarios report:
 * the glue (step definitions, parameter types, hooks), the Gherkin steps and the test cases.
 * Not thread-safe: its owner ({@code DurableReports}) holds a lock while it uses it.
 */
final class RunIndex {
    /** A Gherkin step as written: keyword, text, and where ("features/auth/login.feature:11"). */
    record WrittenStep(String keyword, String text, String location) {
    }

    private final List<StepDefinition> stepDefinitions = new ArrayList<>();
    private final Map<String, List<String>> parameterTypes = new LinkedHashMap<>();
    private final Map<String, HookType> hookTypes = new HashMap<>();
    private final Map<String, Step> gherkinSteps = new HashMap<>();
    private final Map<String, String> featureOfGherkinStep = new HashMap<>();
    private final Map<String, PickleStep> pickleSteps = new HashMap<>();
    private final Map<String, TestCase> testCaseOfStep = new HashMap<>();
    private final Map<String, TestStep> testSteps = new HashMap<>();
    private StepSuggestions suggestions;

    void observe(Envelope message) {
        message.getStepDefinition().ifPresent(definition -> {
            stepDefinitions.add(definition);
            suggestions = null;
        });
        message.getParameterType().ifPresent(type -> {
            parameterTypes.put(type.getName(), type.getRegularExpressions());
            suggestions = null;
        });
        message.getHook().ifPresent(this::hook);
        message.getGherkinDocument().ifPresent(document -> document.getFeature().ifPresent(feature ->
                feature.getChildren().forEach(child -> steps(document.getUri().orElse("?"), child))));
        message.getPickle().ifPresent(pickle -> pickle.getSteps().forEach(step -> pickleSteps.put(step.getId(), step)));
        message.getTestCase().ifPresent(testCase -> testCase.getTestSteps().forEach(step -> {
            testSteps.put(step.getId(), step);
            testCaseOfStep.put(step.getId(), testCase);
        }));
    }

    private void hook(Hook hook) {
        hook.getType().ifPresent(type -> hookTypes.put(hook.getId(), type));
    }

    private void steps(String uri, FeatureChild child) {
        child.getBackground().map(Background::getSteps).ifPresent(steps -> steps.forEach(step -> step(uri, step)));
        child.getScenario().map(Scenario::getSteps).ifPresent(steps -> steps.forEach(step -> step(uri, step)));
        child.getRule().ifPresent(rule -> rule.getChildren().forEach(ruleChild -> ruleSteps(uri, ruleChild)));
    }

    private void ruleSteps(String uri, RuleChild child) {
        child.getBackground().map(Background::getSteps).ifPresent(steps -> steps.forEach(step -> step(uri, step)));
        child.getScenario().map(Scenario::getSteps).ifPresent(steps -> steps.forEach(step -> step(uri, step)));
    }

    private void step(String uri, Step step) {
        gherkinSteps.put(step.getId(), step);
        featureOfGherkinStep.put(step.getId(), uri);
    }

    Optional<TestStep> testStep(String testStepId) {
        return Optional.ofNullable(testSteps.get(testStepId));
    }

    /** The test steps of the scenario a test step belongs to, in the order they run (hooks included). */
    List<TestStep> stepsAround(String testStepId) {
        TestCase testCase = testCaseOfStep.get(testStepId);
        return testCase == null ? List.of() : testCase.getTestSteps();
    }

    /** A Gherkin step that no step definition matches (Cucumber gives its test step no definition ids). */
    boolean matchesNoDefinition(String testStepId) {
        return testStep(testStepId)
                .filter(step -> step.getPickleStepId().isPresent())
                .flatMap(TestStep::getStepDefinitionIds)
                .filter(List::isEmpty)
                .isPresent();
    }

    boolean isAfterStepHook(TestStep step) {
        return step.getHookId().map(hookTypes::get).filter(type -> type == HookType.AFTER_TEST_STEP).isPresent();
    }

    /** The Gherkin step a test step runs, as the feature file has it. */
    Optional<WrittenStep> writtenStep(String testStepId) {
        return testStep(testStepId).flatMap(TestStep::getPickleStepId).map(pickleSteps::get).map(pickleStep -> {
            String astId = pickleStep.getAstNodeIds().get(0);
            Step step = gherkinSteps.get(astId);
            String keyword = step == null ? "" : step.getKeyword().strip();
            String location = step == null ? "" : relative(featureOfGherkinStep.get(astId)) + ":" + step.getLocation().getLine();
            return new WrittenStep(keyword, pickleStep.getText(), location);
        });
    }

    StepSuggestions suggestions() {
        if (suggestions == null) {
            suggestions = new StepSuggestions(stepDefinitions.stream().map(definition -> {
                String source = definition.getPattern().getSource();
                return definition.getPattern().getType() == StepDefinitionPatternType.REGULAR_EXPRESSION
                        ? StepPattern.regularExpression(source)
                        : StepPattern.cucumberExpression(source, parameterTypes);
            }).toList());
        }
        return suggestions;
    }

    /** A feature's URI as the path a QA engineer knows: relative to the project when it is inside it. */
    private static String relative(String uri) {
        if (uri == null) {
            return "?";
        }
        String project = java.nio.file.Path.of("").toAbsolutePath().toUri().toString();
        if (uri.startsWith(project)) {
            return uri.substring(project.length());
        }
        return uri.startsWith("file:") ? uri.substring("file:".length()) : uri;
    }
}
