package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Domain;
import bai.scenarios.client.admin.DomainSpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about domains. "I" is the configured superadmin; "the domain" is the scenario's. */
@Glossary(value = "Domains", order = 20)
public class DomainSteps {
    private static final String DESCRIPTION = "created by bai-scenarios";
    private final AdminFixtures fixtures;
    private final AdminScene scene;
    private final LastOutcome outcome;
    private final Cast cast;

    public DomainSteps(AdminFixtures fixtures, AdminScene scene, LastOutcome outcome, Cast cast) {
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
        this.cast = cast;
    }

    private AdminApi admin() {
        return fixtures.admin();
    }

    private Domain current() {
        return admin().domain(scene.domain().name())
                .orElseThrow(() -> new AssertionError("domain " + scene.domain().name() + " does not exist"));
    }

    @Glossary(value = "creates a new domain, active, with a description and no quota", sets = "the domain")
    @Given("a domain")
    public void aDomain() {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION)));
    }

    @Glossary(value = "creates a second domain besides the scenario's domain", sets = "the other domain")
    @Given("another domain")
    public void anotherDomain() {
        scene.otherDomain(fixtures.domain(DomainSpec.standard("another domain")));
    }

    @Glossary(value = "creates a new domain that starts out inactive", sets = "the domain")
    @When("I create an inactive domain")
    public void anInactiveDomain() {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION).inactive()));
    }

    @Glossary(value = "creates a new domain whose total resource slots are the table's (slot | amount)",
            sets = "the domain")
    @When("I create a domain with the resource quota:")
    public void aDomainWithQuota(Map<String, String> slots) {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION).withSlots(slots)));
    }

    @Glossary(value = "creates a new domain whose users have these permissions on a storage host", sets = "the domain")
    @When("I create a domain whose users may {quotedList} on {string}")
    public void aDomainWithHostPermissions(List<String> permissions, String host) {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION).withVfolderHosts(Map.of(host, permissions))));
    }

    @Glossary(value = "creates a new domain holding a user (`users`) or a project (`projects`)", sets = "the domain")
    @Given("a domain with {word}")
    public void aDomainWith(String dependants) {
        aDomain();
        switch (dependants) {
            case "users" -> fixtures.user(scene.domain().name(), "user", "active", List.of());
            case "projects" -> fixtures.project(scene.domain().name(), Map.of());
            default -> throw new IllegalArgumentException("a domain with " + dependants + " is not a known setup;"
                    + " say `users` or `projects`");
        }
    }

    @Glossary(value = "the superadmin creates a domain named like the scenario's domain", reads = "the domain")
    @When("I {attempt}create another domain with the same name")
    public void anotherWithSameName(Attempt attempt) {
        outcome.make(attempt, () -> fixtures.domainNamed(scene.domain().name(), DomainSpec.standard(DESCRIPTION),
                admin()));
    }

    @Glossary(value = "someone creates a new domain with their own keypair", sets = "the last call's outcome")
    @When("{actor} {attempt}create(s) a domain")
    public void createsDomain(String actor, Attempt attempt) {
        Domain created = outcome.make(attempt, () -> fixtures.domain(DomainSpec.standard(DESCRIPTION),
                cast.actor(actor).client().admin()));
        if (created != null) {
            scene.domain(created);
        }
    }

    @Glossary(value = "changes the domain's description", reads = "the domain")
    @When("I {attempt}change the domain's description to {string}")
    public void changeDescription(Attempt attempt, String description) {
        outcome.make(attempt, () -> admin().modifyDomain(scene.domain().name(), Map.of("description", description)));
    }

    @Glossary(value = "gives the domain a new, unused name", reads = "the domain", sets = "the domain (renamed)")
    @When("I {attempt}rename the domain")
    public void renameDomain(Attempt attempt) {
        String before = scene.domain().name();
        Domain renamed = outcome.make(attempt, () -> fixtures.renameDomain(before));
        if (renamed != null) {
            scene.previousDomainName(before);
            scene.domain(renamed);
        }
    }

    @Glossary(value = "renames the domain to the name the other domain has", reads = "the domain, the other domain")
    @When("I {attempt}rename the domain to the other domain's name")
    public void renameToOthersName(Attempt attempt) {
        outcome.make(attempt, () -> admin().modifyDomain(scene.domain().name(),
                Map.of("name", scene.otherDomain().name())));
    }

    @Glossary(value = "deletes the domain, which the manager does by deactivating it", reads = "the domain")
    @When("I {attempt}delete the domain")
    public void deleteDomain(Attempt attempt) {
        outcome.make(attempt, () -> admin().deleteDomain(scene.domain().name()));
    }

    @Glossary(value = "removes the domain for good (refused while users or projects remain)", reads = "the domain")
    @When("I {attempt}purge the domain")
    public void purgeDomain(Attempt attempt) {
        outcome.make(attempt, () -> admin().purgeDomain(scene.domain().name()));
    }

    @Glossary(value = "the domain appears in the list of all domains", reads = "the domain")
    @Then("the domain is listed among the domains")
    public void listed() {
        assertThat(admin().domains()).extracting(Domain::name).contains(scene.domain().name());
    }

    @Glossary(value = "the domain is active", reads = "the domain")
    @Then("the domain is active")
    public void active() {
        assertThat(current().isActive()).as("is_active of %s", scene.domain().name()).isTrue();
    }

    @Glossary(value = "the domain is inactive", reads = "the domain")
    @Then("the domain is inactive")
    public void inactive() {
        assertThat(current().isActive()).as("is_active of %s", scene.domain().name()).isFalse();
    }

    @Glossary(value = "the domain's total resource slots are exactly the table's (memory in bytes)", reads = "the domain")
    @Then("the domain's resource quota is:")
    public void quotaIs(Map<String, String> slots) {
        assertThat(current().totalResourceSlots()).containsExactlyInAnyOrderEntriesOf(slots);
    }

    @Glossary(value = "the domain's users have exactly these permissions on the storage host", reads = "the domain")
    @Then("the domain allows {quotedList} on {string}")
    public void allows(List<String> permissions, String host) {
        assertThat(current().allowedVfolderHosts()).containsKey(host);
        assertThat(current().allowedVfolderHosts().get(host)).containsExactlyInAnyOrderElementsOf(permissions);
    }

    @Glossary(value = "the domain's description", reads = "the domain")
    @Then("the domain's description reads {string}")
    public void descriptionReads(String description) {
        assertThat(current().description()).isEqualTo(description);
    }

    @Glossary(value = "the renamed domain is listed by its new name and not by its old one", reads = "the domain")
    @Then("the domain is listed under its new name only")
    public void listedUnderNewName() {
        assertThat(admin().domains()).extracting(Domain::name)
                .contains(scene.domain().name()).doesNotContain(scene.previousDomainName());
    }

    @Glossary(value = "the domain still has its own name and the other domain still exists",
            reads = "the domain, the other domain")
    @Then("both domains keep their names")
    public void bothKeepNames() {
        assertThat(admin().domains()).extracting(Domain::name)
                .contains(scene.domain().name(), scene.otherDomain().name());
    }

    @Glossary(value = "the domain cannot be found any more, alone or in the list", reads = "the domain")
    @Then("the domain no longer exists")
    public void noLongerExists() {
        assertThat(admin().domain(scene.domain().name())).isEmpty();
        assertThat(admin().domains()).extracting(Domain::name).doesNotContain(scene.domain().name());
    }
}
