package bai.scenarios.steps;

import bai.scenarios.client.SessionsApi.Mount;
import bai.scenarios.client.SessionsApi.SessionRequest;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures;
import bai.scenarios.fixtures.SessionFixtures;
import bai.scenarios.world.Actor;
import bai.scenarios.world.AdminScene;
import bai.scenarios.world.Cast;
import bai.scenarios.world.FolderScene;
import bai.scenarios.world.FolderScene.OwnedFolder;
import bai.scenarios.world.SessionScene;
import bai.scenarios.world.SessionScene.OwnedSession;
import io.cucumber.java.en.Given;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Steps about sessions that mount virtual folders. */
@Glossary(value = "Folders in sessions", order = 165)
public class FolderSessionSteps {
    private final Cast cast;
    private final SessionFixtures sessions;
    private final AdminFixtures admin;
    private final AdminScene adminScene;
    private final SessionScene sessionScene;
    private final FolderScene folders;

    public FolderSessionSteps(Cast cast, SessionFixtures sessions, AdminFixtures admin, AdminScene adminScene,
                              SessionScene sessionScene, FolderScene folders) {
        this.cast = cast;
        this.sessions = sessions;
        this.admin = admin;
        this.adminScene = adminScene;
        this.sessionScene = sessionScene;
        this.folders = folders;
    }

    /** An interactive session of the image in the person's first project (or the default one). */
    private SessionRequest request(Actor actor, String image) {
        if (actor.account().isEmpty()) {
            return SessionRequest.interactive(sessions.nextName(), image, "default", "default");
        }
        User user = actor.requireAccount().created().user();
        String project = user.projectNames().isEmpty() ? "default" : user.projectNames().get(0);
        return SessionRequest.interactive(sessions.nextName(), image, user.domainName(), project);
    }

    private void startAndAwait(Actor actor, SessionRequest request) {
        UUID id = sessions.launch(actor.client(), request);
        sessionScene.started(new OwnedSession(actor.name(), id, request.name()));
        actor.client().sessions().awaitStatus(id, Set.of("RUNNING"), SessionSteps.SESSION_WAIT);
    }

    @Glossary(value = "someone's new interactive session of the image mounts her folder (by its id, at the"
            + " manager's default place, `/home/work/<folder name>`) and is RUNNING",
            reads = "her/his folder", sets = "her/his session, the session")
    @Given("{actor} has a running {string} session with her/his/their folder mounted")
    public void runningWithFolder(String actor, String image) {
        Actor who = cast.actor(actor);
        OwnedFolder folder = folders.of(who.name());
        startAndAwait(who, request(who, image).mounting(List.of(Mount.byId(folder.id()))));
    }

    @Glossary(value = "as the step above, the folder named by its id (`mount_ids`, `mount_id_map`) or by its name"
            + " (`mounts`, `mount_map`) and mounted at this path; code finds it relative to /home/work",
            reads = "her/his folder", sets = "her/his session, the session")
    @Given("{actor} has a running {string} session with her/his/their folder mounted {mountBy} at {string}")
    public void runningWithFolderAt(String actor, String image, String by, String destination) {
        Actor who = cast.actor(actor);
        OwnedFolder folder = folders.of(who.name());
        Mount mount = by.equals("by its id") ? Mount.byId(folder.id()) : Mount.byName(folder.name());
        startAndAwait(who, request(who, image).mounting(List.of(mount.at(destination))));
    }

    @Glossary(value = "a new member of the project (called Someone) has a RUNNING session in it that mounts the"
            + " project folder", reads = "the domain, the project, the project folder",
            sets = "the person (Someone), the session")
    @Given("someone runs a {string} session in the project with the project folder mounted")
    public void someoneMountsProjectFolder(String image) {
        var account = admin.user(adminScene.domain().name(), "user", "active", List.of(adminScene.project().id()));
        Actor someone = cast.introduce("Someone", account);
        OwnedFolder folder = folders.projectFolder();
        SessionRequest request = SessionRequest.interactive(sessions.nextName(), image, adminScene.domain().name(),
                adminScene.project().name()).mounting(List.of(Mount.byId(folder.id())));
        startAndAwait(someone, request);
    }
}
