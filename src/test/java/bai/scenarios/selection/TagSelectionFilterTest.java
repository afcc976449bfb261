package bai.scenarios.selection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

class TagSelectionFilterTest {
    private static final UniqueId SUITE = UniqueId.forEngine("junit-platform-suite").append("suite", "bai.scenarios.RunCucumberIT");

    @TempDir
    Path features;

    private final TagSelection tally = new TagSelection();

    @Test
    void aScenarioTheExpressionDoesNotSelectIsLeftOutOfThePlan() {
        TagSelectionFilter filter = new TagSelectionFilter(Optional.of("@auth and not @slow"), tally);

        assertThat(filter.apply(scenario("1", "auth")).included()).isTrue();
        assertThat(filter.apply(scenario("2", "auth", "slow")).excluded()).isTrue();
        assertThat(filter.apply(scenario("3", "sessions")).excluded()).isTrue();
        assertThat(filter.apply(scenario("4")).excluded()).as("untagged").isTrue();

        assertThat(tally.describe()).hasValue("Tag expression '@auth and not @slow' selected 1 of 4 scenarios");
    }

    @Test
    void theProjectsOwnTestsAndContainersAreNeverJudged() {
        TagSelectionFilter filter = new TagSelectionFilter(Optional.of("@auth"), tally);

        TestDescriptor unitTest = new Descriptor(UniqueId.forEngine("junit-jupiter").append("class", "SignerTest"),
                TestDescriptor.Type.TEST, Set.of());
        TestDescriptor feature = new Descriptor(SUITE.append("engine", "cucumber").append("feature", "x.feature"),
                TestDescriptor.Type.CONTAINER, Set.of());

        assertThat(filter.apply(unitTest).included()).isTrue();
        assertThat(filter.apply(feature).included()).isTrue();
        assertThat(tally.scenarios()).isZero();
    }

    @Test
    void noExpressionOrABrokenOneSelectsEverything() {
        for (Optional<String> source : Arrays.asList(Optional.<String>empty(), Optional.of("  "), Optional.of("@auth and ("))) {
            FilterResult result = new TagSelectionFilter(source, tally).apply(scenario("1", "sessions"));
            assertThat(result.included()).as(source.toString()).isTrue();
        }
        assertThat(tally.describe()).as("a broken expression is Cucumber's to report").isEmpty();
    }

    @Test
    void onCucumbersOwnDiscoveryTheUnselectedScenariosAreNotInThePlanAtAll() throws IOException {
        Files.writeString(features.resolve("mixed.feature"), """
                @auth
                Feature: Mixed

                  Scenario: Fast one
                    Given a step

                  @slow
                  Scenario: Slow one
                    Given a step

                  Scenario Outline: Outline <n>
                    Given a step

                    @slow
                    Examples:
                      | n |
                      | 1 |

                    Examples:
                      | n |
                      | 2 |
                """, StandardCharsets.UTF_8);
        TestPlan plan = LauncherFactory.create().discover(request()
                .selectors(selectFile(features.resolve("mixed.feature").toFile()))
                .filters(new TagSelectionFilter(Optional.of("not @slow"), tally))
                .build());

        Set<String> tests = plan.getRoots().stream()
                .flatMap(root -> plan.getDescendants(root).stream())
                .filter(TestIdentifier::isTest)
                .map(TestIdentifier::getDisplayName)
                .collect(Collectors.toSet());
        assertThat(tests).containsExactlyInAnyOrder("Mixed - Fast one", "Mixed - Outline <n> - Examples - Outline 2");
        assertThat(tally.describe()).hasValue("Tag expression 'not @slow' selected 2 of 4 scenarios");
    }

    @Test
    void theJUnitPlatformLoadsTheFilter() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/org.junit.platform.launcher.PostDiscoveryFilter")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(TagSelectionFilter.class.getName());
        }
    }

    private static TestDescriptor scenario(String line, String... tags) {
        UniqueId id = SUITE.append("engine", "cucumber").append("feature", "x.feature").append("scenario", line);
        return new Descriptor(id, TestDescriptor.Type.TEST,
                Arrays.stream(tags).map(TestTag::create).collect(Collectors.toSet()));
    }

    private static final class Descriptor extends AbstractTestDescriptor {
        private final Type type;
        private final Set<TestTag> tags;

        Descriptor(UniqueId id, Type type, Set<TestTag> tags) {
            super(id, id.getLastSegment().getValue());
            this.type = type;
            this.tags = tags;
        }

        @Override
        public Type getType() {
            return type;
        }

        @Override
        public Set<TestTag> getTags() {
            return tags;
        }
    }
}
