package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers session events to listeners (event streams, waiting creates) on one dispatcher thread,
 * in publication order. Publishing only enqueues, so it is safe under the state lock; listeners
 * never run under it. A listener must be quick and must not block; one that throws is logged and
 * the others still get the event.
 */
final class EventBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    private final LinkedBlockingQueue<Sessions.Event> queue = new LinkedBlockingQueue<>();
    private final List<Consumer<Sessions.Event>> listeners = new CopyOnWriteArrayList<>();
    private final Thread dispatcher;

    EventBus() {
        dispatcher = Background.daemon("emulator-events").newThread(this::dispatch);
        dispatcher.start();
    }

    void publish(Sessions.Event event) {
        queue.add(event);
    }

    void listen(Consumer<Sessions.Event> listener) {
        listeners.add(listener);
    }

    void unlisten(Consumer<Sessions.Event> listener) {
        listeners.remove(listener);
    }

    private void dispatch() {
        while (!Thread.currentThread().isInterrupted()) {
            Sessions.Event event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            for (Consumer<Sessions.Event> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (Throwable failure) {
                    LOG.log(Level.WARNING, "an event listener failed; the others still get the event", failure);
                }
            }
        }
    }

    @Override
    public void close() {
        dispatcher.interrupt();
    }
}
