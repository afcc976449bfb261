package bai.scenarios.steps;

import bai.scenarios.client.admin.AdminApi.ImageInfo;
import bai.scenarios.fixtures.AdminFixtures;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about the image catalogue. */
@Glossary(value = "Images", order = 100)
public class ImageSteps {
    private final AdminFixtures fixtures;
    private List<ImageInfo> images = List.of();

    public ImageSteps(AdminFixtures fixtures) {
        this.fixtures = fixtures;
    }

    @Glossary(value = "lists the images the manager knows, with their minimum resources", sets = "the image list")
    @When("I list the installed images")
    public void listImages() {
        images = fixtures.admin().images();
    }

    @Glossary(value = "the listed image (full reference) declares these minimum resources", reads = "the image list")
    @Then("the image {string} requires at least {int} CPU and {int} MiB of memory")
    public void imageRequires(String reference, int cpu, int mib) {
        ImageInfo image = images.stream().filter(i -> i.reference().equals(reference)).findFirst()
                .orElseThrow(() -> new AssertionError(reference + " is not among " + images));
        assertThat(image.minimums().get("cpu")).isEqualTo(String.valueOf(cpu));
        assertThat(image.minimums().get("mem"))
                .isEqualTo(BigInteger.valueOf(mib).multiply(BigInteger.valueOf(1024 * 1024)).toString());
    }
}
