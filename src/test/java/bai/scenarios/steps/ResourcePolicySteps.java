package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminRecords.LimitPolicy;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about user and project resource policies (what one user or project may own). */
public class ResourcePolicySteps {
    private final AdminFixtures fixtures;
    private final AdminScene scene;

    public ResourcePolicySteps(AdminFixtures fixtures, AdminScene scene) {
        this.fixtures = fixtures;
        this.scene = scene;
    }

    @Given("a {policyKind} resource policy allowing {int} virtual folders")
    @When("I create a {policyKind} resource policy allowing {int} virtual folders")
    public void createPolicy(String kind, int folders) {
        scene.limitPolicy(fixtures.limitPolicy(kind, folders));
    }

    @When("I change the {policyKind} resource policy to allow {int} virtual folders")
    public void changePolicy(String kind, int folders) {
        fixtures.admin().modifyLimitPolicy(kind, scene.limitPolicy().name(), folders);
    }

    @When("I delete the {policyKind} resource policy")
    public void deletePolicy(String kind) {
        fixtures.admin().deleteLimitPolicy(kind, scene.limitPolicy().name());
    }

    @Then("the {policyKind} resource policy is listed allowing {int} virtual folders")
    public void listedAllowing(String kind, int folders) {
        LimitPolicy listed = fixtures.admin().limitPolicies(kind).stream()
                .filter(p -> p.name().equals(scene.limitPolicy().name())).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " resource policy " + scene.limitPolicy().name()
                        + " is not listed"));
        assertThat(listed.maxVfolderCount()).as("max_vfolder_count").isEqualTo(folders);
    }

    @Then("the {policyKind} resource policy is no longer listed")
    public void noLongerListed(String kind) {
        assertThat(fixtures.admin().limitPolicies(kind)).extracting(LimitPolicy::name)
                .doesNotContain(scene.limitPolicy().name());
    }
}
