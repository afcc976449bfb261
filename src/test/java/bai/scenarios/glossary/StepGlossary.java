package bai.scenarios.glossary;

import bai.scenarios.steps.Glossary;
import bai.scenarios.steps.Refusal;
import io.cucumber.cucumberexpressions.Expression;
import io.cucumber.cucumberexpressions.ExpressionFactory;
import io.cucumber.cucumberexpressions.ParameterType;
import io.cucumber.cucumberexpressions.ParameterTypeRegistry;
import io.cucumber.gherkin.GherkinParser;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.FeatureChild;
import io.cucumber.messages.types.GherkinDocument;
import io.cucumber.messages.types.PickleStep;
import io.cucumber.messages.types.PickleStepType;
import io.cucumber.messages.types.RuleChild;
import io.cucumber.messages.types.Step;
import org.junit.platform.commons.support.ReflectionSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The step vocabulary as Cucumber itself sees it: every step expression of the glue (from its
 * annotations), the custom parameter types (from {@code @ParameterType}), the refusal phrases,
 * and how the features use each step (the features parsed by Cucumber's Gherkin parser, their
 * steps matched by Cucumber's expression engine). {@link GlossaryMarkdown} and
 * {@link GlossaryHtml} render it.
 */
public final class StepGlossary {
    static final String GLUE_PACKAGE = "bai.scenarios.steps";
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]*)}");

    /** A custom parameter type: {@code {name}}, what it accepts and means. */
    public record ParameterDoc(String name, String regexp, String meaning, String accepts) {
    }

    /** A feature line that uses a step. */
    public record Example(String keyword, String text, String location) {
    }

    /** One step expression of the glue and what the features do with it. */
    public record StepDoc(String keyword, String expression, String meaning, String reads, String sets,
                          String method, List<String> parameters, Example example, int uses) {
        /** "tries to …" form available: the plain form must succeed, the attempt records its outcome. */
        public boolean isAttempt() {
            return parameters.contains("attempt");
        }
    }

    /** The steps of one step class, under its title. */
    public record Group(String title, int order, List<StepDoc> steps) {
    }

    /** A refusal phrase and the manager's answers it accepts. */
    public record RefusalDoc(String phrase, List<String> accepts) {
    }

    /** A feature step that no step, or more than one step, matches. */
    public record Mismatch(String location, String text, List<String> matches) {
    }

    private final List<Group> groups;
    private final List<ParameterDoc> parameterTypes;
    private final List<RefusalDoc> refusals;
    private final List<Mismatch> mismatches;
    private final List<String> undocumented;

    private StepGlossary(List<Group> groups, List<ParameterDoc> parameterTypes, List<RefusalDoc> refusals,
                         List<Mismatch> mismatches, List<String> undocumented) {
        this.groups = groups;
        this.parameterTypes = parameterTypes;
        this.refusals = refusals;
        this.mismatches = mismatches;
        this.undocumented = undocumented;
    }

    public List<Group> groups() {
        return groups;
    }

    public List<ParameterDoc> parameterTypes() {
        return parameterTypes;
    }

    public List<RefusalDoc> refusals() {
        return refusals;
    }

    /** Feature steps that match no step (undefined) or several (ambiguous). */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /** Steps and parameter types without a {@link Glossary} entry (method names). */
    public List<String> undocumented() {
        return undocumented;
    }

    /** Every step, across the groups. */
    public List<StepDoc> steps() {
        return groups.stream().flatMap(g -> g.steps().stream()).toList();
    }

    /** Builds the glossary from the glue on the classpath and the features under {@code features}. */
    public static StepGlossary build(Path features) {
        List<Class<?>> glue = ReflectionSupport.findAllClassesInPackage(GLUE_PACKAGE, c -> true, n -> true);
        List<String> undocumented = new ArrayList<>();
        List<ParameterDoc> parameterTypes = parameterTypes(glue, undocumented);
        ParameterTypeRegistry registry = new ParameterTypeRegistry(Locale.ENGLISH);
        for (ParameterDoc doc : parameterTypes) {
            registry.defineParameterType(new ParameterType<>(doc.name(), doc.regexp(), Object.class,
                    (String[] groups) -> groups));
        }

        ExpressionFactory expressions = new ExpressionFactory(registry);
        List<Definition> definitions = new ArrayList<>();
        for (Class<?> type : glue) {
            for (Method method : type.getDeclaredMethods()) {
                for (String[] step : stepAnnotations(method)) {
                    definitions.add(new Definition(type, method, step[0], step[1],
                            expressions.createExpression(step[1])));
                }
            }
        }
        List<Mismatch> mismatches = new ArrayList<>();
        Map<Definition, List<Example>> uses = usages(features, definitions, mismatches);

        Map<Class<?>, List<StepDoc>> byClass = new LinkedHashMap<>();
        for (Definition d : definitions) {
            Glossary doc = d.method().getAnnotation(Glossary.class);
            if (doc == null) {
                undocumented.add(d.type().getSimpleName() + "." + d.method().getName() + " (" + d.expression() + ")");
            }
            List<Example> examples = uses.getOrDefault(d, List.of());
            byClass.computeIfAbsent(d.type(), t -> new ArrayList<>()).add(new StepDoc(d.keyword(), d.expression(),
                    doc == null ? "" : doc.value(), doc == null ? "" : doc.reads(), doc == null ? "" : doc.sets(),
                    d.type().getSimpleName() + "." + d.method().getName(), parameterNames(d.expression()),
                    examples.isEmpty() ? null : examples.get(0), examples.size()));
        }
        List<Group> groups = new ArrayList<>();
        byClass.forEach((type, steps) -> {
            Glossary doc = type.getAnnotation(Glossary.class);
            if (doc == null) {
                undocumented.add(type.getSimpleName() + " (the step class has no group title)");
            }
            steps.sort(Comparator.comparing((StepDoc s) -> keywordOrder(s.keyword())).thenComparing(StepDoc::expression));
            groups.add(new Group(doc == null ? type.getSimpleName() : doc.value(), doc == null ? 1000 : doc.order(),
                    List.copyOf(steps)));
        });
        groups.sort(Comparator.comparingInt(Group::order).thenComparing(Group::title));
        List<RefusalDoc> refusals = Stream.of(Refusal.values()).map(r -> new RefusalDoc(r.phrase(), r.accepts()))
                .toList();
        undocumented.sort(Comparator.naturalOrder());
        return new StepGlossary(List.copyOf(groups), parameterTypes, refusals, List.copyOf(mismatches),
                List.copyOf(undocumented));
    }

    private record Definition(Class<?> type, Method method, String keyword, String expression,
                              Expression compiled) {
    }

    private static List<String[]> stepAnnotations(Method method) {
        List<String[]> steps = new ArrayList<>();
        for (Given g : method.getAnnotationsByType(Given.class)) {
            steps.add(new String[] {"Given", g.value()});
        }
        for (When w : method.getAnnotationsByType(When.class)) {
            steps.add(new String[] {"When", w.value()});
        }
        for (Then t : method.getAnnotationsByType(Then.class)) {
            steps.add(new String[] {"Then", t.value()});
        }
        return steps;
    }

    private static List<ParameterDoc> parameterTypes(List<Class<?>> glue, List<String> undocumented) {
        List<ParameterDoc> docs = new ArrayList<>();
        for (Class<?> type : glue) {
            for (Method method : type.getDeclaredMethods()) {
                io.cucumber.java.ParameterType annotation = method.getAnnotation(io.cucumber.java.ParameterType.class);
                if (annotation == null) {
                    continue;
                }
                String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
                Glossary doc = method.getAnnotation(Glossary.class);
                if (doc == null) {
                    undocumented.add(type.getSimpleName() + "." + method.getName() + " (parameter type {" + name + "})");
                }
                docs.add(new ParameterDoc(name, annotation.value(), doc == null ? "" : doc.value(),
                        doc == null || doc.accepts().isEmpty() ? plainAlternatives(annotation.value()) : doc.accepts()));
            }
        }
        docs.sort(Comparator.comparing(ParameterDoc::name));
        return List.copyOf(docs);
    }

    /** "a|b|c" → "`a`, `b`, `c`"; anything fancier must be described by hand. */
    private static String plainAlternatives(String regexp) {
        if (!regexp.matches("[A-Za-z ,.'-]+(\\|[A-Za-z ,.'-]+)*")) {
            return "";
        }
        return String.join(", ", Stream.of(regexp.split("\\|")).map(a -> "`" + a + "`").toList());
    }

    private static List<String> parameterNames(String expression) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAMETER.matcher(expression);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static int keywordOrder(String keyword) {
        return switch (keyword) {
            case "Given" -> 0;
            case "When" -> 1;
            default -> 2;
        };
    }

    /** Every step of every scenario (outline rows expanded), matched against the definitions. */
    private static Map<Definition, List<Example>> usages(Path features, List<Definition> definitions,
                                                        List<Mismatch> mismatches) {
        Map<Definition, List<Example>> uses = new HashMap<>();
        // Outlines and shared steps repeat the same text many times; each text is matched once.
        Map<String, List<Definition>> matchesByText = new HashMap<>();
        List<Path> files;
        try (Stream<Path> tree = Files.walk(features)) {
            files = tree.filter(p -> p.toString().endsWith(".feature")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the features in " + features, e);
        }
        GherkinParser parser = GherkinParser.builder().includeSource(false).includeGherkinDocument(true)
                .includePickles(true).build();
        for (Path file : files) {
            List<Envelope> envelopes;
            try {
                envelopes = parser.parse(file).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            Map<String, Long> lines = new HashMap<>();
            envelopes.stream().map(Envelope::getGherkinDocument).flatMap(Optional::stream)
                    .forEach(document -> stepLines(document, lines));
            String where = features.getFileName() + "/" + features.relativize(file).toString().replace('\\', '/');
            envelopes.stream().map(Envelope::getPickle).flatMap(Optional::stream).forEach(pickle -> {
                for (PickleStep step : pickle.getSteps()) {
                    String location = where + ":" + lines.getOrDefault(step.getAstNodeIds().get(0), 0L);
                    List<Definition> matches = matchesByText.computeIfAbsent(step.getText(), text -> definitions.stream()
                            .filter(d -> d.compiled().match(text) != null).toList());
                    if (matches.size() != 1) {
                        mismatches.add(new Mismatch(location, step.getText(),
                                matches.stream().map(Definition::expression).toList()));
                        continue;
                    }
                    uses.computeIfAbsent(matches.get(0), d -> new ArrayList<>())
                            .add(new Example(keyword(step), step.getText(), location));
                }
            });
        }
        return uses;
    }

    private static String keyword(PickleStep step) {
        return switch (step.getType().orElse(PickleStepType.UNKNOWN)) {
            case CONTEXT -> "Given";
            case ACTION -> "When";
            case OUTCOME -> "Then";
            default -> "*";
        };
    }

    private static void stepLines(GherkinDocument document, Map<String, Long> lines) {
        document.getFeature().ifPresent(feature -> {
            for (FeatureChild child : feature.getChildren()) {
                child.getBackground().ifPresent(b -> b.getSteps().forEach(s -> line(s, lines)));
                child.getScenario().ifPresent(s -> s.getSteps().forEach(step -> line(step, lines)));
                child.getRule().ifPresent(rule -> {
                    for (RuleChild ruleChild : rule.getChildren()) {
                        ruleChild.getBackground().ifPresent(b -> b.getSteps().forEach(s -> line(s, lines)));
                        ruleChild.getScenario().ifPresent(s -> s.getSteps().forEach(step -> line(step, lines)));
                    }
                });
            }
        });
    }

    private static void line(Step step, Map<String, Long> lines) {
        lines.put(step.getId(), step.getLocation().getLine());
    }
}
