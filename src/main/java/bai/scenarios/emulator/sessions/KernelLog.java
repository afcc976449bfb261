package bai.scenarios.emulator.sessions;

/**
 * A kernel's container log ({@code GET /session/{id}/logs}): what its bootstrap script and batch
 * task printed. Bounded, so a chatty script cannot exhaust the emulator's memory; thread-safe
 * (its own monitor is a leaf lock: nothing else is taken while holding it).
 */
public final class KernelLog {
    static final int DEFAULT_CAP = 1024 * 1024;

    private final StringBuilder text = new StringBuilder();
    private final int cap;
    private boolean truncated;

    public KernelLog(int cap) {
        this.cap = cap;
    }

    public synchronized void append(String more) {
        if (truncated) {
            return;
        }
        int room = cap - text.length();
        if (more.length() <= room) {
            text.append(more);
            return;
        }
        text.append(more, 0, Math.max(room, 0)).append("\n[log truncated at ").append(cap).append(" characters]\n");
        truncated = true;
    }

    @Override
    public synchronized String toString() {
        return text.toString();
    }
}
