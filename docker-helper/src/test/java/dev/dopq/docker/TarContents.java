package dev.dopq.docker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** What a tar holds, as "name -> mode and content" lines that compare and print well in assertions. */
final class TarContents {

    private TarContents() {
    }

    /** Every entry of the tar: folders as "dir 755", files as "file 644 &lt;content&gt;". */
    static SortedMap<String, String> of(byte[] tar) throws IOException {
        return of(new ByteArrayInputStream(tar), "");
    }

    /** Only the files of {@code contents}. */
    static SortedMap<String, String> filesOf(SortedMap<String, String> contents) {
        SortedMap<String, String> files = new TreeMap<>();
        contents.forEach((name, what) -> {
            if (what.startsWith("file ")) {
                files.put(name, what);
            }
        });
        return files;
    }

    /** The entries whose names start with {@code prefix}, the prefix cut off (the prefix itself left out). */
    static SortedMap<String, String> of(InputStream tar, String prefix) throws IOException {
        SortedMap<String, String> contents = new TreeMap<>();
        TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
        for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            String name = e.getName().replaceAll("/+$", "");
            if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                continue;
            }
            String mode = Integer.toOctalString(e.getMode() & 07777);
            contents.put(name.substring(prefix.length()), e.isDirectory() ? "dir " + mode
                    : "file " + mode + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return contents;
    }
}
