package bai.scenarios.emulator.http;

import java.util.Locale;

/**
 * The manager's own status as {@code GET}/{@code PUT /manager/status} read and set it (the
 * manager keeps it in etcd): {@code running}, or {@code frozen} for maintenance, when routes that
 * need a running manager answer {@code 503 server-frozen}. Thread-safe; a leaf (no lock).
 */
public final class ManagerStatus {
    /** The statuses the manager's {@code ManagerStatus} enum knows (two of them deprecated). */
    public enum Value {
        TERMINATED, PREPARING, RUNNING, FROZEN;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The status named by its wire value, or null when the manager's enum has no such value. */
        public static Value of(String wire) {
            for (Value value : values()) {
                if (value.wire().equals(wire)) {
                    return value;
                }
            }
            return null;
        }
    }

    private volatile Value current = Value.RUNNING;

    public Value current() {
        return current;
    }

    public void set(Value value) {
        current = value;
    }

    public boolean isFrozen() {
        return current == Value.FROZEN;
    }
}
