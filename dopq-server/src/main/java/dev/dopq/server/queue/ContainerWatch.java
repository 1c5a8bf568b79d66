package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.LogStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Log followers of running containers: output goes to the attempt's log file while the job runs. */
final class ContainerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerWatch.class);

    private final ContainerRuntime runtime;
    private final Map<String, LogStream> followers = new ConcurrentHashMap<>();

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
        LogStream stream = followers.get(containerId);
        if (stream != null) {
            try {
                if (!stream.awaitEnd(wait)) {
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
        LogStream stream = followers.remove(containerId);
        if (stream != null) {
            stream.close();
        }
    }

    void closeAll() {
        followers.keySet().forEach(this::unfollow);
    }
}
