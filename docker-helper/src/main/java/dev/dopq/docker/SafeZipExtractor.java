package dev.dopq.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks an untrusted zip into a folder such that nothing lands outside it, nothing is a link, and sizes stay
 * within {@link ZipLimits}. Checks names and kinds from the central directory first, then counts the bytes
 * actually inflated, since sizes declared in a zip are whatever its author wrote.
 */
public final class SafeZipExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(SafeZipExtractor.class);
    /** Small entries may compress well for honest reasons; ratios matter only once real volume is produced. */
    private static final long RATIO_GRACE_BYTES = 1024 * 1024;
    /**
     * Bytes per write. The entry streams of commons-compress inflate through a 512-byte input buffer and return
     * about that much per read for incompressible data, so each write waits until the buffer is full: one write
     * call per 256 KiB instead of one per 512 bytes (which cost about 400,000 system calls for 200 MB).
     */
    private static final int BUFFER = 256 * 1024;
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");

    private final ZipLimits limits;

    /** @param limits bounds on entries, sizes and compression ratio */
    public SafeZipExtractor(ZipLimits limits) {
        this.limits = limits;
    }

    /** The result of an extraction: the build context folder and what was written. */
    public record Extracted(Path contextDir, long files, long bytes) {
    }

    /** True when the file opens as a zip and its central directory reads (a half-copied zip does not). */
    public static boolean isCompleteZip(Path zip) {
        if (!Files.isRegularFile(zip)) {
            return false;
        }
        try {
            ZipFile.builder().setPath(zip).get().close();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Extracts {@code zip} into {@code target}, which must be an empty folder or not exist.
     *
     * @return the folder holding container_config.json (the root, or the one folder that holds it), which is the
     *         build context
     * @throws ZipRejectedException when the zip must not be taken; whatever was written inside {@code target} is
     *                              deleted again (and {@code target} too when this call created it)
     * @throws UncheckedIOException when the local disk fails (full, permissions), which is not the zip's fault
     */
    public Extracted extract(Path zip, Path target) {
        try (ZipFile zipFile = open(zip)) {
            ZipPlan plan = ZipPlan.of(zipFile, limits);
            boolean created = prepareTarget(target);
            Path root = target.toRealPath();
            try {
                long[] counts = writeAll(zipFile, plan, root, Files.size(zip));
                Path context = plan.contextFolder().isEmpty() ? target : target.resolve(plan.contextFolder());
                LOG.debug("extracted {} files ({} bytes) from {} into {}", counts[0], counts[1], zip, target);
                return new Extracted(context, counts[0], counts[1]);
            } catch (IOException e) {
                cleanUp(root, created);
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                cleanUp(root, created);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ZipFile open(Path zip) {
        try {
            return ZipFile.builder().setPath(zip).get();
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(e);
        } catch (IOException | RuntimeException e) {
            if (startsLikeZip(zip)) {
                throw new ZipRejectedException("the zip is incomplete or damaged (its table of contents is missing;"
                        + " was it still being copied?)", e);
            }
            throw new ZipRejectedException("the file is not a zip archive", e);
        }
    }

    private static boolean startsLikeZip(Path zip) {
        try (InputStream in = Files.newInputStream(zip)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 'P' && head[1] == 'K';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean prepareTarget(Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(target)) {
                if (children.findAny().isPresent()) {
                    throw new IllegalArgumentException("extraction target is not empty: " + target);
                }
            }
            return false;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("extraction target is not a folder: " + target);
        }
        Files.createDirectories(target);
        return true;
    }

    private long[] writeAll(ZipFile zipFile, ZipPlan plan, Path root, long zipSize) throws IOException {
        long files = 0;
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        Set<Path> folders = new HashSet<>();
        for (ZipPlan.Item item : plan.items()) {
            Path path = resolveInside(root, item.path());
            if (item.directory()) {
                createFolder(path, folders);
                continue;
            }
            createFolder(path.getParent(), folders);
            total += copy(zipFile, item, path, total, buffer);
            files++;
            if (total > RATIO_GRACE_BYTES && total / Math.max(zipSize, 1) > limits.maxRatio()) {
                throw new ZipRejectedException("the zip unpacks to more than " + limits.maxRatio()
                        + " times its size (a zip bomb?)");
            }
        }
        return new long[] {files, total};
    }

    /** Creates a folder once: most entries share their folder, and each attempt costs system calls. */
    private static void createFolder(Path folder, Set<Path> created) throws IOException {
        if (created.add(folder)) {
            Files.createDirectories(folder);
        }
    }

    private static Path resolveInside(Path root, String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(relative) + "\" leaves the zip's folder");
        }
        return path;
    }

    /** Copies one entry, enforcing the limits on the bytes actually produced; returns the bytes written. */
    private long copy(ZipFile zipFile, ZipPlan.Item item, Path path, long totalBefore, byte[] buffer)
            throws IOException {
        ZipArchiveEntry entry = item.entry();
        CRC32 crc = new CRC32();
        long written = 0;
        try (InputStream in = openEntry(zipFile, item);
             OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = fill(in, buffer, item); n > 0; n = fill(in, buffer, item)) {
                written += n;
                checkLimits(item, written, totalBefore + written, packedSoFar(in, entry));
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        checkIntegrity(item, written, crc.getValue());
        Files.setPosixFilePermissions(path, ZipEntryCheck.isExecutable(entry) ? EXECUTABLE : REGULAR);
        return written;
    }

    private static InputStream openEntry(ZipFile zipFile, ZipPlan.Item item) {
        try {
            return zipFile.getInputStream(item.entry());
        } catch (IOException | RuntimeException e) {
            throw damaged(item, e);
        }
    }

    /** Reads until {@code buffer} is full or the entry ends; 0 means the entry has ended. */
    private static int fill(InputStream in, byte[] buffer, ZipPlan.Item item) {
        try {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            throw damaged(item, e);
        }
    }

    private static long packedSoFar(InputStream in, ZipArchiveEntry entry) {
        return in instanceof InputStreamStatistics stats ? stats.getCompressedCount() : entry.getCompressedSize();
    }

    private void checkLimits(ZipPlan.Item item, long written, long total, long packed) {
        if (written > limits.maxEntryBytes()) {
            throw ZipPlan.entryTooLarge(item.path(), limits);
        }
        if (total > limits.maxTotalBytes()) {
            throw ZipPlan.totalTooLarge(limits);
        }
        if (written > RATIO_GRACE_BYTES && written / Math.max(packed, 1) > limits.maxRatio()) {
            throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(item.path()) + "\" unpacks to more than "
                    + limits.maxRatio() + " times its packed size (a zip bomb?)");
        }
    }

    private static void checkIntegrity(ZipPlan.Item item, long written, long crc) {
        ZipArchiveEntry entry = item.entry();
        if (entry.getSize() >= 0 && entry.getSize() != written) {
            throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(item.path()) + "\" holds " + written
                    + " bytes but the zip declares " + entry.getSize() + " (damaged or tampered zip)");
        }
        if (entry.getCrc() >= 0 && entry.getCrc() != crc) {
            throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(item.path())
                    + "\" is damaged (checksum mismatch)");
        }
    }

    private static ZipRejectedException damaged(ZipPlan.Item item, Exception cause) {
        return new ZipRejectedException("entry \"" + ZipEntryCheck.show(item.path())
                + "\" cannot be read; the zip is damaged", cause);
    }

    /** Removes what this extraction wrote; links are deleted, never followed. */
    private static void cleanUp(Path root, boolean removeRoot) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (removeRoot || !dir.equals(root)) {
                        Files.delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not remove everything extracted into {}: {}", root, e.toString());
        }
    }
}
