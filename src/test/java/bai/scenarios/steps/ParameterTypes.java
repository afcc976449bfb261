package bai.scenarios.steps;

import io.cucumber.java.ParameterType;

import java.time.Duration;

/** Domain words the step expressions understand. */
public class ParameterTypes {

    @ParameterType(Refusal.PATTERN)
    public Refusal refusal(String phrase) {
        return Refusal.fromPhrase(phrase);
    }

    /** "20 minutes slow" / "5 minutes fast": how far a caller's clock is from the true time. */
    @ParameterType("(\\d+) minutes? (slow|fast)")
    public Duration clockDrift(String minutes, String direction) {
        Duration drift = Duration.ofMinutes(Long.parseLong(minutes));
        return direction.equals("slow") ? drift.negated() : drift;
    }
}
