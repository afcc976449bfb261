package bai.scenarios.steps;

import bai.scenarios.client.FoldersApi;
import bai.scenarios.client.FoldersApi.Folder;
import bai.scenarios.client.FoldersApi.FolderSpec;
import bai.scenarios.fixtures.FolderFixtures;
import bai.scenarios.world.Actor;
import bai.scenarios.world.Attempt;
import bai.scenarios.world.Cast;
import bai.scenarios.world.FolderScene;
import bai.scenarios.world.FolderScene.OwnedFolder;
import bai.scenarios.world.LastOutcome;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps about virtual folders themselves: creating, listing, renaming, the trash, purging, cloning. */
@Glossary(value = "Virtual folders", order = 140)
public class FolderSteps {
    private final Cast cast;
    private final FolderFixtures fixtures;
    private final FolderScene scene;
    private final LastOutcome outcome;

    public FolderSteps(Cast cast, FolderFixtures fixtures, FolderScene scene, LastOutcome outcome) {
        this.cast = cast;
        this.fixtures = fixtures;
        this.scene = scene;
        this.outcome = outcome;
    }

    private OwnedFolder create(Actor owner, String name, FolderSpec spec) {
        Folder folder = fixtures.create(owner.client(), name, spec);
        OwnedFolder owned = new OwnedFolder(owner.name(), folder.id(), folder.name());
        scene.created(owned);
        return owned;
    }

    private OwnedFolder herFolder() {
        return scene.of(cast.actor("she").name());
    }

    private FoldersApi foldersOf(String actor) {
        return cast.actor(actor).client().folders();
    }

    private Optional<Folder> listed(String owner, OwnedFolder folder) {
        return foldersOf(owner).list().stream().filter(f -> f.id().equals(folder.id())).findFirst();
    }

    @Glossary(value = "someone creates a folder on the default storage host, with the manager's defaults (`rw`, general use)",
            reads = "the person", sets = "her/his folder")
    @Given("{actor} has a folder")
    @When("{actor} creates a folder")
    public void createsFolder(String actor) {
        create(cast.actor(actor), fixtures.nextName(), FolderSpec.standard());
    }

    @Glossary(value = "someone creates a folder whose own permission is `ro`, `rw` or `wd`", reads = "the person",
            sets = "her/his folder")
    @When("{actor} creates a folder with the {string} permission")
    public void createsFolderWithPermission(String actor, String permission) {
        create(cast.actor(actor), fixtures.nextName(), FolderSpec.standard().withPermission(permission));
    }

    @Glossary(value = "someone creates a folder that may be cloned", reads = "the person", sets = "her/his folder")
    @Given("{actor} has a cloneable folder")
    public void hasCloneableFolder(String actor) {
        create(cast.actor(actor), fixtures.nextName(), FolderSpec.standard().asCloneable());
    }

    @Glossary(value = "someone creates a folder and moves it to the trash", reads = "the person", sets = "her/his folder")
    @Given("{actor} has a folder in the trash")
    public void hasFolderInTrash(String actor) {
        OwnedFolder folder = create(cast.actor(actor), fixtures.nextName(), FolderSpec.standard());
        foldersOf(actor).trash(folder.id());
    }

    @Glossary(value = "someone creates a folder with the very name of the other person's folder",
            reads = "the person, the other person's folder", sets = "her/his folder")
    @Given("{actor} has a folder named like {actor}'s")
    public void hasFolderNamedLike(String actor, String other) {
        Actor who = cast.actor(actor); // before the other: naming Alice would make "he" mean her
        String name = scene.of(cast.actor(other).name()).name();
        create(who, name, FolderSpec.standard());
    }

    @Glossary(value = "someone creates a second folder with the name of her latest one (the manager refuses it"
            + " `as a duplicate`)", reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}create(s) another folder with the same name")
    public void createsSameName(String actor, Attempt attempt) {
        Actor who = cast.actor(actor);
        String name = scene.of(who.name()).name();
        outcome.make(attempt, () -> fixtures.create(who.client(), name, FolderSpec.standard()));
    }

    @Glossary(value = "someone creates one more folder, with a new name and the manager's defaults (refused"
            + " `as over the policy limit` when her user resource policy allows no more folders)",
            reads = "the person", sets = "the last call's outcome")
    @When("{actor} {attempt}create(s) another folder")
    public void createsAnother(String actor, Attempt attempt) {
        Actor who = cast.actor(actor);
        outcome.make(attempt, () -> fixtures.create(who.client(), fixtures.nextName(), FolderSpec.standard()));
    }

