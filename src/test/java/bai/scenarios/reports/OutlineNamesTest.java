package bai.scenarios.reports;

import io.cucumber.gherkin.GherkinParser;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.Examples;
import io.cucumber.messages.types.FeatureChild;
import io.cucumber.messages.types.Scenario;
import io.cucumber.messages.types.TableCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each example of a Scenario Outline is named, in Maven's output, Failsafe's XML, junit.xml and the
 * HTML report, by the outline's name with the example's values filled in. An outline whose name
 * names none of its columns gives every example the same name, so its examples cannot be told
 * apart there: this check asks for a column in the name.
 */
class OutlineNamesTest {
    private static final Path FEATURES = Path.of("features");

    @Test
    void everyOutlineNamesOneOfItsColumnsSoItsExamplesReadByTheirValues() throws IOException {
        assertThat(outlinesNamingNoColumn(FEATURES))
                .as("Put a column in the Scenario Outline's name, e.g. \"A call from a clock that is <drift> is refused\","
                        + " so each example is named by its values in the reports")
                .isEmpty();
    }

    @Test
    void anOutlineNamingNoColumnIsFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.feature"), """
                Feature: A
                  Scenario Outline: Named by its <value>
                    Given a step <value>
                    Examples:
                      | value |
                      | 1     |

                  Scenario Outline: Named by nothing
                    Given a step <value>
                    Examples:
                      | value |
                      | 1     |
                """);

        assertThat(outlinesNamingNoColumn(dir)).containsExactly("a.feature:8: Named by nothing (columns: value)");
    }

    static List<String> outlinesNamingNoColumn(Path root) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".feature")).sorted().toList()) {
                for (Scenario outline : outlines(file)) {
                    List<String> columns = outline.getExamples().stream()
                            .flatMap(examples -> examples.getTableHeader().stream())
                            .flatMap(header -> header.getCells().stream())
                            .map(TableCell::getValue)
                            .distinct()
                            .toList();
                    if (!columns.isEmpty() && columns.stream().noneMatch(c -> outline.getName().contains("<" + c + ">"))) {
                        offenders.add(root.relativize(file) + ":" + outline.getLocation().getLine() + ": " + outline.getName()
                                + " (columns: " + String.join(", ", columns) + ")");
                    }
                }
            }
        }
        return offenders;
    }

    private static List<Scenario> outlines(Path file) throws IOException {
        List<Scenario> outlines = new ArrayList<>();
        try (Stream<Envelope> messages = GherkinParser.builder().includeSource(false).includePickles(false).build().parse(file)) {
            messages.forEach(message -> message.getGherkinDocument().flatMap(d -> d.getFeature()).ifPresent(feature -> {
                for (FeatureChild child : feature.getChildren()) {
                    child.getScenario().ifPresent(outlines::add);
                    child.getRule().ifPresent(rule -> rule.getChildren().forEach(c -> c.getScenario().ifPresent(outlines::add)));
                }
            }));
        }
        outlines.removeIf(scenario -> scenario.getExamples().stream().map(Examples::getTableHeader).allMatch(h -> h.isEmpty()));
        return outlines;
    }
}
