package dev.dopq.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A zip's build context streamed straight into the engine's tar, with no extracted copy on disk: every entry is
 * inflated through the same {@link ZipEntryReader} checks as {@link SafeZipExtractor} (names, kinds and the
 * context folder from the central directory before any byte is sent; sizes, ratio and checksums while inflating),
 * so the upload overlaps the checks instead of following them. Entries outside the context folder and entries
 * that {@code .dockerignore} leaves out are inflated and checked too, and then dropped: the zip is refused for
 * exactly what extraction would refuse it for. A refusal part way leaves the tar unfinished.
 */
public final class ZipBuildContext implements BuildContext {

    private final Path zip;
    private final ZipLimits limits;
    private final ZipPlan plan;
    private final Map<String, ZipPlan.Item> files = new HashMap<>();

    private ZipBuildContext(Path zip, ZipLimits limits, ZipPlan plan) {
        this.zip = zip;
        this.limits = limits;
        this.plan = plan;
        String prefix = prefix(plan);
        for (ZipPlan.Item item : plan.items()) {
            if (!item.directory() && item.path().startsWith(prefix)) {
                files.put(item.path().substring(prefix.length()), item);
            }
        }
    }

    /**
     * Checks the zip's table of contents (names, kinds, duplicates, declared sizes, where container_config.json
     * is) without inflating anything.
     *
     * @throws ZipRejectedException when the zip must not be taken
     * @throws UncheckedIOException when the local disk fails
     */
    static ZipBuildContext open(Path zip, ZipLimits limits) {
        try (ZipFile zipFile = SafeZipExtractor.openZip(zip)) {
            return new ZipBuildContext(zip, limits, ZipPlan.of(zipFile, limits));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder holding container_config.json inside the zip; empty for the zip's top level. */
    public String contextFolder() {
        return plan.contextFolder();
    }

    /** True when the context folder holds the file {@code name} ("a/b", relative to the context folder). */
    public boolean hasFile(String name) {
        return files.containsKey(name);
    }

    @Override
    public boolean hasDockerfile() {
        return hasFile("Dockerfile");
    }

    /**
     * The bytes of the context's file {@code name}, inflated under the zip's limits (and at most
     * {@code maxBytes}); empty when there is no such file.
     *
     * @throws ZipRejectedException when the entry breaks a limit, is damaged, or is larger than {@code maxBytes}
     */
    public Optional<byte[]> read(String name, long maxBytes) {
        try (ZipFile zipFile = SafeZipExtractor.openZip(zip)) {
            return read(zipFile, ZipPlan.of(zipFile, limits), name, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<byte[]> read(ZipFile zipFile, ZipPlan now, String name, long maxBytes) throws IOException {
        String path = prefix(now) + name;
        ZipPlan.Item item = now.items().stream().filter(i -> !i.directory() && i.path().equals(path)).findFirst()
                .orElse(null);
        if (item == null) {
            return Optional.empty();
        }
        if (item.entry().getSize() > maxBytes) {
            throw new ZipRejectedException("\"" + ZipEntryCheck.show(item.path()) + "\" is larger than "
                    + Sizes.formatBytes(maxBytes));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ZipEntryReader(zipFile, limits, Files.size(zip)).read(item, (b, n) -> bytes.write(b, 0, n));
        return Optional.of(bytes.toByteArray());
    }

    @Override
    public void writeTar(OutputStream out) throws IOException {
        try (ZipFile zipFile = SafeZipExtractor.openZip(zip)) {
            // planned again from the zip as it is read now, not as an earlier look found it
            ZipPlan now = ZipPlan.of(zipFile, limits);
            DockerIgnore ignore = dockerIgnore(zipFile, now);
            ZipEntryReader reader = new ZipEntryReader(zipFile, limits, Files.size(zip));
            new ZipContextTar(ignore, out).write(now.items(), prefix(now), reader);
        }
    }

    /** The context's ignore rules, bounded and read as strictly as {@link DockerIgnore#read} reads a file. */
    private DockerIgnore dockerIgnore(ZipFile zipFile, ZipPlan now) throws IOException {
        String path = prefix(now) + DockerIgnore.FILE_NAME;
        ZipPlan.Item item = now.items().stream().filter(i -> !i.directory() && i.path().equals(path)).findFirst()
                .orElse(null);
        if (item == null) {
            return DockerIgnore.parse(List.of());
        }
        if (item.entry().getSize() > DockerIgnore.MAX_BYTES) {
            throw new IOException(DockerIgnore.tooLarge());
        }
        // the reader holds the bytes to the declared size, so the bound above holds for what is inflated
        return DockerIgnore.parse(read(zipFile, now, DockerIgnore.FILE_NAME, Long.MAX_VALUE).orElseThrow());
    }

    private static String prefix(ZipPlan plan) {
        return plan.contextFolder().isEmpty() ? "" : plan.contextFolder() + "/";
    }

    @Override
    public String describe() {
        return zip + (plan.contextFolder().isEmpty() ? "" : " (folder " + plan.contextFolder() + ")");
    }
}
