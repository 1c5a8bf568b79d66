package dev.dopq.server.provider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** Which unreadable files are copies that may still finish (kept) and which are not zips at all (refused). */
class StartsLikeZipTest {
    @TempDir
    Path dir;

    @Test
    void the_first_half_of_a_zip_begins_like_one_and_a_text_file_or_an_empty_one_does_not() throws Exception {
        byte[] zip = aZip().name("x").user("ana").bytes();
        Path half = Files.write(dir.resolve("half.zip"), Arrays.copyOfRange(zip, 0, zip.length / 2));
        Path text = Files.writeString(dir.resolve("notes.zip"), "these are my notes, not a zip\n");
        Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);
        Path three = Files.write(dir.resolve("three.zip"), new byte[] {'P', 'K', 3});

        assertThat(Provider.startsLikeZip(half)).isTrue();
        assertThat(Provider.startsLikeZip(text)).isFalse();
        assertThat(Provider.startsLikeZip(empty)).isFalse();
        assertThat(Provider.startsLikeZip(three)).isFalse();
    }

    @Test
    void a_link_to_a_zip_is_not_followed() throws Exception {
        byte[] zip = aZip().name("x").user("ana").bytes();
        Path target = Files.write(dir.resolve("real.zip"), zip);
        Path link = Files.createSymbolicLink(dir.resolve("link.zip"), target);

        assertThat(Provider.startsLikeZip(link)).isFalse();
    }
}
