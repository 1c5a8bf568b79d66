package dev.dopq.docker;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * Inflates the file entries of one zip while holding them to {@link ZipLimits}: the bytes actually produced are
 * counted per entry, in total and against the packed size (sizes declared in a zip are whatever its author wrote),
 * and every entry's size and checksum are checked at its end. Extraction to disk and streaming into a build
 * context both read through it, so both refuse exactly the same zips.
 */
final class ZipEntryReader {

    /** Small entries may compress well for honest reasons; ratios matter only once real volume is produced. */
    static final long RATIO_GRACE_BYTES = 1024 * 1024;
    /**
     * Bytes per chunk. The entry streams of commons-compress inflate through a 512-byte input buffer and return
     * about that much per read for incompressible data, so each chunk waits until the buffer is full: one write
     * call per 256 KiB instead of one per 512 bytes (which cost about 400,000 system calls for 200 MB).
     */
    private static final int BUFFER = 256 * 1024;

    /** Receives an entry's bytes chunk by chunk, each already counted and checked. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int length) throws IOException;
    }

    /** A sink that keeps nothing: the entry is still inflated and checked. */
    static final Sink DISCARD = (bytes, length) -> { };

    private final ZipFile zipFile;
    private final ZipLimits limits;
    private final long zipSize;
    private final byte[] buffer = new byte[BUFFER];
    private long files;
    private long total;

    ZipEntryReader(ZipFile zipFile, ZipLimits limits, long zipSize) {
        this.zipFile = zipFile;
        this.limits = limits;
        this.zipSize = zipSize;
    }

    /** Files read so far. */
    long files() {
        return files;
    }

    /** Bytes inflated so far, over all entries. */
    long total() {
        return total;
    }

    /**
     * Inflates one file entry into {@code sink}; returns its size.
     *
     * @throws ZipRejectedException when a limit is passed (before the offending chunk reaches the sink), or at the
     *                              end when the size or checksum differs from what the zip declares
     */
    long read(ZipPlan.Item item, Sink sink) throws IOException {
        ZipArchiveEntry entry = item.entry();
        CRC32 crc = new CRC32();
        long written = 0;
        try (InputStream in = openEntry(item)) {
            for (int n = fill(in, item); n > 0; n = fill(in, item)) {
                written += n;
                checkLimits(item, written, total + written, packedSoFar(in, entry));
                crc.update(buffer, 0, n);
                sink.write(buffer, n);
            }
        }
        checkIntegrity(item, written, crc.getValue());
        total += written;
        files++;
        if (total > RATIO_GRACE_BYTES && total / Math.max(zipSize, 1) > limits.maxRatio()) {
            throw new ZipRejectedException("the zip unpacks to more than " + limits.maxRatio()
                    + " times its size (a zip bomb?)");
        }
        return written;
    }

    private InputStream openEntry(ZipPlan.Item item) {
        try {
            return zipFile.getInputStream(item.entry());
        } catch (IOException | RuntimeException e) {
            throw damaged(item, e);
        }
    }

    /** Reads until the buffer is full or the entry ends; 0 means the entry has ended. */
    private int fill(InputStream in, ZipPlan.Item item) {
        try {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            throw damaged(item, e);
        }
    }

    private static long packedSoFar(InputStream in, ZipArchiveEntry entry) {
        return in instanceof InputStreamStatistics stats ? stats.getCompressedCount() : entry.getCompressedSize();
    }

    private void checkLimits(ZipPlan.Item item, long written, long totalSoFar, long packed) {
        if (written > limits.maxEntryBytes()) {
            throw ZipPlan.entryTooLarge(item.path(), limits);
        }
        if (totalSoFar > limits.maxTotalBytes()) {
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
}
