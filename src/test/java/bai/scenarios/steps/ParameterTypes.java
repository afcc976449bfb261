package bai.scenarios.steps;

import bai.scenarios.world.Attempt;
import bai.scenarios.world.ProjectRef;
import io.cucumber.java.ParameterType;

import java.time.Duration;

/** Domain words the step expressions understand. */
public class ParameterTypes {

    @Glossary(value = "why the manager refused the last call; see Refusals")
    @ParameterType(Refusal.PATTERN)
    public Refusal refusal(String phrase) {
        return Refusal.fromPhrase(phrase);
    }

    @Glossary(value = "someone in the scenario",
            accepts = "`I` / `me` (the keypair the suite runs with), a name introduced earlier (`Alice`), or"
                    + " `she` / `he` / `they` for the last person named")
    @ParameterType("I|me|she|he|they|[A-Z][a-z]+")
    public String actor(String name) {
        return name;
    }

    @Glossary(value = "whether the manager may refuse the action",
            accepts = "nothing: the action must succeed, a refusal fails the step with the manager's answer;"
                    + " `tries to ` / `try to `: the outcome is recorded, refusal included, for a following"
                    + " `Then the call is refused …`")
    @ParameterType("(?:tries to |try to )?")
    public Attempt attempt(String words) {
        return Attempt.of(words);
    }

    @Glossary(value = "which of the scenario's projects",
            accepts = "`the project` (the latest one created), `the first project`, `the second project`,"
                    + " `both projects`")
    @ParameterType("the project|the first project|the second project|both projects")
    public ProjectRef projects(String words) {
        return ProjectRef.of(words);
    }

    @Glossary("a user role of the manager")
    @ParameterType("user|admin|superadmin|monitor")
    public String role(String role) {
        return role;
    }

    @Glossary("the kinds of limit policy besides the keypair's")
    @ParameterType("user|project")
    public String policyKind(String kind) {
        return kind;
    }

    @Glossary(value = "a name for a new person", accepts = "a capitalised name: `Alice`, `Bob`, `Dana`")
    @ParameterType("[A-Z][a-z]+")
    public String newActor(String name) {
        return name;
    }

    @Glossary(value = "a list in quotes", accepts = "comma-separated words in double quotes: `\"create-vfolder, upload-file\"`")
    @ParameterType("\"([^\"]*)\"")
    public java.util.List<String> quotedList(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    @Glossary(value = "how far a caller's clock is from the true time",
            accepts = "`N minutes slow` or `N minutes fast` (`1 minute slow` too)")
    @ParameterType("(\\d+) minutes? (slow|fast)")
    public Duration clockDrift(String minutes, String direction) {
        Duration drift = Duration.ofMinutes(Long.parseLong(minutes));
        return direction.equals("slow") ? drift.negated() : drift;
    }

    @Glossary(value = "which of someone's sessions, in the order they started them",
            accepts = "`first`, `second`, `third`, or `latest`")
    @ParameterType("first|second|third|latest")
    public String ordinal(String which) {
        return which;
    }

    @Glossary(value = "an amount of data", accepts = "`N KiB` or `N MiB` (`0 KiB` is an empty file)")
    @ParameterType("(\\d+) (KiB|MiB)")
    public Long size(String amount, String unit) {
        return Long.parseLong(amount) * (unit.equals("KiB") ? 1024L : 1024L * 1024L);
    }

    @Glossary(value = "what someone does with a folder that is not hers",
            accepts = "`look(s) at`, `rename(s)`, `move(s) to the trash`, `list(s) the files of`, `download(s) a file from`")
    @ParameterType("looks? at|renames?|moves? to the trash|lists? the files of|downloads? a file from")
    public String folderAccess(String words) {
        return words.replaceAll("^(look|rename|move|list|download)s", "$1");
    }

    @Glossary(value = "how a session names the folders it mounts",
            accepts = "`by its id` (the current way, `mount_ids`), `by its name` (the legacy way, `mounts`)")
    @ParameterType("by its id|by its name")
    public String mountBy(String words) {
        return words;
    }
}
