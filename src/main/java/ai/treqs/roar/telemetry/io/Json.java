package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON serialiser (docs/telemetry.md#what-is-collected): compact, keys sorted at every level, UTF-8, one line.
 * {@code --print}, queue files, upload bodies, stats and the ledger all go through {@link #write}.
 * Parsing is strict (RFC 8259): bad UTF-8, duplicate keys, trailing content, comments, NaN and
 * nesting deeper than {@value #MAX_DEPTH} are errors.
 *
 * <p>The parser is this class's own, not Jackson's: on JDK 25 the first Jackson parser of a process
 * initialises {@code java.math.BigDecimal} (its base class holds BigDecimal constants), which alone
 * takes 10-15 ms there, on every command that reads {@code stats.json}.
 */
public final class Json {
    static final int MAX_DEPTH = 1000;

    private Json() {}

    /** Thrown for anything that is not one well-formed JSON value. */
    public static final class MalformedJsonException extends IOException {
        MalformedJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static byte[] write(Object value) {
        StringBuilder out = new StringBuilder(512);
        append(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String writeString(Object value) {
        StringBuilder out = new StringBuilder(512);
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : sorted(map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, (String) e.getKey());
                out.append(':');
                append(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Double d && Double.isFinite(d)) {
            out.append(d);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getSimpleName());
        }
    }

    private static Map<?, ?> sorted(Map<?, ?> map) {
        return map instanceof TreeMap<?, ?> ? map : new TreeMap<>(map);
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || TerminalText.unsafe(c)) { // DEL, C1 and bidi controls too: JSON printed on a terminal stays inert
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Parses one JSON value: objects become insertion-ordered maps, integers longs (or BigInteger), other numbers doubles. */
    public static Object parse(byte[] bytes) throws MalformedJsonException {
        String text;
        try {
            text = Utf8.decodeStrict(bytes);
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("not valid UTF-8", e);
        }
        return new JsonParser(text).document();
    }

    /** Parses a JSON object; anything else is malformed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] bytes) throws MalformedJsonException {
        Object value = parse(bytes);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new MalformedJsonException("not a JSON object", null);
    }
}
