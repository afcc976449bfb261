package bai.scenarios.client.transport;

import java.time.Duration;

/**
 * A deliberate defect in how a request is signed, so scenarios can show how the manager treats
 * requests a broken or hostile client sends. {@link #NONE} is an honest client.
 */
public sealed interface Forgery {
    Forgery NONE = new Honest();

    /** An honest, correctly signed request. */
    record Honest() implements Forgery {
    }

    /** The request's Date (and so its signature) comes from a clock that is off by {@code skew}. */
    record ClockSkew(Duration skew) implements Forgery {
    }

    /** A correct signature with one hex digit changed after signing. */
    record TamperedSignature() implements Forgery {
    }

    /** No Authorization header at all: an anonymous caller. */
    record Unsigned() implements Forgery {
    }

    /** Correctly signed, for and announcing another API version than the suite's own. */
    record ApiVersionHeader(String version) implements Forgery {
    }
}
