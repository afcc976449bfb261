package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminRecords.LimitPolicy;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about user and project resource policies (what one user or project may own). */
@Glossary(value = "User and project resource policies", order = 70)
public class ResourcePolicySteps {
    private final AdminFixtures fixtures;
    private final AdminScene scene;
    private final LastOutcome outcome;

    public ResourcePolicySteps(AdminFixtures fixtures, AdminScene scene, LastOutcome outcome) {
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
    }

    @Glossary(value = "creates a user or project resource policy allowing this many virtual folders",
            sets = "the user/project policy")
    @Given("a {policyKind} resource policy allowing {int} virtual folders")
    @When("I create a {policyKind} resource policy allowing {int} virtual folders")
    public void createPolicy(String kind, int folders) {
        scene.limitPolicy(fixtures.limitPolicy(kind, folders));
    }

    @Glossary(value = "changes how many virtual folders the policy allows", reads = "the user/project policy")
    @When("I {attempt}change the {policyKind} resource policy to allow {int} virtual folders")
    public void changePolicy(Attempt attempt, String kind, int folders) {
        outcome.make(attempt, () -> fixtures.admin().modifyLimitPolicy(kind, scene.limitPolicy().name(), folders));
    }

    @Glossary(value = "deletes the user or project resource policy", reads = "the user/project policy")
    @When("I {attempt}delete the {policyKind} resource policy")
    public void deletePolicy(Attempt attempt, String kind) {
        outcome.make(attempt, () -> fixtures.admin().deleteLimitPolicy(kind, scene.limitPolicy().name()));
    }

    @Glossary(value = "the policy is listed allowing this many virtual folders", reads = "the user/project policy")
    @Then("the {policyKind} resource policy is listed allowing {int} virtual folders")
    public void listedAllowing(String kind, int folders) {
        LimitPolicy listed = fixtures.admin().limitPolicies(kind).stream()
                .filter(p -> p.name().equals(scene.limitPolicy().name())).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " resource policy " + scene.limitPolicy().name()
                        + " is not listed"));
        assertThat(listed.maxVfolderCount()).as("max_vfolder_count").isEqualTo(folders);
    }

    @Glossary(value = "the policy is no longer listed", reads = "the user/project policy")
    @Then("the {policyKind} resource policy is no longer listed")
    public void noLongerListed(String kind) {
        assertThat(fixtures.admin().limitPolicies(kind)).extracting(LimitPolicy::name)
                .doesNotContain(scene.limitPolicy().name());
    }
}
