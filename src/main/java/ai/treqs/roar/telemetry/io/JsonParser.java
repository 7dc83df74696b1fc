package ai.treqs.roar.telemetry.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The strict JSON reader behind {@link Json#parse}: recursive descent over decoded text. */
final class JsonParser {
    private final String text;
    private int pos;

    JsonParser(String text) {
        // a leading byte order mark is tolerated, as before
        this.text = text;
        this.pos = text.startsWith("\uFEFF") ? 1 : 0;
    }

    /** Exactly one value, with nothing but whitespace around it. */
    Object document() throws Json.MalformedJsonException {
        skipWhitespace();
        if (pos == text.length()) {
            throw new Json.MalformedJsonException("empty document", null);
        }
        Object value = value(0);
        skipWhitespace();
        if (pos != text.length()) {
            throw error("trailing content");
        }
        return value;
    }

    Object value(int depth) throws Json.MalformedJsonException {
        if (depth >= Json.MAX_DEPTH) {
            throw error("nested deeper than " + Json.MAX_DEPTH);
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

    private Map<String, Object> object(int depth) throws Json.MalformedJsonException {
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

    private List<Object> array(int depth) throws Json.MalformedJsonException {
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

    private String string() throws Json.MalformedJsonException {
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

    private char unicodeEscape() throws Json.MalformedJsonException {
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

    private Object number() throws Json.MalformedJsonException {
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
            double value = Double.parseDouble(literal);
            if (!Double.isFinite(value)) {
                // 1e400 would parse as infinity, which no writer can put back: out of range is malformed
                throw error("number out of range");
            }
            return value;
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

    private void literal(String word) throws Json.MalformedJsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
    }

    private void expect(char c) throws Json.MalformedJsonException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private boolean peekOr(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private char peek() throws Json.MalformedJsonException {
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

    Json.MalformedJsonException error(String what) {
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
        return new Json.MalformedJsonException(what + " at line " + line + ", column " + column, null);
    }
}
