package bai.scenarios.world;

import bai.scenarios.client.CallRefused;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * What the scenario's most recent call to the manager produced: a value, or the manager's
 * refusal. "When" steps record into it; "Then" steps ask for the side they expect and get a
 * readable failure naming the other side when it is not what happened. A plain action must
 * succeed; only "tries to …" steps let a refusal stand for a later "Then the call is refused …".
 */
public final class LastOutcome {
    private Object value;
    private CallRefused rejection;
    private boolean recorded;

    /**
     * Makes the call and records its outcome; unless the step is an attempt, a refusal fails the
     * step at once with the manager's answer. Returns the value (null when refused).
     */
    public <T> T make(Attempt attempt, Supplier<T> call) {
        record(call);
        if (rejection != null && attempt == Attempt.MUST_SUCCEED) {
            fail("the manager refused the call: %s%n(if the scenario expects a refusal, write the step as"
                    + " \"tries to …\" / \"try to …\" and check it with \"Then the call is refused …\")",
                    rejection.getMessage());
        }
        @SuppressWarnings("unchecked")
        T result = (T) value;
        return result;
    }

    /** A call made for its effect only; see {@link #make(Attempt, Supplier)}. */
    public void make(Attempt attempt, Runnable call) {
        make(attempt, () -> {
            call.run();
            return "done";
        });
    }

    private <T> void record(Supplier<T> call) {
        recorded = true;
        try {
            value = call.get();
            rejection = null;
        } catch (CallRefused refused) {
            value = null;
            rejection = refused;
        }
    }

    public <T> T value(Class<T> type) {
        requireRecorded();
        if (rejection != null) {
            fail("expected the call to succeed, but the manager refused it: %s", rejection.getMessage());
        }
        return type.cast(value);
    }

    /** Asserts the last call succeeded (its effect is then checked by the caller). */
    public void requireSuccess() {
        value(Object.class);
    }

    public CallRefused rejection() {
        requireRecorded();
        if (rejection == null) {
            fail("expected the manager to refuse the call, but it succeeded with %s", value);
        }
        return rejection;
    }

    private void requireRecorded() {
        if (!recorded) {
            throw new IllegalStateException("no call was made in this scenario before asking for its outcome");
        }
    }
}
