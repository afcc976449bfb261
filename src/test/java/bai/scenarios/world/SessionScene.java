package bai.scenarios.world;

import bai.scenarios.client.SessionsApi.Run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The sessions a scenario talks about ("her session", "the batch session") and the last code run.
 * Fresh for every scenario (PicoContainer).
 */
public final class SessionScene {
    /** A session and who owns it. */
    public record OwnedSession(String owner, UUID id, String name) {
    }

    private final Map<String, OwnedSession> latestByOwner = new LinkedHashMap<>();
    private final Map<String, java.util.List<OwnedSession>> byOwner = new LinkedHashMap<>();
    private OwnedSession latest;
    private OwnedSession first;
    private String pendingRun;

    /** The run id of code started without waiting for it. */
    public String pendingRun() {
        if (pendingRun == null) {
            throw new IllegalStateException("no code was started in the background in this scenario");
        }
        return pendingRun;
    }

    public void pendingRun(String runId) {
        pendingRun = runId;
    }
    private Run lastRun;
    private bai.scenarios.client.SessionsApi.Created lastCreation;

    public bai.scenarios.client.SessionsApi.Created lastCreation() {
        if (lastCreation == null) {
            throw new IllegalStateException("no session creation was answered in this scenario yet");
        }
        return lastCreation;
    }

    public void lastCreation(bai.scenarios.client.SessionsApi.Created created) {
        lastCreation = created;
    }

    /** Notes a session someone started (or the new name of one: it keeps its place in the order). */
    public void started(OwnedSession session) {
        latestByOwner.put(session.owner(), session);
        latest = session;
        java.util.List<OwnedSession> mine = byOwner.computeIfAbsent(session.owner(), o -> new java.util.ArrayList<>());
        for (int i = 0; i < mine.size(); i++) {
            if (mine.get(i).id().equals(session.id())) {
                mine.set(i, session);
                return;
            }
        }
        mine.add(session);
    }

    /** Someone's sessions by the order they started them: "first", "second", "third", or "latest". */
    public OwnedSession of(String owner, String ordinal) {
        java.util.List<OwnedSession> mine = byOwner.getOrDefault(owner, java.util.List.of());
        int index = switch (ordinal) {
            case "first" -> 0;
            case "second" -> 1;
            case "third" -> 2;
            case "latest" -> mine.size() - 1;
            default -> throw new IllegalArgumentException("unknown ordinal " + ordinal);
        };
        if (index < 0 || index >= mine.size()) {
            throw new IllegalStateException(owner + " has " + mine.size() + " session(s) in this scenario, so no "
                    + ordinal + " one");
        }
        return mine.get(index);
    }

    /** The session the actor started last. */
    public OwnedSession of(String owner) {
        OwnedSession session = latestByOwner.get(owner);
        if (session == null) {
            throw new IllegalStateException(owner + " has no session in this scenario yet");
        }
        return session;
    }

    public OwnedSession latest() {
        if (latest == null) {
            throw new IllegalStateException("no session was started in this scenario yet");
        }
        return latest;
    }

    /** The first of two sessions ("the name of the first one"). */
    public OwnedSession first() {
        if (first == null) {
            throw new IllegalStateException("no first session was noted in this scenario");
        }
        return first;
    }

    public void first(OwnedSession session) {
        first = session;
    }

    public Run lastRun() {
        if (lastRun == null) {
            throw new IllegalStateException("no code was run in this scenario yet");
        }
        return lastRun;
    }

    public void lastRun(Run run) {
        lastRun = run;
    }
}
