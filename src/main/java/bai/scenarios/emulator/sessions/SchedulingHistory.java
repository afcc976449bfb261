package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.state.PythonRepr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The manager's session scheduling history, as its scheduler coordinator writes it: one record per
 * outcome, and an outcome that repeats the last record's phase and target status (both attempts,
 * or both skips) only counts one more in that record's {@code attempts}, keeping its first message
 * (the manager's {@code should_merge_with}). The emulator's scheduler may look again more often
 * than the manager's does; a repeat counts only once {@code attemptEvery} has passed since the
 * last one counted (the manager's short cycle), so {@code attempts} and the give-up follow the
 * manager's pace. What the scheduler writes for a PENDING session:
 * <ul>
 *   <li>{@code NEED_RETRY}, PENDING → PENDING, with the reason: an attempt that failed;</li>
 *   <li>{@code SKIPPED}, PENDING → PENDING, "Not attempted: ...": a session queued behind one no
 *       agent could take, not attempted in that cycle (no attempt, so never given up on);</li>
 *   <li>{@code GIVE_UP}, PENDING → DEPRIORITIZING, once an attempt fails after
 *       {@link #MAX_RETRIES} counted ones; then phase {@code deprioritize-sessions},
 *       {@code SUCCESS}, DEPRIORITIZING → PENDING;</li>
 *   <li>{@code SUCCESS}, PENDING → SCHEDULED.</li>
 * </ul>
 * Guarded by the emulator's state lock.
 */
public final class SchedulingHistory {
    static final String PHASE = "schedule-sessions";
    static final String DEPRIORITIZE_PHASE = "deprioritize-sessions";
    /** The manager's {@code HandlerOptions.max_retry_count} default (the legacy SERVICE_MAX_RETRIES). */
    static final int MAX_RETRIES = 5;

    /** One record as {@code SessionHistoryNode} carries it. */
    public static final class Entry {
        final UUID id = UUID.randomUUID();
        final UUID sessionId;
        final String phase;
        final String fromStatus;
        final String toStatus;
        final String result;
        final String message;
        int attempts = 1;
        final Instant createdAt = Instant.now();
        Instant updatedAt = createdAt;
        /** When {@code attempts} last went up (or the record was made). */
        Instant countedAt = createdAt;

        Entry(UUID sessionId, String phase, String fromStatus, String toStatus, String result, String message) {
            this.sessionId = sessionId;
            this.phase = phase;
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
            node.put("phase", phase);
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

    private final Duration attemptEvery;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<UUID, Entry> lastBySession = new HashMap<>();

    SchedulingHistory(Duration attemptEvery) {
        this.attemptEvery = attemptEvery;
    }

    /** An attempt that failed and will be tried again; the session stays PENDING. */
    void needRetry(UUID sessionId, String reason) {
        record(new Entry(sessionId, PHASE, "PENDING", "PENDING", "NEED_RETRY", reason));
    }

    /** Not attempted this cycle: queued behind {@code blocking}, which no agent could take. */
    void skipped(UUID sessionId, UUID blocking) {
        record(new Entry(sessionId, PHASE, "PENDING", "PENDING", "SKIPPED",
                "Not attempted: the resource group ran out of resources at the earlier session " + blocking));
    }

    /** The attempts are spent: PENDING → DEPRIORITIZING. */
    void gaveUp(UUID sessionId) {
        record(new Entry(sessionId, PHASE, "PENDING", "DEPRIORITIZING", "GIVE_UP", PHASE + " give_up"));
    }

    /** Its priority lowered: DEPRIORITIZING → PENDING. */
    void deprioritized(UUID sessionId) {
        record(new Entry(sessionId, DEPRIORITIZE_PHASE, "DEPRIORITIZING", "PENDING", "SUCCESS",
                DEPRIORITIZE_PHASE + " success"));
    }

    void succeeded(UUID sessionId, String from, String to) {
        record(new Entry(sessionId, PHASE, from, to, "SUCCESS", PHASE + " success"));
    }

    /**
     * Whether a failed attempt now gives up: the session's last record is this phase's, an
     * attempt (not a skip), and counts {@link #MAX_RETRIES} or more (the coordinator's
     * {@code _classify_failures}).
     */
    boolean retriesExhausted(UUID sessionId) {
        Entry last = last(sessionId);
        return last != null && last.phase.equals(PHASE) && !last.result.equals("SKIPPED")
                && last.attempts >= MAX_RETRIES && counts(last, Instant.now());
    }

    /** Whether a repeat of {@code last} now counts as one more attempt. */
    private boolean counts(Entry last, Instant now) {
        return !now.isBefore(last.countedAt.plus(attemptEvery));
    }

    private void record(Entry entry) {
        Entry last = last(entry.sessionId);
        if (last != null && last.phase.equals(entry.phase) && Objects.equals(last.toStatus, entry.toStatus)
                && last.result.equals("SKIPPED") == entry.result.equals("SKIPPED")) {
            Instant now = Instant.now();
            if (counts(last, now)) {
                last.attempts++;
                last.countedAt = now;
            }
            last.updatedAt = now;
            return;
        }
        entries.add(entry);
        lastBySession.put(entry.sessionId, entry);
    }

    private Entry last(UUID sessionId) {
        return lastBySession.get(sessionId);
    }

    /** One session's records, oldest first (call under the state lock). */
    public List<Entry> of(UUID sessionId) {
        return entries.stream().filter(e -> e.sessionId.equals(sessionId)).toList();
    }

    /** Every record, oldest first (call under the state lock; the list is a copy). */
    public List<Entry> all() {
        return List.copyOf(entries);
    }
}
