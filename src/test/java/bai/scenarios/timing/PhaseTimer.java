package bai.scenarios.timing;

/**
 * What a client and the fixtures tell about where time goes: each request's whole cost as the
 * client saw it, and the phases they enter. A scenario's {@link ScenarioClock} implements it;
 * {@link #NONE} ignores everything (preflight, janitor, unit tests).
 */
public interface PhaseTimer {
    PhaseTimer NONE = new PhaseTimer() {
        @Override
        public void request(long nanos) {
        }

        @Override
        public Span enter(Phase phase) {
            return Span.NONE;
        }
    };

    /** One request took {@code nanos} (building, filters, signing, the wire and reading the body). */
    void request(long nanos);

    /** Enters a phase until the span is closed; phases nest, and the innermost one gets the time. */
    Span enter(Phase phase);

    /** An open phase. Closing it twice is harmless. */
    interface Span extends AutoCloseable {
        Span NONE = () -> { };

        @Override
        void close();
    }
}
