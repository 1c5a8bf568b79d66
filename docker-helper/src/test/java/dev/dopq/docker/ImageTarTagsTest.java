package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ImageTarTagsTest {

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static Map<String, String> untar(byte[] bytes) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    @Test
    void the_copy_names_no_image_and_keeps_every_layer() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("abc/layer.tar", "layer bytes");
        files.put("repositories", "{\"busybox\":{\"latest\":\"abc\"}}");
        files.put("index.json", "{\"manifests\":[{\"digest\":\"sha256:1\",\"annotations\":{"
                + "\"io.containerd.image.name\":\"docker.io/library/busybox:latest\","
                + "\"org.opencontainers.image.ref.name\":\"latest\",\"other\":\"kept\"}}]}");
        files.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"busybox:latest\",\"lab/base:1\"],"
                + "\"Layers\":[\"abc/layer.tar\"]}]");
        ImageTarTags names = new ImageTarTags();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();

        names.copy(new ByteArrayInputStream(tar(files)), copy);

        Map<String, String> out = untar(copy.toByteArray());
        assertThat(out).doesNotContainKey("repositories").containsEntry("abc/layer.tar", "layer bytes");
        assertThat(out.get("manifest.json")).contains("\"RepoTags\":[]").contains("abc/layer.tar");
        assertThat(out.get("index.json")).doesNotContain("busybox").doesNotContain("ref.name").contains("kept");
        assertThat(names.removedTags()).containsExactly("busybox:latest", "lab/base:1");
    }

    @Test
    void a_tar_of_two_images_is_refused() throws IOException {
        byte[] two = tar(Map.of("manifest.json", "[{\"RepoTags\":[\"a:1\"]},{\"RepoTags\":[\"b:1\"]}]"));

        assertThatThrownBy(() -> new ImageTarTags().copy(new ByteArrayInputStream(two), new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessage("the image tar holds 2 images; give exactly one (docker save IMAGE)");
    }
}
