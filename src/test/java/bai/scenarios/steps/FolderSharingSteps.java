package bai.scenarios.steps;

import bai.scenarios.client.FoldersApi;
import bai.scenarios.client.FoldersApi.Folder;
import bai.scenarios.client.FoldersApi.FolderSpec;
import bai.scenarios.client.FoldersApi.Invitation;
import bai.scenarios.fixtures.FolderFixtures;
import bai.scenarios.world.Actor;
import bai.scenarios.world.AdminScene;
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

/** Steps about folders shared between users: invitations, what the invitee can do, project folders. */
@Glossary(value = "Sharing folders", order = 160)
public class FolderSharingSteps {
    private final Cast cast;
    private final FolderFixtures fixtures;
    private final FolderScene scene;
    private final AdminScene adminScene;
    private final LastOutcome outcome;

    public FolderSharingSteps(Cast cast, FolderFixtures fixtures, FolderScene scene, AdminScene adminScene,
                              LastOutcome outcome) {
        this.cast = cast;
        this.fixtures = fixtures;
        this.scene = scene;
        this.adminScene = adminScene;
        this.outcome = outcome;
    }

    private static String email(Actor actor) {
        return actor.requireAccount().email();
    }

    /** The invitee's pending invitation to the folder, if any. */
    private Optional<Invitation> pending(Actor invitee, OwnedFolder folder) {
        return invitee.client().folders().invitations().stream()
                .filter(i -> folder.id().equals(i.folderId()) || folder.name().equals(i.folderName())).findFirst();
    }

    private void invite(String owner, String invitee, String permission) {
        OwnedFolder folder = scene.of(cast.actor(owner).name());
        Actor guest = cast.actor(invitee);
        scene.invitedTo(folder);
        cast.actor(owner).client().folders().invite(folder.name(), permission, List.of(email(guest)));
    }

    private void accept(String invitee) {
        Actor guest = cast.actor(invitee);
        OwnedFolder folder = scene.invitedTo();
        Invitation invitation = pending(guest, folder).orElseThrow(() -> new AssertionError(guest.name()
                + " has no pending invitation to " + folder.name()));
        scene.invitation(invitation);
        guest.client().folders().acceptInvitation(invitation.id());
    }

    @Glossary(value = "the folder's owner invites the other person (by e-mail) with this permission (`ro`, `rw`)",
            reads = "her/his folder", sets = "the last call's outcome")
    @When("{actor} {attempt}invite(s) {actor} to her/his/their folder with the {string} permission")
    public void invites(String owner, Attempt attempt, String invitee, String permission) {
        outcome.make(attempt, () -> invite(owner, invitee, permission));
    }

    @Glossary(value = "as the step above, before what the scenario is about", reads = "her/his folder")
    @Given("{actor} has invited {actor} to her/his/their folder with the {string} permission")
    public void hasInvited(String owner, String invitee, String permission) {
        invite(owner, invitee, permission);
    }

    @Glossary(value = "the owner invites the other person with this permission and she accepts: the folder is"
            + " shared with her", reads = "her/his folder", sets = "the invitation")
    @Given("{actor} has shared her/his/their folder with {actor} with the {string} permission")
    public void hasShared(String owner, String invitee, String permission) {
        invite(owner, invitee, permission);
        accept(invitee);
    }

    @Glossary(value = "the invitee lists her invitations and finds a pending one from the owner (by e-mail) to"
            + " that folder, with this permission; the owner lists it as sent to her, pending", reads = "the owner's folder", sets = "the invitation")
    @Then("{actor} has a pending invitation from {actor} to her/his/their folder with the {string} permission")
    public void hasPendingInvitation(String invitee, String owner, String permission) {
        Actor guest = cast.actor(invitee);
        Actor host = cast.actor(owner);
        OwnedFolder folder = scene.of(host.name());
        Invitation invitation = pending(guest, folder).orElseThrow(() -> new AssertionError(guest.name()
                + " has no pending invitation to " + folder.name()));
        scene.invitation(invitation);
        assertThat(invitation.inviter()).as("inviter").isEqualTo(email(host));
        assertThat(invitation.permission()).as("permission").isEqualTo(permission);
        // Who it is for and its state show only on the inviter's side of the same invitation.
        Invitation sent = host.client().folders().sentInvitations().stream()
                .filter(i -> i.id().equals(invitation.id())).findFirst()
                .orElseThrow(() -> new AssertionError(host.name() + " does not list the invitation as sent"));
        assertThat(sent.invitee()).as("invitee").isEqualTo(email(guest));
        assertThat(sent.state()).as("state").isEqualTo("pending");
    }

    @Glossary(value = "the invitee accepts her pending invitation to the folder of the person who invited her",
            reads = "the folder of the latest invitation a step sent", sets = "the invitation")
    @Given("{actor} has accepted the invitation")
    @When("{actor} accepts the invitation")
    public void accepts(String invitee) {
        accept(invitee);
    }

