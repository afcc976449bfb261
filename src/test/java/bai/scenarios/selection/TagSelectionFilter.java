package bai.scenarios.selection;

import io.cucumber.tagexpressions.Expression;
import io.cucumber.tagexpressions.TagExpressionException;
import io.cucumber.tagexpressions.TagExpressionParser;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Leaves the scenarios that {@code cucumber.filter.tags} does not select out of the test plan.
 *
 * <p>Cucumber's JUnit engine applies the tag expression only while it runs, and reports every
 * scenario it does not select as <em>skipped</em> ("Tests run: 95, Skipped: 81" for 14 scenarios).
 * This filter, registered in {@code META-INF/services}, runs when the JUnit Platform has discovered
 * the tests and removes the Cucumber scenarios the expression does not select, so Maven, Failsafe's
 * XML and the reports count only the scenarios that were meant to run. Cucumber still applies the
 * same expression (it is a no-op then), and {@code cucumber.filter.name} is left to Cucumber.
 *
 * <p>Only tests of the Cucumber engine are judged: the project's own JUnit tests always pass.
 * A scenario's tags reach the filter as JUnit tags, which Cucumber makes from the Gherkin tags
 * (inherited ones included) minus their leading {@code @}; a Gherkin tag JUnit cannot hold (one
 * with parentheses, commas, {@code &}, {@code |} or {@code !}) is missing there, so keep tags to
 * plain words, as the suite's are.
 */
public final class TagSelectionFilter implements PostDiscoveryFilter {
    static final String PROPERTY = "cucumber.filter.tags";

    private final Optional<String> source;
    private final Optional<Expression> expression;
    private final TagSelection tally;

    /** The filter the JUnit Platform loads: the expression of this run, counted in {@link TagSelection#ofThisRun()}. */
    public TagSelectionFilter() {
        this(configuredExpression(), TagSelection.ofThisRun());
    }

    TagSelectionFilter(Optional<String> expressionSource, TagSelection tally) {
        this.source = expressionSource.map(String::strip).filter(text -> !text.isEmpty());
        this.expression = source.flatMap(TagSelectionFilter::parse);
        this.tally = tally;
    }

    /**
     * A broken expression selects everything here: Cucumber then fails the run with its own
     * message about it, as it always has, instead of this filter hiding every scenario.
     */
    private static Optional<Expression> parse(String text) {
        try {
            return Optional.of(TagExpressionParser.parse(text));
        } catch (TagExpressionException e) {
            return Optional.empty();
        }
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (!descriptor.isTest() || !isCucumber(descriptor.getUniqueId())) {
            return FilterResult.included(null);
        }
        List<String> tags = descriptor.getTags().stream().map(tag -> "@" + tag.getName()).toList();
        if (expression.isEmpty()) {
            tally.recordUnfiltered(descriptor.getUniqueId().toString(), tags);
            return FilterResult.included(null);
        }
        boolean selected = expression.get().evaluate(tags);
        tally.record(source.get(), descriptor.getUniqueId().toString(), tags, selected);
        return selected
                ? FilterResult.included("selected by " + PROPERTY + "=" + source.get())
                : FilterResult.excluded("not selected by " + PROPERTY + "=" + source.get());
    }

    /** A test of the Cucumber engine, also when it runs inside a JUnit suite (as RunCucumberIT does). */
    static boolean isCucumber(UniqueId id) {
        return id.getSegments().stream().anyMatch(s -> s.getType().equals("engine") && s.getValue().equals("cucumber"));
    }

    /**
     * Where Cucumber's JUnit engine reads it: a system property (Failsafe sets it from the pom or
     * {@code -Dcucumber.filter.tags}), else {@code junit-platform.properties}.
     */
    static Optional<String> configuredExpression() {
        String property = System.getProperty(PROPERTY);
        if (property != null) {
            return Optional.of(property);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream("junit-platform.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            return Optional.ofNullable(properties.getProperty(PROPERTY));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read junit-platform.properties", e);
        }
    }
}
