package bai.scenarios.world;

import bai.scenarios.client.admin.AdminRecords.Project;

import java.util.List;

/** Which of the scenario's projects a step means: "the project", "the first project", "both projects". */
public enum ProjectRef {
    LATEST, FIRST, SECOND, BOTH;

    public static ProjectRef of(String words) {
        return switch (words) {
            case "the project" -> LATEST;
            case "the first project" -> FIRST;
            case "the second project" -> SECOND;
            case "both projects" -> BOTH;
            default -> throw new IllegalArgumentException("unknown project reference: " + words);
        };
    }

    public List<Project> resolve(AdminScene scene) {
        return switch (this) {
            case LATEST -> List.of(scene.project());
            case FIRST -> List.of(scene.project(1));
            case SECOND -> List.of(scene.project(2));
            case BOTH -> List.of(scene.project(1), scene.project(2));
        };
    }
}
