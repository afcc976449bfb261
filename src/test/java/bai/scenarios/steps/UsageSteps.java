package bai.scenarios.steps;

import bai.scenarios.client.ResourcesApi.ContainerUsage;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.world.Actor;
import bai.scenarios.world.Cast;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Then;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about the usage reports an administrator reads. */
@Glossary(value = "Usage reports", order = 119)
public class UsageSteps {
    /** The manager records a container's last statistics as it stops it, shortly after the session ends. */
    private static final Duration RECORDED = Duration.ofSeconds(30);
    private final Cast cast;
    private final SessionScene sessions;

    public UsageSteps(Cast cast, SessionScene sessions) {
        this.cast = cast;
        this.sessions = sessions;
    }

    @Glossary(value = "I (a superadmin) read this month's usage of someone's first project: it lists her latest"
            + " session's container, owned by her, with CPU allocated and a running time above zero (waits up to"
            + " 30 s for the manager to record it)", reads = "her/his session")
    @Then("this month's usage report lists {actor}'s session with a running time above zero")
    public void usageListsSession(String actor) {
        Actor owner = cast.actor(actor);
        User user = owner.requireAccount().created().user();
        OwnedSession session = sessions.of(owner.name());
        UUID project = cast.me().client().admin().projects(user.domainName()).stream()
                .filter(p -> p.name().equals(user.projectNames().get(0))).map(Project::id).findFirst()
                .orElseThrow(() -> new IllegalStateException(owner.name() + "'s project is not found"));
        String month = YearMonth.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMM"));
        AtomicReference<List<ContainerUsage>> last = new AtomicReference<>(List.of());
        try {
            Awaitility.await("the usage report to list session " + session.id()).atMost(RECORDED)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
                        last.set(cast.me().client().resources().monthUsage(month, List.of(project)));
                        return last.get().stream().anyMatch(c -> c.sessionId().equals(session.id()));
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the usage of " + month + " for " + owner.name() + "'s project did not list her"
                    + " session " + session.id() + " within " + RECORDED.toSeconds() + " s; it listed " + last.get());
        }
        ContainerUsage usage = last.get().stream().filter(c -> c.sessionId().equals(session.id())).findFirst()
                .orElseThrow();
        assertThat(usage.sessionName()).as("session name in %s", usage).isEqualTo(session.name());
        assertThat(usage.email()).as("owner in %s", usage).isEqualTo(user.email());
        assertThat(usage.cpuAllocated()).as("CPU allocated in %s", usage).isPositive();
        assertThat(usage.usedTime()).as("running time in %s", usage).isNotNull().isPositive();
    }
}
