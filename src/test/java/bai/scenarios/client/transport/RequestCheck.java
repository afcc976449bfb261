package bai.scenarios.client.transport;

/**
 * A check every outgoing request passes before it is sent (the contract check); it throws to stop
 * the request, which then never reaches the target.
 */
@FunctionalInterface
public interface RequestCheck {
    void check(OutgoingRequest request);
}
