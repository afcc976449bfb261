package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.state.PythonRepr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The manager's session scheduling history: one record per scheduling outcome of a session, a
 * repeat of the same failure counted in {@code attempts} of the last record (as the manager merges
 * them). Phase {@code schedule-sessions}: a failure keeps the session PENDING with the validator's
 * message; a success moves it PENDING → SCHEDULED. Guarded by the emulator's state lock.
 */
public final class SchedulingHistory {
    static final String PHASE = "schedule-sessions";

    /** One record as {@code SessionHistoryNode} carries it. */
    public static final class Entry {
        final UUID id = UUID.randomUUID();
        final UUID sessionId;
        final String fromStatus;
        final String toStatus;
        final String result;
        final String message;
        int attempts = 1;
        final Instant createdAt = Instant.now();
        Instant updatedAt = createdAt;

        Entry(UUID sessionId, String fromStatus, String toStatus, String result, String message) {
            this.sessionId = sessionId;
            this.fromStatus = fromStatus;
            this.toStatus = toStatus;
            this.result = result;
            this.message = message;
        }

        public UUID sessionId() {
            return sessionId;
        }

        public String result() {
            return result;
        }

        public Instant createdAt() {
            return createdAt;
        }

        public Instant updatedAt() {
            return updatedAt;
        }

        /** The record as the route answers it. */
        public Map<String, Object> node() {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", id.toString());
            node.put("session_id", sessionId.toString());
            node.put("phase", PHASE);
            node.put("from_status", fromStatus);
            node.put("to_status", toStatus);
            node.put("result", result);
            node.put("error_code", null);
            node.put("message", message);
            node.put("sub_steps", List.of());
            node.put("attempts", attempts);
            node.put("created_at", PythonRepr.isoformat(createdAt));
            node.put("updated_at", PythonRepr.isoformat(updatedAt));
            return node;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void failed(UUID sessionId, String message) {
        Entry last = last(sessionId);
        if (last != null && last.result.equals("FAILURE") && Objects.equals(last.message, message)) {
            last.attempts++;
            last.updatedAt = Instant.now();
            return;
        }
        entries.add(new Entry(sessionId, "PENDING", "PENDING", "FAILURE", message));
    }

    void succeeded(UUID sessionId, String from, String to) {
        entries.add(new Entry(sessionId, from, to, "SUCCESS", PHASE + " success"));
    }

    private Entry last(UUID sessionId) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).sessionId.equals(sessionId)) {
                return entries.get(i);
            }
        }
        return null;
    }

    /** Every record, oldest first (call under the state lock; the list is a copy). */
    public List<Entry> all() {
        return List.copyOf(entries);
    }
}
