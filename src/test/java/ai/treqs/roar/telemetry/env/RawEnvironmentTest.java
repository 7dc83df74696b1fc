package ai.treqs.roar.telemetry.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The raw {@code NAME=value} block: a value's bytes, the first entry of the name, no prefix match. */
class RawEnvironmentTest {

    @Test
    void findsTheBytesOfTheNamedValue() {
        byte[] environ = bytes("HOMEX=/nope\0HOME=/tmp/h\u00e9\0HOME=/second\0EMPTY=\0");
        byte[] latin1 = "/tmp/h\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(latin1, RawEnvironment.valueOf(environ, "HOME").orElseThrow());
        assertEquals(0, RawEnvironment.valueOf(environ, "EMPTY").orElseThrow().length);
        assertEquals(Optional.empty(), RawEnvironment.valueOf(environ, "HOM"));
        assertEquals(Optional.empty(), RawEnvironment.valueOf(new byte[0], "HOME"));
    }

    @Test
    void asciiTextIsExactWithoutLooking() {
        assertTrue(RawEnvironment.isExact("ROAR_NO_SUCH_VARIABLE", "/home/alice"));
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
