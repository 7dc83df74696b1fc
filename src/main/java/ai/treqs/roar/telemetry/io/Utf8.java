package ai.treqs.roar.telemetry.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: every file roar reads (stats, queue, config) must be valid UTF-8, not "repaired". */
public final class Utf8 {

    private Utf8() {}

    /** Decodes {@code bytes}; malformed input (overlong forms, encoded surrogates, stray bytes) is an error. */
    public static String decodeStrict(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
