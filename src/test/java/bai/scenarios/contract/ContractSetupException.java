package bai.scenarios.contract;

/** A schema file is missing or unreadable: one line naming the file. */
public final class ContractSetupException extends RuntimeException {
    public ContractSetupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
