package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON serialiser (contract §5): compact, keys sorted at every level, UTF-8, one line.
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
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
        Parser parser = new Parser(text);
        parser.skipWhitespace();
        if (parser.pos == text.length()) {
            throw new MalformedJsonException("empty document", null);
        }
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("trailing content");
        }
        return value;
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

    /** A recursive-descent reader over decoded text. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            // a leading byte order mark is tolerated, as before
            this.text = text;
            this.pos = text.startsWith("\uFEFF") ? 1 : 0;
        }

        Object value(int depth) throws MalformedJsonException {
            if (depth >= MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            char c = peek();
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character");
            }
        }

        private Map<String, Object> object(int depth) throws MalformedJsonException {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++; // {
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a key");
                }
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object value = value(depth + 1);
                if (map.containsKey(key)) {
                    pos = keyAt;
                    throw error("duplicate key '" + key + "'");
                }
                map.put(key, value);
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) throws MalformedJsonException {
            List<Object> list = new ArrayList<>();
            pos++; // [
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() throws MalformedJsonException {
            pos++; // opening quote
            StringBuilder out = null;
            int runStart = pos;
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    String s = out == null ? text.substring(runStart, pos) : out.append(text, runStart, pos).toString();
                    pos++;
                    return s;
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(text, runStart, pos);
                pos++;
                char e = peek();
                pos++;
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> out.append(unicodeEscape());
                    default -> {
                        pos--;
                        throw error("bad escape");
                    }
                }
                runStart = pos;
            }
        }

        private char unicodeEscape() throws MalformedJsonException {
            if (pos + 4 > text.length()) {
                throw error("bad \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(text.charAt(pos + i), 16);
                if (d < 0 || text.charAt(pos + i) > 'f') {
                    throw error("bad \\u escape");
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private Object number() throws MalformedJsonException {
            int start = pos;
            if (peekOr('-')) {
                pos++;
            }
            if (peekOr('0')) {
                pos++;
            } else if (digits() == 0) {
                throw error("bad number");
            }
            boolean integer = true;
            if (peekOr('.')) {
                pos++;
                integer = false;
                if (digits() == 0) {
                    throw error("bad number");
                }
            }
            if (peekOr('e') || peekOr('E')) {
                pos++;
                integer = false;
                if (peekOr('+') || peekOr('-')) {
                    pos++;
                }
                if (digits() == 0) {
                    throw error("bad number");
                }
            }
            String literal = text.substring(start, pos);
            if (!integer) {
                return Double.parseDouble(literal);
            }
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                return new BigInteger(literal);
            }
        }

        private int digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }

        private void literal(String word) throws MalformedJsonException {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected character");
            }
            pos += word.length();
        }

        private void expect(char c) throws MalformedJsonException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private boolean peekOr(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private char peek() throws MalformedJsonException {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos);
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        MalformedJsonException error(String what) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < Math.min(pos, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new MalformedJsonException(what + " at line " + line + ", column " + column, null);
        }
    }
}
