package dev.dopq.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends a container's output to a file while the container runs; ends with the container or on close. */
final class DockerLogFollower extends ResultCallback.Adapter<Frame> implements LogStream {

    private static final Logger LOG = LoggerFactory.getLogger(DockerLogFollower.class);

    private final String containerId;
    private final Path logFile;
    private final CappedLog out;
    private boolean outClosed;
    private volatile boolean closedByCaller;

    private DockerLogFollower(String containerId, Path logFile, long maxBytes) throws IOException {
        this.containerId = containerId;
        this.logFile = logFile;
        this.out = new CappedLog(logFile, maxBytes);
    }

    /** Follows into {@code logFile}, keeping at most {@code maxBytes} of it (head and tail, see {@link CappedLog}). */
    static LogStream follow(DockerClient docker, String containerId, Path logFile, long maxBytes) throws IOException {
        DockerLogFollower follower = new DockerLogFollower(containerId, logFile, maxBytes);
        try {
            return docker.logContainerCmd(containerId)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withFollowStream(true)
                    .withTimestamps(false)
                    .exec(follower);
        } catch (RuntimeException e) {
            follower.closeFile();
            throw e;
        }
    }

    @Override
    public void onNext(Frame frame) {
        synchronized (this) {
            if (outClosed) {
                return;
            }
            try {
                out.write(frame.getPayload());
            } catch (IOException e) {
                LOG.warn("cannot write logs of container {} to {}: {}", containerId, logFile, e.toString());
                closeFile();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        if (closedByCaller) {
            LOG.debug("log stream of container {} closed: {}", containerId, t.toString());
        } else {
            LOG.warn("log stream of container {} broke: {}", containerId, t.toString());
        }
        closeFile();
        // Not super.onError: it logs the failure again, as an error with a stack trace.
        try {
            super.close();
        } catch (IOException e) {
            LOG.debug("closing the log stream of container {} failed: {}", containerId, e.toString());
        }
    }

    @Override
    public void onComplete() {
        LOG.debug("log stream of container {} ended", containerId);
        closeFile();
        super.onComplete();
    }

    @Override
    public boolean awaitEnd(Duration wait) throws InterruptedException {
        return awaitCompletion(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closedByCaller = true;
        try {
            super.close();
        } catch (IOException e) {
            LOG.debug("closing the log stream of container {} failed: {}", containerId, e.toString());
        } finally {
            closeFile();
        }
    }

    private synchronized void closeFile() {
        if (outClosed) {
            return;
        }
        outClosed = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("cannot close log file {} of container {}: {}", logFile, containerId, e.toString());
        }
    }
}