    @Glossary(value = "the invitee accepts the same invitation a second time", reads = "the invitation",
            sets = "the last call's outcome")
    @When("{actor} {attempt}accept(s) the invitation again")
    public void acceptsAgain(String invitee, Attempt attempt) {
        Invitation invitation = scene.invitation();
        outcome.make(attempt, () -> cast.actor(invitee).client().folders().acceptInvitation(invitation.id()));
    }

    @Glossary(value = "the invitee rejects her pending invitation", reads = "the folder of the latest invitation a step sent",
            sets = "the invitation")
    @When("{actor} rejects the invitation")
    public void rejects(String invitee) {
        Actor guest = cast.actor(invitee);
        OwnedFolder folder = scene.invitedTo();
        Invitation invitation = pending(guest, folder).orElseThrow(() -> new AssertionError(guest.name()
                + " has no pending invitation to " + folder.name()));
        scene.invitation(invitation);
        guest.client().folders().rejectInvitation(invitation.id());
    }

    @Glossary(value = "someone, signing as herself, tries an operation on another person's folder by its name:"
            + " its information, a rename, the trash, its file list, or a download", reads = "that person's folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}{folderAccess} {actor}'s folder")
    public void accessesOthersFolder(String caller, Attempt attempt, String access, String owner) {
        OwnedFolder folder = scene.of(cast.actor(owner).name());
        FoldersApi folders = cast.actor(caller).client().folders();
        outcome.make(attempt, () -> {
            switch (access) {
                case "look at" -> folders.info(folder.name());
                case "rename" -> folders.rename(folder.name(), fixtures.nextName());
                case "move to the trash" -> folders.trashByName(folder.name());
                case "list the files of" -> folders.files(folder.name(), "");
                case "download a file from" -> folders.download(folder.name(), "anything.txt",
                        scene.workspace().resolve("foreign-download"));
                default -> throw new IllegalArgumentException(access);
            }
        });
    }

    @Glossary(value = "the person's folder list shows the other person's folder, not as its owner, with this"
            + " permission; its information says the same", reads = "that person's folder")
    @Then("{actor} sees {actor}'s folder with the {string} permission")
    public void seesWithPermission(String viewer, String owner, String permission) {
        OwnedFolder folder = scene.of(cast.actor(owner).name());
        FoldersApi folders = cast.actor(viewer).client().folders();
        Optional<Folder> listed = folders.list().stream().filter(f -> f.id().equals(folder.id())).findFirst();
        assertThat(listed).as("%s in %s's list", folder.name(), viewer).hasValueSatisfying(f -> {
            assertThat(f.permission()).as("permission").isEqualTo(permission);
            assertThat(f.isOwner()).as("is_owner").isFalse();
        });
        assertThat(folders.info(folder.name()).permission()).as("permission in the folder's information")
                .isEqualTo(permission);
    }

    @Glossary(value = "the person leaves a folder shared with her", reads = "that person's folder",
            sets = "the last call's outcome")
    @When("{actor} {attempt}leave(s) {actor}'s folder")
    public void leaves(String viewer, Attempt attempt, String owner) {
        OwnedFolder folder = scene.of(cast.actor(owner).name());
        outcome.make(attempt, () -> cast.actor(viewer).client().folders().leave(folder.name()));
    }

    @Glossary(value = "the person's folder list does not show the other person's folder", reads = "that person's folder")
    @Then("{actor} no longer sees {actor}'s folder")
    public void noLongerSees(String viewer, String owner) {
        OwnedFolder folder = scene.of(cast.actor(owner).name());
        assertThat(cast.actor(viewer).client().folders().list()).extracting(Folder::id)
                .as("folders %s sees", viewer).doesNotContain(folder.id());
    }

    @Glossary(value = "an admin creates a folder of the project (a project folder) with this permission",
            reads = "the project", sets = "the project folder, her/his folder")
    @Given("{actor} has a project folder in the project with the {string} permission")
    public void hasProjectFolder(String actor, String permission) {
        Actor admin = cast.actor(actor);
        Folder folder = fixtures.create(admin.client(), fixtures.nextName(),
                FolderSpec.standard().withPermission(permission).inProject(adminScene.project().id()));
        scene.projectFolder(new OwnedFolder(admin.name(), folder.id(), folder.name()));
    }

    @Glossary(value = "an admin shares the project folder with a member of the project at a permission of his own",
            reads = "the project folder", sets = "the last call's outcome")
    @When("{actor} {attempt}share(s) the project folder with {actor} with the {string} permission")
    public void sharesProjectFolder(String admin, Attempt attempt, String member, String permission) {
        OwnedFolder folder = scene.projectFolder();
        String email = email(cast.actor(member));
        outcome.make(attempt, () -> cast.actor(admin).client().folders().share(folder.name(), permission, List.of(email)));
    }

    @Glossary(value = "the person's information on the project folder shows this permission", reads = "the project folder")
    @Then("{actor} sees the project folder with the {string} permission")
    public void seesProjectFolder(String viewer, String permission) {
        OwnedFolder folder = scene.projectFolder();
        assertThat(cast.actor(viewer).client().folders().info(folder.name()).permission())
                .as("%s's permission on %s", viewer, folder.name()).isEqualTo(permission);
    }
}
