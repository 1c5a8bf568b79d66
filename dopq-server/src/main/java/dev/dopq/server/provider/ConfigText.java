package dev.dopq.server.provider;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads container_config.json as JSON requires it, UTF-8, while forgiving the byte-order mark that Windows editors
 * (Notepad) put in front of UTF-8 files: a DoPQ user's zip made on Windows must not fail on an invisible character.
 */
final class ConfigText {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The reason given for a file in another encoding (for example Windows-1252 with umlauts). */
    static final String NOT_UTF8 = "container_config.json is not UTF-8 text; save it with the encoding UTF-8";

    private ConfigText() {
    }

    /** The text of the file's bytes, or empty when they are not valid UTF-8. */
    static Optional<String> decode(byte[] bytes) {
        int start = startsWithBom(bytes) ? BOM.length : 0;
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= BOM.length && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }
}
