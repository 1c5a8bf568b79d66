package dev.dopq.server.rmi;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.NotFoundException;
import dev.dopq.server.files.SafeFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The uploads one session has under way: each a file in the server's work dir that chunks are appended to, never
 * held in memory. At most {@link ApiLimits#MAX_OPEN_UPLOADS} at a time; what a session leaves unfinished is deleted
 * when the session ends.
 */
final class PendingUploads {
    private static final Logger LOG = LoggerFactory.getLogger(PendingUploads.class);

    /** One upload: its file, the size announced and the bytes that arrived. */
    record Upload(String fileName, Path file, long size, long received) {
        boolean complete() {
            return received == size;
        }
    }

    private final Path dir;
    private final Map<String, Upload> open = new ConcurrentHashMap<>();

    /** {@code dir}: the server's own folder for uploads (under state/, owner only). */
    PendingUploads(Path dir) {
        this.dir = dir;
    }

    synchronized String begin(String fileName, long size) throws InvalidRequestException, IOException {
        if (size < 1 || size > ApiLimits.MAX_SUBMIT_BYTES) {
            throw new InvalidRequestException("the zip must hold 1 byte to " + (ApiLimits.MAX_SUBMIT_BYTES >> 20)
                    + " MiB, not " + size + " bytes");
        }
        if (open.size() >= ApiLimits.MAX_OPEN_UPLOADS) {
            throw new InvalidRequestException("this session has " + open.size() + " uploads under way already;"
                    + " finish them first");
        }
        Files.createDirectories(dir);
        String id = UUID.randomUUID().toString();
        Path file = Files.createFile(dir.resolve(id + ".zip"),
                PosixFilePermissions.asFileAttribute(SafeFiles.OWNER_FILE));
        open.put(id, new Upload(fileName, file, size, 0));
        return id;
    }

    synchronized void append(String id, byte[] chunk) throws InvalidRequestException, NotFoundException,
            IOException {
        Upload u = find(id);
        if (chunk == null || chunk.length == 0 || chunk.length > ApiLimits.MAX_CHUNK_BYTES) {
            throw new InvalidRequestException("a chunk holds 1 to " + ApiLimits.MAX_CHUNK_BYTES + " bytes");
        }
        if (u.received() + chunk.length > u.size()) {
            discard(id);
            throw new InvalidRequestException("the upload sent more than the " + u.size() + " bytes it announced;"
                    + " it is discarded");
        }
        try (OutputStream out = Files.newOutputStream(u.file(), StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            out.write(chunk);
        }
        open.put(id, new Upload(u.fileName(), u.file(), u.size(), u.received() + chunk.length));
    }

    /** Hands over a complete upload (its file is the caller's from now on). */
    synchronized Upload finish(String id) throws InvalidRequestException, NotFoundException {
        Upload u = find(id);
        if (!u.complete()) {
            throw new InvalidRequestException("the upload has " + u.received() + " of its " + u.size()
                    + " bytes; send the rest first");
        }
        open.remove(id);
        return u;
    }

    /** Deletes every unfinished upload (the session ended). */
    synchronized void discardAll() {
        open.keySet().forEach(this::discard);
    }

    private void discard(String id) {
        Upload u = open.remove(id);
        if (u == null) {
            return;
        }
        try {
            Files.deleteIfExists(u.file());
        } catch (IOException e) {
            LOG.warn("could not delete the unfinished upload {}: {}", u.file(), e.toString());
        }
    }

    private Upload find(String id) throws NotFoundException, InvalidRequestException {
        Checks.text(id, "upload id", ApiLimits.MAX_ID * 2);
        Upload u = open.get(id);
        if (u == null) {
            throw new NotFoundException("no upload " + Checks.shorten(id) + " in this session");
        }
        return u;
    }
}
