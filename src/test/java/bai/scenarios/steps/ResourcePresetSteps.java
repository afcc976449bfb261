package bai.scenarios.steps;

import bai.scenarios.client.ResourcesApi.PresetCheck;
import bai.scenarios.world.Actor;
import bai.scenarios.world.Cast;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about what someone may launch: resource presets and the scaling groups open to a project. */
@Glossary(value = "Resource presets and scaling groups", order = 112)
public class ResourcePresetSteps {
    private final Cast cast;
    private PresetCheck check;
    private List<String> scalingGroups;

    public ResourcePresetSteps(Cast cast) {
        this.cast = cast;
    }

    /** Her first project, as sessions use it ("default" for me). */
    private static String projectOf(Actor actor) {
        if (actor.account().isEmpty()) {
            return "default";
        }
        List<String> projects = actor.requireAccount().created().user().projectNames();
        return projects.isEmpty() ? "default" : projects.get(0);
    }

    @Glossary(value = "someone asks the manager which resource presets she can launch now in her first project"
            + " (the manager may answer from a cache of up to a minute: check once per scenario, after the"
            + " sessions that matter are running)", reads = "the person", sets = "the preset check")
    @When("{actor} checks which resource presets she/he/they can launch")
    public void checksPresets(String actor) {
        Actor who = cast.actor(actor);
        check = who.client().resources().checkPresets(projectOf(who));
    }

    @Glossary(value = "the preset check reports this preset as one that can start now", reads = "the preset check")
    @Then("the preset {string} is allocatable")
    public void allocatable(String preset) {
        assertThat(presetCheck().allocatable()).as("presets and whether each can start now")
                .containsEntry(preset, true);
    }

    @Glossary(value = "the preset check reports this preset as one that cannot start now", reads = "the preset check")
    @Then("the preset {string} is not allocatable")
    public void notAllocatable(String preset) {
        assertThat(presetCheck().allocatable()).as("presets and whether each can start now")
                .containsEntry(preset, false);
    }

    @Glossary(value = "what the preset check says is left for her keypair (the least of what her keypair, project"
            + " and domain still allow)", reads = "the preset check")
    @Then("her/his/their keypair has {int} CPU(s) and {int} GiB of memory left")
    public void keypairLeft(int cpus, int gib) {
        PresetCheck found = presetCheck();
        assertThat(found.keypairRemaining().get("cpu")).as("CPUs left of %s (using %s)", found.keypairLimits(),
                found.keypairUsing()).isEqualByComparingTo(BigDecimal.valueOf(cpus));
        assertThat(found.keypairRemaining().get("mem")).as("memory left of %s (using %s)", found.keypairLimits(),
                found.keypairUsing()).isEqualByComparingTo(new BigDecimal(BigInteger.valueOf(gib).shiftLeft(30)));
    }

    private PresetCheck presetCheck() {
        if (check == null) {
            throw new IllegalStateException("no presets were checked in this scenario yet");
        }
        return check;
    }

    @Glossary(value = "someone lists the scaling groups she may use with the project of this name",
            reads = "the person", sets = "the scaling groups")
    @When("{actor} list(s) the scaling groups open to the {string} project")
    public void listsScalingGroups(String actor, String project) {
        scalingGroups = cast.actor(actor).client().resources().scalingGroups(project);
    }

    @Glossary(value = "the listed scaling groups include this one", reads = "the scaling groups")
    @Then("the scaling group {string} is among them")
    public void scalingGroupListed(String name) {
        if (scalingGroups == null) {
            throw new IllegalStateException("no scaling groups were listed in this scenario yet");
        }
        assertThat(scalingGroups).as("the scaling groups open to the project").contains(name);
    }
}
