package dev.dopq.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Writes a zip's build context as the engine's tar while its entries are inflated and checked, in the zip's
 * order. The tar is what {@link BuildContextTar} makes of the extracted folder: the same names, the modes
 * extraction gives (0755 for folders and executables, 0644 otherwise), uid/gid 0, POSIX headers for long names
 * and big sizes, and {@code .dockerignore} applied the same way (Dockerfile and .dockerignore always sent).
 */
final class ZipContextTar {

    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_DIR = 0040000;
    private static final int EXECUTABLE = 0755;
    private static final int REGULAR = 0644;
    private static final Set<String> ALWAYS_SENT = Set.of("Dockerfile", DockerIgnore.FILE_NAME);

    private final DockerIgnore ignore;
    private final TarArchiveOutputStream tar;
    private final Set<String> folders = new HashSet<>();
    private final FileTime now = FileTime.fromMillis(System.currentTimeMillis());

    ZipContextTar(DockerIgnore ignore, OutputStream out) {
        this.ignore = ignore;
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /**
     * Inflates every item through {@code reader} and sends those inside {@code prefix} (the context folder plus
     * '/', or empty) that are not ignored. Finishes the tar only when every entry passed; leaves {@code out} open.
     */
    void write(List<ZipPlan.Item> items, String prefix, ZipEntryReader reader) throws IOException {
        for (ZipPlan.Item item : items) {
            String name = item.path().startsWith(prefix) ? item.path().substring(prefix.length()) : "";
            boolean send = !name.isEmpty() && !excluded(name);
            if (item.directory()) {
                if (send) {
                    parents(name);
                    folder(name, time(item.entry()));
                }
            } else if (send) {
                parents(name);
                file(item, name, reader);
            } else {
                reader.read(item, ZipEntryReader.DISCARD);
            }
        }
        tar.finish();
        tar.flush();
    }

    private boolean excluded(String name) {
        return ignore.excludes(name) && !(name.indexOf('/') < 0 && ALWAYS_SENT.contains(name));
    }

    /** Sends the folders on the way to {@code name} that are not ignored, each once. */
    private void parents(String name) throws IOException {
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            String parent = name.substring(0, slash);
            if (!excluded(parent)) {
                folder(parent, now);
            }
        }
    }

    private void folder(String name, FileTime time) throws IOException {
        if (folders.add(name)) {
            TarArchiveEntry entry = entry(name + "/", TYPE_DIR | EXECUTABLE, time);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
    }

    /**
     * Sends one file. The tar header needs the size first: the declared one is used, and the reader refuses the
     * entry at its end when the inflated bytes differ; bytes past the declared size are counted, never sent.
     */
    private void file(ZipPlan.Item item, String name, ZipEntryReader reader) throws IOException {
        ZipArchiveEntry zipEntry = item.entry();
        long declared = zipEntry.getSize();
        if (declared < 0) {
            throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(item.path())
                    + "\" has no size in the zip's table of contents (damaged zip)");
        }
        int mode = ZipEntryCheck.isExecutable(zipEntry) ? EXECUTABLE : REGULAR;
        TarArchiveEntry entry = entry(name, TYPE_FILE | mode, time(zipEntry));
        entry.setSize(declared);
        tar.putArchiveEntry(entry);
        long[] sent = {0};
        reader.read(item, (bytes, length) -> {
            int room = (int) Math.min(length, declared - sent[0]);
            if (room > 0) {
                tar.write(bytes, 0, room);
                sent[0] += room;
            }
        });
        tar.closeArchiveEntry();
    }

    /** The entry's own time when it has a sane one (as unzip restores it), else now. */
    private FileTime time(ZipArchiveEntry entry) {
        long millis = entry.getTime();
        return millis > 0 ? FileTime.fromMillis(millis) : now;
    }

    private static TarArchiveEntry entry(String name, int mode, FileTime time) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        entry.setModTime(time);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }
}
