package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi;
import bai.scenarios.client.admin.AdminRecords.Domain;
import bai.scenarios.client.admin.DomainSpec;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about domains. "I" is the configured superadmin; "the domain" is the scenario's. */
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

    @Given("a domain")
    @When("I create a domain")
    public void aDomain() {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION)));
    }

    @When("I create an inactive domain")
    public void anInactiveDomain() {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION).inactive()));
    }

    @When("I create a domain with the resource quota:")
    public void aDomainWithQuota(Map<String, String> slots) {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION).withSlots(slots)));
    }

    @When("I create a domain whose users may {quotedList} on {string}")
    public void aDomainWithHostPermissions(List<String> permissions, String host) {
        scene.domain(fixtures.domain(DomainSpec.standard(DESCRIPTION).withVfolderHosts(Map.of(host, permissions))));
    }

    @Given("a domain with {word}")
    public void aDomainWith(String dependants) {
        aDomain();
        switch (dependants) {
            case "users" -> fixtures.user(scene.domain().name(), "user", "active", List.of());
            case "projects" -> fixtures.project(scene.domain().name(), Map.of());
            default -> throw new IllegalArgumentException("a domain with " + dependants + " is not a known setup");
        }
    }

    @When("I create another domain with the same name")
    public void anotherWithSameName() {
        outcome.record(() -> fixtures.domainNamed(scene.domain().name(), DomainSpec.standard(DESCRIPTION), admin()));
    }

    @When("{actor} tries to create a domain")
    public void triesToCreateDomain(String actor) {
        outcome.record(() -> fixtures.domain(DomainSpec.standard(DESCRIPTION), cast.actor(actor).client().admin()));
    }

    @When("I change the domain's description to {string}")
    public void changeDescription(String description) {
        admin().modifyDomain(scene.domain().name(), Map.of("description", description));
    }

    @When("I rename the domain")
    public void renameDomain() {
        scene.previousDomainName(scene.domain().name());
        scene.domain(fixtures.renameDomain(scene.domain().name()));
    }

    @When("I delete the domain")
    public void deleteDomain() {
        admin().deleteDomain(scene.domain().name());
    }

    @When("I purge the domain")
    public void purgeDomain() {
        outcome.record(() -> admin().purgeDomain(scene.domain().name()));
    }

    @Then("the domain is listed among the domains")
    public void listed() {
        assertThat(admin().domains()).extracting(Domain::name).contains(scene.domain().name());
    }

    @Then("the domain is active")
    public void active() {
        assertThat(current().isActive()).as("is_active of %s", scene.domain().name()).isTrue();
    }

    @Then("the domain is inactive")
    public void inactive() {
        assertThat(current().isActive()).as("is_active of %s", scene.domain().name()).isFalse();
    }

    @Then("the domain's resource quota is:")
    public void quotaIs(Map<String, String> slots) {
        assertThat(current().totalResourceSlots()).containsExactlyInAnyOrderEntriesOf(slots);
    }

    @Then("the domain allows {quotedList} on {string}")
    public void allows(List<String> permissions, String host) {
        assertThat(current().allowedVfolderHosts()).containsKey(host);
        assertThat(current().allowedVfolderHosts().get(host)).containsExactlyInAnyOrderElementsOf(permissions);
    }

    @Then("the domain's description reads {string}")
    public void descriptionReads(String description) {
        assertThat(current().description()).isEqualTo(description);
    }

    @Then("the domain is listed under its new name only")
    public void listedUnderNewName() {
        assertThat(admin().domains()).extracting(Domain::name)
                .contains(scene.domain().name()).doesNotContain(scene.previousDomainName());
    }

    @Then("the domain no longer exists")
    public void noLongerExists() {
        outcome.requireSuccess();
        assertThat(admin().domain(scene.domain().name())).isEmpty();
        assertThat(admin().domains()).extracting(Domain::name).doesNotContain(scene.domain().name());
    }
}
