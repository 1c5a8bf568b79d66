package dev.dopq.server.queue;

import com.github.dockerjava.api.async.ResultCallbackTemplate;
import dev.dopq.container.ContainerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Log followers of running containers: output goes to the attempt's log file while the job runs. */
final class ContainerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerWatch.class);

    private final ContainerRuntime runtime;
    private final Map<String, Closeable> followers = new ConcurrentHashMap<>();

    ContainerWatch(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Follows a container's output into {@code log} unless already followed. */
    void follow(String containerId, Path log) {
        followers.computeIfAbsent(containerId, id -> runtime.followLogs(id, log));
    }

    /** Re-reads all output of an adopted container into a fresh log. */
    void refollow(String containerId, Path log) throws IOException {
        unfollow(containerId);
        java.nio.file.Files.deleteIfExists(log);
        follow(containerId, log);
    }

    boolean isFollowed(String containerId) {
        return followers.containsKey(containerId);
    }

    /**
     * Lets the follower of an ended container write what the engine still sends, then closes it. The engine ends
     * the stream by itself once the container stopped; closing at the die event instead loses the last output
     * (often all of it for a short job), and the result written to the share would miss it too.
     */
    void finish(String containerId, Duration wait) {
        Closeable c = followers.get(containerId);
        if (c instanceof ResultCallbackTemplate<?, ?> stream) {
            try {
                if (!stream.awaitCompletion(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("the log of container {} was still streaming {} after it ended; closing it",
                            containerId, wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unfollow(containerId);
    }

    void unfollow(String containerId) {
        Closeable c = followers.remove(containerId);
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing the log follower of {}: {}", containerId, e.toString());
            }
        }
    }

    void closeAll() {
        followers.keySet().forEach(this::unfollow);
    }
}
