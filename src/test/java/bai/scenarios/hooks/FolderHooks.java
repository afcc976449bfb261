package bai.scenarios.hooks;

import bai.scenarios.world.FolderScene;
import io.cucumber.java.After;

/** Removes the scenario's scratch files (downloads, generated uploads) on this machine. */
public class FolderHooks {
    private final FolderScene scene;

    public FolderHooks(FolderScene scene) {
        this.scene = scene;
    }

    @After(order = 5_000)
    public void removeScratchFiles() {
        scene.cleanUp();
    }
}
