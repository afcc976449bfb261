package bai.scenarios.world;

/**
 * How a step expects the manager to answer: a plain action must succeed (a refusal fails the step
 * with the manager's answer); "tries to …" / "try to …" records the outcome, refusal included, for
 * a following "Then the call is refused …".
 */
public enum Attempt {
    MUST_SUCCEED,
    MAY_BE_REFUSED;

    /** From the {@code {attempt}} parameter: "tries to " / "try to ", or nothing. */
    public static Attempt of(String words) {
        return words == null || words.isBlank() ? MUST_SUCCEED : MAY_BE_REFUSED;
    }
}
