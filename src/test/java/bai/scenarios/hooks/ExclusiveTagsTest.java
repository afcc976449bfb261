package bai.scenarios.hooks;

import io.cucumber.junit.platform.engine.CucumberTestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.hierarchical.ExclusiveResource;
import org.junit.platform.engine.support.hierarchical.ExclusiveResource.LockMode;
import org.junit.platform.engine.support.hierarchical.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * The exclusive tags of {@code junit-platform.properties} reach the JUnit Platform's scheduler:
 * a scenario tagged {@code @isolated} holds the global lock read-write (nothing runs
 * beside it), {@code @exclusive:settings} and {@code @reads:settings} share a lock on the global
 * settings, {@code @exclusive:capacity} holds the cluster's capacity, and an untagged scenario
 * holds nothing (it runs in parallel as before).
 */
class ExclusiveTagsTest {
    @TempDir
    Path features;

    @Test
    void theTagsDeclareTheirLocks() throws IOException {
        Files.writeString(features.resolve("exclusive.feature"), """
                Feature: Exclusive

                  @isolated
                  Scenario: Freeze the manager
                    Given a step

                  @exclusive:settings
                  Scenario: Change a global setting
                    Given a step

                  @reads:settings
                  Scenario: Read a global setting
                    Given a step

                  @exclusive:capacity
                  Scenario: Scale up replicas of several containers
                    Given a step

                  Scenario: Anything else
                    Given a step
                """, StandardCharsets.UTF_8);
        TestDescriptor engine = new CucumberTestEngine().discover(request()
                .selectors(selectFile(features.resolve("exclusive.feature").toFile()))
                .build(), UniqueId.forEngine("cucumber"));

        Map<String, Set<ExclusiveResource>> locks = new HashMap<>();
        engine.getDescendants().stream().filter(TestDescriptor::isTest)
                // The long naming strategy of junit-platform.properties: "Exclusive - Freeze the manager".
                .forEach(d -> locks.put(d.getDisplayName().replaceFirst("^Exclusive - ", ""),
                        ((Node<?>) d).getExclusiveResources()));

        assertThat(locks.get("Freeze the manager")).containsExactly(
                new ExclusiveResource(ExclusiveResource.GLOBAL_KEY, LockMode.READ_WRITE));
        assertThat(locks.get("Change a global setting")).containsExactly(
                new ExclusiveResource("bai.scenarios.global-settings", LockMode.READ_WRITE));
        assertThat(locks.get("Read a global setting")).containsExactly(
                new ExclusiveResource("bai.scenarios.global-settings", LockMode.READ));
        assertThat(locks.get("Scale up replicas of several containers")).containsExactly(
                new ExclusiveResource("bai.scenarios.cluster-capacity", LockMode.READ_WRITE));
        assertThat(locks.get("Anything else")).isEmpty();
    }
}
