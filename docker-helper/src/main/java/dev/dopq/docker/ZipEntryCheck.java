package dev.dopq.docker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/** Checks one zip entry's name and kind before anything is written. */
final class ZipEntryCheck {

    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_DIR = 0040000;
    private static final int TYPE_SYMLINK = 0120000;
    private static final int MAX_SHOWN_NAME = 120;
    /** Methods commons-compress reads natively; Deflate64 because Windows Explorer uses it for large files. */
    private static final Set<Integer> SUPPORTED_METHODS = Set.of(ZipMethod.STORED.getCode(),
            ZipMethod.DEFLATED.getCode(), ZipMethod.ENHANCED_DEFLATED.getCode(), ZipMethod.BZIP2.getCode());
    /** The zip specification's default name encoding when the UTF-8 flag is not set. */
    private static final Charset LEGACY = Charset.isSupported("IBM437")
            ? Charset.forName("IBM437") : StandardCharsets.ISO_8859_1;

    private ZipEntryCheck() {
    }

    /**
     * Decodes the name from its raw bytes: UTF-8 when flagged (or carried in a Unicode path field), else UTF-8
     * when the bytes are valid UTF-8, else the zip default code page, so no name silently turns into U+FFFD.
     */
    static String decodeName(ZipArchiveEntry entry) {
        byte[] raw = entry.getRawName();
        if (raw == null || entry.getExtraField(UnicodePathExtraField.UPATH_ID) != null) {
            return entry.getName();
        }
        if (entry.getGeneralPurposeBit().usesUTF8ForNames()) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(raw, LEGACY);
        }
    }

    /**
     * Returns the entry's path relative to the target as "a/b/c" (no trailing slash), or rejects names that could
     * leave the target or mean different things on different systems.
     */
    static String normalize(String name, byte[] raw) {
        if (name == null || name.isEmpty()) {
            throw new ZipRejectedException("the zip has an entry with an empty name");
        }
        if (name.indexOf('\0') >= 0 || contains(raw, (byte) 0)) {
            throw new ZipRejectedException("entry \"" + show(name) + "\" has a NUL character in its name");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ZipRejectedException("entry \"" + show(name) + "\" has a control character in its name");
        }
        if (name.startsWith("/")) {
            throw new ZipRejectedException("entry \"" + show(name) + "\" is an absolute path");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw new ZipRejectedException("entry \"" + show(name) + "\" starts with a drive letter");
        }
        if (name.indexOf('\\') >= 0 || contains(raw, (byte) '\\')) {
            throw new ZipRejectedException("entry \"" + show(name)
                    + "\" contains a backslash; zip the folder with a tool that uses '/' between folders");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new ZipRejectedException("entry \"" + show(name) + "\" contains '..' (a path outside the zip)");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw new ZipRejectedException("the zip has an entry with an empty name (\"" + show(name) + "\")");
        }
        return String.join("/", parts);
    }

    /** True for a folder entry, false for a regular file; rejects links, devices, fifos and sockets. */
    static boolean isDirectory(ZipArchiveEntry entry, String name) {
        if (entry.isUnixSymlink()) {
            throw new ZipRejectedException("entry \"" + show(name) + "\" is a symbolic link; links are not allowed");
        }
        int type = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & TYPE_MASK : 0;
        if (type != 0 && type != TYPE_FILE && type != TYPE_DIR) {
            throw new ZipRejectedException("entry \"" + show(name)
                    + "\" is not a regular file or folder (a link, device, fifo or socket)");
        }
        return type == TYPE_DIR || entry.isDirectory();
    }

    /** Rejects entries whose data cannot be read: encrypted or compressed with an unsupported method. */
    static void checkReadable(ZipArchiveEntry entry, String name) {
        if (entry.getGeneralPurposeBit().usesEncryption() || entry.getGeneralPurposeBit().usesStrongEncryption()) {
            throw new ZipRejectedException("entry \"" + show(name)
                    + "\" is encrypted; zips with a password are not supported");
        }
        if (!SUPPORTED_METHODS.contains(entry.getMethod())) {
            ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
            throw new ZipRejectedException("entry \"" + show(name) + "\" uses an unsupported compression method ("
                    + (method == null ? "code " + entry.getMethod() : method.name())
                    + "); use Deflate or no compression");
        }
    }

    /**
     * True when the owner may execute the entry as recorded by a Unix zip tool. Zips made without Unix modes
     * (Windows, jar) get every file executable, as {@code docker build} does for contexts sent from Windows:
     * otherwise a shell script or binary in a DoPQ user's zip could not run.
     */
    static boolean isExecutable(ZipArchiveEntry entry) {
        if (entry.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX || entry.getUnixMode() == 0) {
            return true;
        }
        return (entry.getUnixMode() & 0100) != 0;
    }

    /** A name made safe to print on one line in a reason: control characters become '?', long names are cut. */
    static String show(String name) {
        StringBuilder shown = new StringBuilder();
        name.codePoints().limit(MAX_SHOWN_NAME)
                .forEach(c -> shown.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return name.codePointCount(0, name.length()) > MAX_SHOWN_NAME ? shown + "..." : shown.toString();
    }

    private static boolean contains(byte[] raw, byte b) {
        if (raw != null) {
            for (byte x : raw) {
                if (x == b) {
                    return true;
                }
            }
        }
        return false;
    }
}
