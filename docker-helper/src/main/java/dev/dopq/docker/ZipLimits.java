package dev.dopq.docker;

/**
 * Limits applied while extracting an untrusted zip.
 *
 * @param maxEntries    most entries (files and folders) a zip may hold
 * @param maxEntryBytes most bytes a single entry may unpack to
 * @param maxTotalBytes most bytes the whole zip may unpack to
 * @param maxRatio      highest unpacked-to-packed ratio tolerated, for an entry and for the whole zip
 */
public record ZipLimits(long maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {

    private static final long GIB = 1024L * 1024 * 1024;

    /** Validates that every limit is positive. */
    public ZipLimits {
        if (maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxRatio <= 0) {
            throw new IllegalArgumentException("zip limits must be positive: entries=" + maxEntries
                    + ", entryBytes=" + maxEntryBytes + ", totalBytes=" + maxTotalBytes + ", ratio=" + maxRatio);
        }
    }

    /**
     * Defaults sized for deep-learning build contexts that carry datasets or weights: 100,000 entries, 20 GiB per
     * entry, 50 GiB in total and a ratio of 200 (Deflate reaches about 1000:1 only on degenerate input).
     */
    public static ZipLimits defaults() {
        return new ZipLimits(100_000, 20 * GIB, 50 * GIB, 200);
    }
}
