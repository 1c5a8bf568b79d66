package dev.dopq.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Copies a {@code docker save} tar without the names of its images: {@code manifest.json} gets empty
 * {@code RepoTags}, the legacy {@code repositories} file is left out, and an OCI {@code index.json} loses its image
 * name annotations. The engine then loads the image by id only, so no tag on the engine can be replaced by a
 * user's tar, whatever it claims to be.
 */
final class ImageTarTags {
    private static final String MANIFEST = "manifest.json";
    private static final String REPOSITORIES = "repositories";
    private static final String INDEX = "index.json";
    private static final List<String> NAME_ANNOTATIONS = List.of("io.containerd.image.name",
            "org.opencontainers.image.ref.name");
    /** A manifest of one image is a few KiB; more is not a {@code docker save} tar. */
    private static final int MAX_METADATA_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> removedTags = new ArrayList<>();

    /** The tags the tar's manifest named, left out of the copy. */
    List<String> removedTags() {
        return List.copyOf(removedTags);
    }

    /**
     * Copies {@code in} to {@code out} without image names.
     *
     * @throws IOException when the tar cannot be read, or holds other than exactly one image
     */
    void copy(InputStream in, OutputStream out) throws IOException {
        int images = -1;
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveOutputStream copy = new TarArchiveOutputStream(out);
        copy.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        copy.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            if (name.equals(REPOSITORIES)) {
                continue;
            }
            if (name.equals(MANIFEST) || name.equals(INDEX)) {
                byte[] rewritten = name.equals(MANIFEST) ? withoutRepoTags(read(tar)) : withoutNames(read(tar));
                if (name.equals(MANIFEST)) {
                    images = JSON.readTree(rewritten).size();
                }
                TarArchiveEntry replaced = new TarArchiveEntry(e.getName());
                replaced.setMode(e.getMode());
                replaced.setModTime(e.getModTime());
                replaced.setSize(rewritten.length);
                copy.putArchiveEntry(replaced);
                copy.write(rewritten);
            } else {
                copy.putArchiveEntry(e);
                tar.transferTo(copy);
            }
            copy.closeArchiveEntry();
        }
        if (images == 0 || images > 1) {
            throw new IOException("the image tar holds " + images + " images; give exactly one (docker save IMAGE)");
        }
        copy.finish();
    }

    private static byte[] read(InputStream entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = entry.read(buf); n >= 0; n = entry.read(buf)) {
            bytes.write(buf, 0, n);
            if (bytes.size() > MAX_METADATA_BYTES) {
                throw new IOException("the image tar's metadata is larger than " + MAX_METADATA_BYTES + " bytes");
            }
        }
        return bytes.toByteArray();
    }

    private byte[] withoutRepoTags(byte[] manifest) throws IOException {
        JsonNode root = JSON.readTree(manifest);
        if (root == null || !root.isArray()) {
            throw new IOException(MANIFEST + " of the image tar is not a list of images");
        }
        for (JsonNode image : root) {
            if (image instanceof ObjectNode o) {
                o.path("RepoTags").forEach(t -> removedTags.add(t.asText()));
                o.set("RepoTags", JSON.createArrayNode());
            }
        }
        return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withoutNames(byte[] index) throws IOException {
        JsonNode root = JSON.readTree(index);
        if (root instanceof ObjectNode o && o.get("manifests") instanceof ArrayNode manifests) {
            for (JsonNode m : manifests) {
                if (m.get("annotations") instanceof ObjectNode annotations) {
                    NAME_ANNOTATIONS.forEach(annotations::remove);
                }
            }
        }
        return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }
}
