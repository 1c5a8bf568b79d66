package dev.dopq.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container-event subscription that survives engine restarts and broken connections: when the stream ends or
 * fails it subscribes again (after a growing delay) from the last event it delivered, skipping what it already
 * delivered, so the sink sees each event once.
 */
final class DockerEventSubscription implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerEventSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final DockerClient docker;
    private final String labelKey;
    private final Consumer<ContainerEvent> sink;
    private final ScheduledExecutorService retries;
    private final Set<String> deliveredAtLastTime = new HashSet<>();
    private long lastTimeNanos;
    private Duration retryDelay = FIRST_RETRY;
    private Stream current;
    private boolean closed;
    /** The stream broke and the engine has not answered since (ENGINE_LOST sent, ENGINE_BACK not yet). */
    private boolean lost;

    private DockerEventSubscription(DockerClient docker, String labelKey, Instant since, Consumer<ContainerEvent> sink) {
        this.docker = docker;
        this.labelKey = labelKey;
        this.sink = sink;
        // Without a given start, "now" is the start: a resubscription must not replay older history.
        Instant from = since != null ? since : Instant.now();
        this.lastTimeNanos = nanos(from);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dopq-docker-events-retry");
            t.setDaemon(true);
            return t;
        });
    }

    static DockerEventSubscription start(DockerClient docker, String labelKey, Instant since, Consumer<ContainerEvent> sink) {
        DockerEventSubscription s = new DockerEventSubscription(docker, labelKey, since, sink);
        s.subscribe();
        return s;
    }

    private synchronized void subscribe() {
        if (closed) {
            return;
        }
        if (lost && !answers()) {
            streamEnded(null, new IllegalStateException("the engine does not answer yet"));
            return;
        }
        if (lost) {
            lost = false;
            tell(ContainerEvent.engine(ContainerEvent.Kind.ENGINE_BACK, Instant.now()));
        }
        Stream stream = new Stream();
        current = stream;
        try {
            docker.eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withEventFilter("start", "die", "oom")
                    .withLabelFilter(labelKey)
                    .withSince(sinceText(lastTimeNanos))
                    .exec(stream);
        } catch (RuntimeException e) {
            streamEnded(stream, e);
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The engine reads "seconds.nanoseconds" since the epoch. */
    static String sinceText(long epochNanos) {
        return String.format("%d.%09d", Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private synchronized void deliver(Stream from, Event e) {
        if (closed || from != current) {
            return;
        }
        ContainerEvent event = DockerEvents.toContainerEvent(e);
        long time = event == null || event.at() == null ? lastTimeNanos : nanos(event.at());
        String key = e.getAction() + "/" + e.getId();
        if (event == null || time < lastTimeNanos || time == lastTimeNanos && !deliveredAtLastTime.add(key)) {
            return; // replayed by a resubscription, or not one of ours
        }
        if (time > lastTimeNanos) {
            lastTimeNanos = time;
            deliveredAtLastTime.clear();
            deliveredAtLastTime.add(key);
        }
        retryDelay = FIRST_RETRY;
        try {
            sink.accept(event);
        } catch (RuntimeException ex) {
            LOG.warn("container event {} of {} was not handled", event.kind(), event.containerId(), ex);
        }
    }

    private boolean answers() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void tell(ContainerEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException ex) {
            LOG.warn("engine event {} was not handled", event.kind(), ex);
        }
    }

    /** {@code stream} null: a resubscription found the engine still not answering. */
    private synchronized void streamEnded(Stream stream, Throwable error) {
        if (closed || stream != current) {
            return;
        }
        current = null;
        if (!lost) {
            lost = true;
            tell(ContainerEvent.engine(ContainerEvent.Kind.ENGINE_LOST, Instant.now()));
        }
        LOG.warn("docker event stream ended ({}); subscribing again in {} s from {}",
                error == null ? "closed by the engine" : error.toString(), retryDelay.toSeconds(), sinceText(lastTimeNanos));
        retries.schedule(this::subscribe, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
    }

    @Override
    public void close() {
        Stream stream;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stream = current;
            current = null;
        }
        retries.shutdownNow();
        if (stream != null) {
            closeQuietly(stream);
        }
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("closing the docker event stream failed: {}", e.toString());
        }
    }

    /** One connection's callback; a stream that is no longer current is ignored. */
    private final class Stream extends ResultCallback.Adapter<Event> {

        @Override
        public void onNext(Event e) {
            deliver(this, e);
        }

        @Override
        public void onError(Throwable t) {
            streamEnded(this, t);
            // Not super.onError: it logs the expected "connection closed" as an error with a stack trace.
            closeQuietly(this);
        }

        @Override
        public void onComplete() {
            streamEnded(this, null);
            super.onComplete();
        }
    }
}
