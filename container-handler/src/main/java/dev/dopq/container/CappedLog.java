package dev.dopq.container;

import java.nio.file.LinkOption;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file of bounded size that keeps the head and the tail of what is written. The first half of the limit goes
 * to the file as it comes; after that the last half is kept in a ring file beside it (the file never holds more
 * than the limit, and memory holds one buffer). On close the ring is appended in order, after a marker line saying
 * how many bytes were left out between head and tail.
 */
final class CappedLog implements Closeable {
    private static final int COPY_BUFFER = 64 * 1024;

    private final Path file;
    private final Path ringFile;
    private final OutputStream out;
    private final long headBytes;
    private final long tailBytes;
    private long written;
    private RandomAccessFile ring;
    private long ringPos;
    private long beyondHead;
    private boolean closed;

    /** @param maxBytes the most the log may hold ({@code Long.MAX_VALUE} = no limit); appends to an existing file */
    CappedLog(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.ringFile = file.resolveSibling(file.getFileName() + ".tail");
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        this.written = Files.size(file);
        this.headBytes = maxBytes / 2;
        this.tailBytes = maxBytes - headBytes;
    }

    synchronized void write(byte[] b) throws IOException {
        int off = 0;
        int len = b.length;
        long room = headBytes - written;
        if (room > 0) {
            int n = (int) Math.min(room, len);
            out.write(b, 0, n);
            out.flush(); // so people (and the API's log tail) see output while the job runs
            written += n;
            off = n;
            len -= n;
        }
        if (len > 0) {
            toRing(b, off, len);
        }
    }

    private void toRing(byte[] b, int off, int len) throws IOException {
        if (ring == null) {
            ring = new RandomAccessFile(ringFile.toFile(), "rw");
            ring.setLength(0);
        }
        beyondHead += len;
        if (len >= tailBytes) {
            off += (int) (len - tailBytes);
            len = (int) tailBytes;
        }
        while (len > 0) {
            int n = (int) Math.min(len, tailBytes - ringPos);
            ring.seek(ringPos);
            ring.write(b, off, n);
            ringPos = (ringPos + n) % tailBytes;
            off += n;
            len -= n;
        }
    }

    /** Appends the kept tail (after a marker when something was left out) and closes. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            if (ring == null) {
                return;
            }
            try (RandomAccessFile r = ring) {
                if (beyondHead <= tailBytes) {
                    copy(r, 0, beyondHead);
                } else {
                    out.write(marker(beyondHead - tailBytes).getBytes(StandardCharsets.UTF_8));
                    copy(r, ringPos, tailBytes - ringPos);
                    copy(r, 0, ringPos);
                }
            } finally {
                Files.deleteIfExists(ringFile);
            }
        }
    }

    private String marker(long dropped) {
        return "\n[dopq: " + dropped + " bytes of output left out here; the log keeps the first " + headBytes
                + " and the last " + tailBytes + " bytes ([queue] max_log)]\n";
    }

    private void copy(RandomAccessFile r, long from, long count) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        r.seek(from);
        long left = count;
        while (left > 0) {
            int n = r.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            left -= n;
        }
        out.flush();
    }

    Path file() {
        return file;
    }
}
