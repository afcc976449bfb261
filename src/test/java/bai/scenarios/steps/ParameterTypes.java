package bai.scenarios.steps;

import io.cucumber.java.ParameterType;

import java.time.Duration;

/** Domain words the step expressions understand. */
public class ParameterTypes {

    @ParameterType(Refusal.PATTERN)
    public Refusal refusal(String phrase) {
        return Refusal.fromPhrase(phrase);
    }

    /** Someone in the scenario: "I", a name ("Alice"), or a pronoun for the last one named. */
    @ParameterType("I|me|she|he|they|[A-Z][a-z]+")
    public String actor(String name) {
        return name;
    }

    /** A user role of the manager. */
    @ParameterType("user|admin|superadmin|monitor")
    public String role(String role) {
        return role;
    }

    /** The kinds of limit policy besides the keypair's. */
    @ParameterType("user|project")
    public String policyKind(String kind) {
        return kind;
    }

    /** A name for a new actor ("Alice"). */
    @ParameterType("[A-Z][a-z]+")
    public String newActor(String name) {
        return name;
    }

    /** "create-vfolder, upload-file": a comma-separated list. */
    @ParameterType("\"([^\"]*)\"")
    public java.util.List<String> quotedList(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** "20 minutes slow" / "5 minutes fast": how far a caller's clock is from the true time. */
    @ParameterType("(\\d+) minutes? (slow|fast)")
    public Duration clockDrift(String minutes, String direction) {
        Duration drift = Duration.ofMinutes(Long.parseLong(minutes));
        return direction.equals("slow") ? drift.negated() : drift;
    }
}
