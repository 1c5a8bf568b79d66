package dev.dopq.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.io.channels.ByteArraySeekableByteChannel;

/**
 * Builds zips in memory, including entries no well-behaved tool would write, and patches header fields of the
 * result to model lying or damaged archives.
 */
final class TestZips {

    static final int FILE_MODE = 0100644;
    static final int EXEC_MODE = 0100755;
    static final int SYMLINK_MODE = 0120777;
    static final int CHAR_DEVICE_MODE = 0020644;
    static final int FIFO_MODE = 0010644;

    private final ByteArraySeekableByteChannel channel = new ByteArraySeekableByteChannel();
    private final ZipArchiveOutputStream out;

    private TestZips(String encoding, boolean utf8Flag) {
        out = new ZipArchiveOutputStream(channel);
        out.setEncoding(encoding);
        out.setUseLanguageEncodingFlag(utf8Flag);
        out.setUseZip64(Zip64Mode.Never);
    }

    /** A zip whose names are UTF-8 and flagged as such, like modern tools write. */
    static TestZips zip() {
        return new TestZips("UTF-8", true);
    }

    /** A zip whose names use the old DOS code page without the UTF-8 flag, like old Windows tools write. */
    static TestZips legacyZip() {
        return new TestZips("IBM437", false);
    }

    TestZips file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), FILE_MODE, ZipArchiveEntry.DEFLATED);
    }

    TestZips file(String name, byte[] content) {
        return file(name, content, FILE_MODE, ZipArchiveEntry.DEFLATED);
    }

    TestZips executable(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), EXEC_MODE, ZipArchiveEntry.DEFLATED);
    }

    TestZips stored(String name, byte[] content) {
        return file(name, content, FILE_MODE, ZipArchiveEntry.STORED);
    }

    /** A file entry without Unix attributes, as Windows tools write them. */
    TestZips windowsFile(String name, String content) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        return write(entry, content.getBytes(StandardCharsets.UTF_8), ZipArchiveEntry.DEFLATED);
    }

    TestZips withMode(String name, int unixMode, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), unixMode, ZipArchiveEntry.DEFLATED);
    }

    /** A Unix symlink entry: the mode says link, the data is the link target. */
    TestZips symlink(String name, String linkTarget) {
        return withMode(name, SYMLINK_MODE, linkTarget);
    }

    TestZips directory(String name) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name.endsWith("/") ? name : name + "/");
        entry.setUnixMode(040755);
        return write(entry, new byte[0], ZipArchiveEntry.STORED);
    }

    TestZips file(String name, byte[] content, int unixMode, int method) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(unixMode);
        return write(entry, content, method);
    }

    private TestZips write(ZipArchiveEntry entry, byte[] content, int method) {
        entry.setMethod(method);
        if (method == ZipArchiveEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setSize(content.length);
            entry.setCrc(crc.getValue());
        }
        try {
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    byte[] bytes() {
        try {
            out.finish();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return channel.toByteArray();
    }

    /** Sets a 2- or 4-byte little-endian field in every central directory header (and local header) of a zip. */
    static byte[] patchAllHeaders(byte[] zip, int centralOffset, int localOffset, long value, int width) {
        byte[] patched = Arrays.copyOf(zip, zip.length);
        for (int i = 0; i + 4 <= patched.length; i++) {
            if (signature(patched, i, 0x02014b50)) {
                put(patched, i + centralOffset, value, width);
            } else if (localOffset >= 0 && signature(patched, i, 0x04034b50)) {
                put(patched, i + localOffset, value, width);
            }
        }
        return patched;
    }

    static byte[] withDeclaredSize(byte[] zip, long size) {
        return patchAllHeaders(zip, 24, 22, size, 4);
    }

    static byte[] withCrc(byte[] zip, long crc) {
        return patchAllHeaders(zip, 16, 14, crc, 4);
    }

    static byte[] withMethod(byte[] zip, int method) {
        return patchAllHeaders(zip, 10, 8, method, 2);
    }

    /**
     * Renames entries by replacing {@code placeholder} with {@code name} in the raw bytes (same length), for names
     * that ZipArchiveEntry would rewrite, such as backslashes it turns into slashes.
     */
    static byte[] withRawName(byte[] zip, String placeholder, String name) {
        byte[] from = placeholder.getBytes(StandardCharsets.UTF_8);
        byte[] to = name.getBytes(StandardCharsets.UTF_8);
        if (from.length != to.length) {
            throw new IllegalArgumentException("a raw rename must keep the length");
        }
        byte[] patched = Arrays.copyOf(zip, zip.length);
        for (int i = 0; i + from.length <= patched.length; i++) {
            if (Arrays.equals(patched, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, patched, i, to.length);
            }
        }
        return patched;
    }

    /** Sets bit 0 of the general purpose flags ("encrypted") in every header. */
    static byte[] withEncryptedFlag(byte[] zip) {
        byte[] patched = Arrays.copyOf(zip, zip.length);
        for (int i = 0; i + 4 <= patched.length; i++) {
            if (signature(patched, i, 0x02014b50)) {
                patched[i + 8] |= 1;
            } else if (signature(patched, i, 0x04034b50)) {
                patched[i + 6] |= 1;
            }
        }
        return patched;
    }

    private static boolean signature(byte[] b, int i, int sig) {
        return (b[i] & 0xff) == (sig & 0xff) && (b[i + 1] & 0xff) == (sig >> 8 & 0xff)
                && (b[i + 2] & 0xff) == (sig >> 16 & 0xff) && (b[i + 3] & 0xff) == (sig >>> 24);
    }

    private static void put(byte[] b, int at, long value, int width) {
        for (int k = 0; k < width; k++) {
            b[at + k] = (byte) (value >>> (8 * k));
        }
    }
}
