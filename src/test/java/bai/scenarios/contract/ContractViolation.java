package bai.scenarios.contract;

/** A request the real manager's published schemas do not allow. Fails the scenario that sent it. */
public final class ContractViolation extends AssertionError {
    public ContractViolation(String message) {
        super(message);
    }
}
