package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/telemetry.md#what-is-collected: one serialiser — compact, keys sorted, UTF-8, one line — and a strict parser. */
class JsonTest {

    @Test
    void writesCompactOneLineJsonWithKeysSortedAtEveryLevel() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("zeta", true);
        inner.put("alpha", List.of(3L, "x", false));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", 1L);
        outer.put("a", inner);
        outer.put("c", null);
        outer.put("B", "upper sorts first");
        assertEquals("{\"B\":\"upper sorts first\",\"a\":{\"alpha\":[3,\"x\",false],\"zeta\":true},\"b\":1,\"c\":null}",
                Json.writeString(outer));
    }

    @Test
    void escapesEverythingThatCouldBreakTheLineOrTheString() {
        String nasty = "q\" b\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 esc\u001b ls\u2028 ps\u2029 café ☕";
        String written = Json.writeString(Map.of("k", nasty));
        assertEquals("{\"k\":\"q\\\" b\\\\ nl\\n cr\\r tab\\t bs\\b ff\\f nul\\u0000 esc\\u001b ls\\u2028 ps\\u2029 café ☕\"}",
                written);
        assertEquals(1, written.lines().count());
    }

    @Test
    void writesUtf8Bytes() {
        assertArrayEquals("{\"k\":\"café\"}".getBytes(StandardCharsets.UTF_8), Json.write(Map.of("k", "café")));
    }

    @Test
    void whatIsWrittenParsesBackToTheSameValue() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "line\nbreak \"quoted\" ☕ \u0001");
        value.put("n", Long.MAX_VALUE);
        value.put("list", List.of(1L, List.of(), Map.of()));
        value.put("t", true);
        value.put("nil", null);
        byte[] bytes = Json.write(value);
        Map<String, Object> back = Json.parseObject(bytes);
        assertEquals(value, back);
        assertArrayEquals(bytes, Json.write(back));
    }

    @Test
    void refusesValuesThatAreNotJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", new Object())));
    }

    static Stream<Arguments> malformed() {
        byte[] badUtf8 = "{\"a\":\"xx\"}".getBytes(StandardCharsets.US_ASCII);
        badUtf8[6] = (byte) 0xFF;
        byte[] overlong = "{\"a\":\"xx\"}".getBytes(StandardCharsets.US_ASCII);
        overlong[6] = (byte) 0xC0;
        overlong[7] = (byte) 0xAF;
        byte[] surrogate = "{\"a\":\"xxx\"}".getBytes(StandardCharsets.US_ASCII);
        surrogate[6] = (byte) 0xED;
        surrogate[7] = (byte) 0xA0;
        surrogate[8] = (byte) 0x80;
        return Stream.of(
                Arguments.of("bad UTF-8 in a string", badUtf8),
                Arguments.of("an encoded surrogate (CESU-8)", surrogate),
                Arguments.of("bad UTF-8 in a key", new byte[] {'{', '"', (byte) 0xFE, '"', ':', '1', '}'}),
                Arguments.of("an overlong UTF-8 sequence", overlong),
                Arguments.of("duplicate keys", bytes("{\"a\":1,\"a\":2}")),
                Arguments.of("nested duplicate keys", bytes("{\"p\":{\"os\":\"linux\",\"os\":\"x\"}}")),
                Arguments.of("trailing garbage", bytes("{\"a\":1}x")),
                Arguments.of("a second document", bytes("{\"a\":1}{\"b\":2}")),
                Arguments.of("an unterminated object", bytes("{\"a\":1")),
                Arguments.of("an empty document", bytes("")),
                Arguments.of("whitespace only", bytes("  \n")),
                Arguments.of("single quotes", bytes("{'a':1}")),
                Arguments.of("a comment", bytes("{\"a\":1 /* c */}")),
                Arguments.of("a trailing comma", bytes("{\"a\":1,}")),
                Arguments.of("NaN", bytes("{\"a\":NaN}")),
                Arguments.of("a number that overflows to infinity", bytes("{\"extra\":1e400}")),
                Arguments.of("a negative number that overflows", bytes("{\"extra\":[-1.5e999]}")),
                Arguments.of("a raw newline inside a string", bytes("{\"a\":\"x\ny\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void parsingIsStrict(String what, byte[] bytes) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(bytes), what + ": " + Arrays.toString(bytes));
    }

    @Test
    void parseObjectRefusesOtherValues() {
        for (String doc : new String[] {"[]", "1", "\"s\"", "null", "true"}) {
            assertThrows(Json.MalformedJsonException.class, () -> Json.parseObject(bytes(doc)), doc);
        }
    }

    @Test
    void integersBecomeLongsAndSurroundingWhitespaceIsFine() throws Exception {
        assertEquals(Map.of("a", 5L, "b", List.of(-1L)), Json.parseObject(bytes(" {\"a\": 5, \"b\": [-1]}\n")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
