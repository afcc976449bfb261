package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.EventStream;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The manager's background tasks as clients see them: a task id, and its events on
 * {@code GET /events/background-task} — {@code bgtask_updated} ("Task started", with
 * {@code retry: 5}), then one closing event ({@code bgtask_done}, {@code bgtask_failed} or
 * {@code bgtask_cancelled}), after which the manager sends {@code server_close} and ends the
 * stream. As the manager's event cache does, the latest event of a task is kept, so a client
 * that subscribes late still gets it first (and, for an ended task, the stream then closes).
 *
 * <p>Locking: this object's monitor is a leaf lock guarding the tasks and their subscribers; it is
 * never held while taking the state lock. Sending only queues bytes for a connection's IO thread
 * ({@link EventStream.Sink}), so events are delivered under it, which keeps their order.
 */
public final class BackgroundTasks {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ended tasks remembered for late subscribers; the oldest are forgotten beyond this. */
    private static final int KEPT = 10_000;

    /** One event as the manager's SSE writer sends it. */
    record Event(String name, Map<String, Object> data, Integer retry, boolean closes) {
        String frame() {
            try {
                return "event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n"
                        + (retry == null ? "" : "retry: " + retry + "\n") + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("event data is not serialisable", e);
            }
        }
    }

    private static final class Task {
        Event last;
        final List<EventStream.Sink> subscribers = new ArrayList<>();
    }

    private final Map<UUID, Task> tasks = new LinkedHashMap<>();
    private boolean closed;

    /** Registers a new task and publishes its "Task started" update; returns its id. */
    public UUID start() {
        UUID id = UUID.randomUUID();
        synchronized (this) {
            tasks.put(id, new Task());
            forgetOldest();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task_id", id.toString());
        data.put("message", "Task started");
        data.put("current_progress", 0.0);
        data.put("total_progress", 0.0);
        publish(id, new Event("bgtask_updated", data, 5, false));
        return id;
    }

    /** The task succeeded: {@code bgtask_done} with {@code message}. */
    public void done(UUID id, String message) {
        publish(id, closing("bgtask_done", id, message));
    }

    /** The task failed: {@code bgtask_failed} with {@code message} (the repr of its exception). */
    public void failed(UUID id, String message) {
        publish(id, closing("bgtask_failed", id, message));
    }

    private static Event closing(String name, UUID id, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task_id", id.toString());
        data.put("message", String.valueOf(message));
        return new Event(name, data, null, true);
    }

    private synchronized void publish(UUID id, Event event) {
        Task task = tasks.get(id);
        if (task == null) {
            return;
        }
        task.last = event;
        for (EventStream.Sink sink : List.copyOf(task.subscribers)) {
            deliver(sink, event);
        }
        if (event.closes()) {
            task.subscribers.clear();
        }
    }

    /**
     * Streams task {@code id}'s events to {@code sink}: its latest event at once (if any), then the
     * rest; an unknown task's stream stays open (pinged by the caller) as the manager's does.
     */
    public synchronized void subscribe(UUID id, EventStream.Sink sink) {
        if (closed) {
            sink.close();
            return;
        }
        Task task = tasks.get(id);
        if (task == null) {
            task = new Task();
            tasks.put(id, task);
            forgetOldest();
        }
        if (task.last != null) {
            deliver(sink, task.last);
            if (task.last.closes()) {
                return;
            }
        }
        Task subscribed = task;
        subscribed.subscribers.add(sink);
        sink.onClose(() -> unsubscribe(subscribed, sink));
    }

    private synchronized void unsubscribe(Task task, EventStream.Sink sink) {
        task.subscribers.remove(sink);
    }

    private static void deliver(EventStream.Sink sink, Event event) {
        sink.send(event.frame());
        if (event.closes()) {
            sink.send("event: server_close\ndata: {}\n\n");
            sink.finish();
        }
    }

    private void forgetOldest() {
        Iterator<Map.Entry<UUID, Task>> oldest = tasks.entrySet().iterator();
        while (tasks.size() > KEPT && oldest.hasNext()) {
            Map.Entry<UUID, Task> entry = oldest.next();
            if (entry.getValue().subscribers.isEmpty()) {
                oldest.remove();
            }
        }
    }

    /** Ends every open task stream (the emulator is stopping). */
    public void close() {
        List<EventStream.Sink> open = new ArrayList<>();
        synchronized (this) {
            closed = true;
            tasks.values().forEach(t -> open.addAll(t.subscribers));
            tasks.values().forEach(t -> t.subscribers.clear());
        }
        open.forEach(EventStream.Sink::close);
    }
}
