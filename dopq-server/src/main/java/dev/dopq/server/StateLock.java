package dev.dopq.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds {@code <state>/server.lock} while the server runs, with the holder's pid in it, so a second server on
 * the same state folder stops with one line naming the folder and the first server's pid instead of failing
 * somewhere inside the database. The operating system releases the lock when the process dies, even on kill -9.
 */
final class StateLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateLock.class);
    static final String FILE = "server.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code stateDir}, or throws {@link StartupException} when another server holds it. */
    static StateLock acquire(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.isSymbolicLink(file)) {
            throw new StartupException(file + " is a symbolic link; remove it and start again", null);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new StartupException("the state folder " + stateDir.toAbsolutePath() + " is in use by another dopq"
                    + " server (pid " + holder + "); stop that server first, or give this one another [paths] state",
                    null);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new StateLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = channel.read(buf, 0);
            String text = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return text.matches("\\d+") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.debug("releasing the state lock: {}", e.toString());
        }
    }
}
