package dev.dopq.server.provider;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the work dir has room for a zip. {@code min_free} must stay free after the zip is copied in (or, when
 * the inbox is on the same file system, after it is extracted, which needs at least its size again); a zip that
 * does not fit waits in the inbox with a reason instead of failing its copy on every scan.
 */
final class DiskRoom {

    /** Usable bytes on the file system of a folder; a seam so that tests can run out of disk. */
    @FunctionalInterface
    interface FreeSpace {
        long usableBytes(Path dir) throws IOException;

        /** The file system's own answer. */
        static FreeSpace ofFileStore() {
            return dir -> Files.getFileStore(dir).getUsableSpace();
        }
    }

    private final Path workDir;
    private final long minFreeBytes;
    private final FreeSpace freeSpace;

    DiskRoom(Path workDir, long minFreeBytes, FreeSpace freeSpace) {
        this.workDir = workDir;
        this.minFreeBytes = minFreeBytes;
        this.freeSpace = freeSpace;
    }

    /** Usable bytes in the work dir now. */
    long free() throws IOException {
        Files.createDirectories(workDir);
        return freeSpace.usableBytes(workDir);
    }

    /** Why no zip may be taken at all (free space already below min_free), or null. */
    String belowMinFree(long free, int waiting) {
        if (free >= minFreeBytes) {
            return null;
        }
        return "intake paused: " + mib(free) + " free in the work dir, below min_free (" + mib(minFreeBytes) + "); "
                + waiting + " zip(s) wait in the inbox";
    }

    /** True when a zip of {@code size} bytes leaves at least min_free. */
    boolean fits(long size, long free) {
        return size <= free - minFreeBytes;
    }

    /** The reason a zip waits because it does not fit, with its name and size and the space left. */
    String noRoomFor(String name, long size, long free) {
        return name + " (" + mib(size) + ") waits in the inbox: the work dir has " + mib(free) + " free and "
                + mib(minFreeBytes) + " must stay free (min_free); it is taken once there is room";
    }

    /** True when a take failed because the disk (or the user's quota) is full: the zip waits, it is not at fault. */
    static boolean isNoSpace(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t instanceof FileSystemException fs ? fs.getReason() : t.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
