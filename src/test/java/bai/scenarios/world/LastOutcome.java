package bai.scenarios.world;

import bai.scenarios.client.CallRefused;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * What the scenario's most recent call to the manager produced: a value, or the manager's
 * refusal. "When" steps record into it; "Then" steps ask for the side they expect and get a
 * readable failure naming the other side when it is not what happened.
 */
public final class LastOutcome {
    private Object value;
    private CallRefused rejection;
    private boolean recorded;

    public <T> void record(Supplier<T> call) {
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

    /** Records a call made for its effect only. */
    public void record(Runnable call) {
        record(() -> {
            call.run();
            return "done";
        });
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
