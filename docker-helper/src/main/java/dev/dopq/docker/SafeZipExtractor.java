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
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks an untrusted zip into a folder such that nothing lands outside it, nothing is a link, and sizes stay
 * within {@link ZipLimits}. Checks names and kinds from the central directory first, then counts the bytes
 * actually inflated, since sizes declared in a zip are whatever its author wrote.
 */
public final class SafeZipExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(SafeZipExtractor.class);
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
     * The zip as a build context streamed straight to the engine (see {@link ZipBuildContext}), its table of
     * contents checked now under this extractor's limits.
     *
     * @throws ZipRejectedException when the zip must not be taken
     * @throws UncheckedIOException when the local disk fails
     */
    public ZipBuildContext open(Path zip) {
        return ZipBuildContext.open(zip, limits);
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
        try (ZipFile zipFile = openZip(zip)) {
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

    /** Opens a zip by its central directory, or rejects it as incomplete, damaged or no zip at all. */
    static ZipFile openZip(Path zip) {
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
        ZipEntryReader reader = new ZipEntryReader(zipFile, limits, zipSize);
        Set<Path> folders = new HashSet<>();
        for (ZipPlan.Item item : plan.items()) {
            Path path = resolveInside(root, item.path());
            if (item.directory()) {
                createFolder(path, folders);
                continue;
            }
            createFolder(path.getParent(), folders);
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                reader.read(item, (bytes, length) -> out.write(bytes, 0, length));
            }
            Files.setPosixFilePermissions(path, ZipEntryCheck.isExecutable(item.entry()) ? EXECUTABLE : REGULAR);
        }
        return new long[] {reader.files(), reader.total()};
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