    @Glossary(value = "someone gives her folder a new unique name", reads = "her/his folder",
            sets = "her/his folder (renamed), the last call's outcome")
    @When("{actor} {attempt}rename(s) her/his/their folder")
    public void renames(String actor, Attempt attempt) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        String newName = fixtures.nextName();
        outcome.make(attempt, () -> {
            foldersOf(actor).rename(folder.name(), newName);
            scene.renamed(folder, newName);
        });
    }

    @Glossary(value = "someone moves her folder to the trash (by its id); its data stays", reads = "her/his folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}move(s) her/his/their folder to the trash")
    public void trashes(String actor, Attempt attempt) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        outcome.make(attempt, () -> foldersOf(actor).trash(folder.id()));
    }

    @Glossary(value = "someone restores her folder from the trash", reads = "her/his folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}restore(s) her/his/their folder from the trash")
    public void restores(String actor, Attempt attempt) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        outcome.make(attempt, () -> foldersOf(actor).restore(folder.id()));
    }

    @Glossary(value = "someone deletes her trashed folder's data for good (`delete-from-trash-bin`)",
            reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}delete(s) her/his/their folder from the trash")
    public void deletesFromTrash(String actor, Attempt attempt) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        outcome.make(attempt, () -> foldersOf(actor).deleteForever(folder.id()));
    }

    @Glossary(value = "someone purges the last person's folder: drops its record (admins only; the folder must be"
            + " in the trash or deleted)", reads = "the last person named's folder", sets = "the last call's outcome")
    @When("{actor} {attempt}purge(s) her/his/their folder")
    public void purges(String actor, Attempt attempt) {
        Actor caller = cast.actor(actor);
        OwnedFolder folder = herFolder();
        outcome.make(attempt, () -> caller.client().folders().purge(folder.id()));
    }

    @Glossary(value = "someone clones her folder under a new name; the copy runs in the background",
            reads = "her/his folder", sets = "the clone")
    @When("{actor} clones her/his/their folder")
    public void clones(String actor) {
        Actor who = cast.actor(actor);
        OwnedFolder source = scene.of(who.name());
        FoldersApi.Clone clone = fixtures.cloneOf(who.client(), source.name(), fixtures.nextName());
        scene.cloned(new OwnedFolder(who.name(), clone.id(), clone.name()));
    }

    @Glossary(value = "the owner's folder list holds her folder with this status (`ready`, `delete-pending`, …)",
            reads = "the last person named's folder")
    @Then("her/his/their folder is listed among her/his/their folders as {string}")
    public void listedWithStatus(String status) {
        OwnedFolder folder = herFolder();
        assertThat(listed(folder.owner(), folder)).as("folder %s in %s's list", folder.name(), folder.owner())
                .hasValueSatisfying(f -> assertThat(f.status()).isEqualTo(status));
    }

    @Glossary(value = "the owner's folder list shows her folder with this permission", reads = "the last person named's folder")
    @Then("her/his/their folder is listed with the {string} permission")
    public void listedWithPermission(String permission) {
        OwnedFolder folder = herFolder();
        assertThat(listed(folder.owner(), folder)).as("folder %s in %s's list", folder.name(), folder.owner())
                .hasValueSatisfying(f -> assertThat(f.permission()).isEqualTo(permission));
    }

    @Glossary(value = "the owner's list shows her folder under the new name and nothing under the old one",
            reads = "the last person named's folder")
    @Then("her/his/their folder is listed under its new name only")
    public void listedUnderNewName() {
        OwnedFolder folder = herFolder();
        List<String> names = foldersOf(folder.owner()).list().stream().map(Folder::name).toList();
        assertThat(names).contains(folder.name()).doesNotContain(scene.previousName());
    }

    @Glossary(value = "the person's folder is in the trash (`delete-pending`) in her own list", reads = "her/his folder")
    @Then("{actor}'s folder is in the trash")
    public void inTrash(String actor) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        assertThat(listed(folder.owner(), folder)).as("folder %s in %s's list", folder.name(), folder.owner())
                .hasValueSatisfying(f -> assertThat(f.status()).isEqualTo("delete-pending"));
    }

    @Glossary(value = "the folder's data was deleted: within a minute its status is `delete-complete` (or the"
            + " manager no longer knows it)", reads = "the last person named's folder")
    @Then("her/his/their folder's data is gone")
    public void dataIsGone() {
        OwnedFolder folder = herFolder();
        fixtures.awaitStatus(folder.id(), "delete-complete");
    }

    @Glossary(value = "neither the owner's list nor an administrator's look-up by id finds the folder",
            reads = "the last person named's folder")
    @Then("her/his/their folder no longer exists")
    public void noLongerExists() {
        OwnedFolder folder = herFolder();
        assertThat(listed(folder.owner(), folder)).as("folder %s in %s's list", folder.name(), folder.owner()).isEmpty();
        assertThat(fixtures.statusOf(folder.id())).as("status of folder %s", folder.id()).isNull();
    }

    @Glossary(value = "within a minute the clone is `ready` and holds exactly the files of the folder it was cloned"
            + " from, at the same paths", reads = "the clone, her/his folder")
    @Then("the clone holds the same files as her/his/their folder")
    public void cloneHoldsSameFiles() {
        OwnedFolder clone = scene.cloned();
        OwnedFolder source = scene.of(clone.owner());
        FoldersApi folders = foldersOf(clone.owner());
        List<String> expected = folders.allFiles(source.name());
        fixtures.awaitStatus(clone.id(), "ready");
        assertThat(folders.allFiles(clone.name())).as("files of the clone %s", clone.name())
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}
