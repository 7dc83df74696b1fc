package ai.treqs.roar.telemetry.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets one {@code [telemetry]} key in a TOML document and keeps every other byte: comments, other
 * tables, other keys, the form the file used (a {@code [telemetry]} table, dotted keys, an inline
 * table). The result is parsed again and must mean the old document with exactly that one change.
 */
public final class TomlEditor {

    private TomlEditor() {}

    /** The document cannot be parsed, or no edit could be proven right. */
    public static final class EditException extends Exception {
        public EditException(String message) {
            super(message);
        }
    }

    /** {@code value} is Boolean or String. */
    public static String set(String text, String key, Object value) throws EditException {
        Map<String, Object> before;
        try {
            before = Toml.parse(text);
        } catch (Toml.TomlSyntaxException e) {
            throw new EditException(e.getMessage());
        }
        Map<String, Object> expected = withTelemetryKey(before, key, value);
        String literal = literal(value);
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<String> candidates = new ArrayList<>();
        Scanner scanner = new Scanner(text);
        scanner.scan();
        scanner.edit(key, literal, newline).ifPresent(candidates::add);
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : newline;
        String gap = text.isEmpty() ? "" : newline;
        candidates.add(text + separator + gap + "[telemetry]" + newline + key + " = " + literal + newline);
        candidates.add("telemetry." + key + " = " + literal + newline + text);
        for (String candidate : candidates) {
            try {
                if (Objects.equals(Toml.parse(candidate), expected)) {
                    return candidate;
                }
            } catch (Toml.TomlSyntaxException e) {
                // try the next way of writing it
            }
        }
        throw new EditException("cannot set telemetry." + key + " without changing the rest of the file");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withTelemetryKey(Map<String, Object> root, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(root);
        Object table = copy.get("telemetry");
        Map<String, Object> telemetry = table instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        telemetry.put(key, value);
        copy.put("telemetry", telemetry);
        return copy;
    }

    /** A TOML literal: a boolean, or a basic string with every special character escaped. */
    static String literal(Object value) {
        if (value instanceof Boolean b) {
            return b.toString();
        }
        String s = (String) value;
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Finds where key/value pairs and table headers sit in the text, without interpreting values. */
    private static final class Scanner {
        private final String text;
        private int pos;
        private List<String> table = List.of();
        private final List<KeyValue> pairs = new ArrayList<>();
        private final List<Header> headers = new ArrayList<>();
        private final List<InlineTable> inlineTables = new ArrayList<>();

        record KeyValue(List<String> path, int valueStart, int valueEnd, int lineEnd) {}
        record Header(List<String> path, boolean array, int lineEnd) {}
        record InlineTable(List<String> path, int open, int close, boolean empty) {}

        Scanner(String text) {
            this.text = text;
        }

        java.util.Optional<String> edit(String key, String literal, String newline) {
            List<String> target = List.of("telemetry", key);
            for (KeyValue kv : pairs) {
                if (kv.path().equals(target)) {
                    return java.util.Optional.of(text.substring(0, kv.valueStart()) + literal + text.substring(kv.valueEnd()));
                }
            }
            for (Header h : headers) {
                if (!h.array() && h.path().equals(List.of("telemetry"))) {
                    return java.util.Optional.of(insertLine(h.lineEnd(), key + " = " + literal, newline));
                }
            }
            for (InlineTable t : inlineTables) {
                if (t.path().equals(List.of("telemetry"))) {
                    String entry = key + " = " + literal;
                    String inserted = t.empty() ? " " + entry + " " : ", " + entry + " ";
                    int at = t.empty() ? t.open() + 1 : trimBack(t.close());
                    return java.util.Optional.of(text.substring(0, at) + inserted + text.substring(t.close()));
                }
            }
            for (KeyValue kv : pairs) {
                if (kv.path().size() > 1 && kv.path().get(0).equals("telemetry")
                        && !headers.stream().anyMatch(h -> h.lineEnd() < kv.lineEnd())) {
                    return java.util.Optional.of(insertLine(kv.lineEnd(), "telemetry." + key + " = " + literal, newline));
                }
            }
            return java.util.Optional.empty();
        }

        private int trimBack(int close) {
            int i = close;
            while (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
                i--;
            }
            return i;
        }

        /** Inserts a line after the line that ends at {@code lineEnd} (the index of its newline, or text end). */
        private String insertLine(int lineEnd, String line, String newline) {
            if (lineEnd >= text.length()) {
                return text + newline + line + newline;
            }
            int after = lineEnd + 1;
            return text.substring(0, after) + line + newline + text.substring(after);
        }

        void scan() {
            while (true) {
                skipBlankAndComments();
                if (pos >= text.length()) {
                    return;
                }
                if (text.charAt(pos) == '[') {
                    header();
                } else {
                    keyValue(table, true);
                }
            }
        }

        private void header() {
            boolean array = text.startsWith("[[", pos);
            pos += array ? 2 : 1;
            List<String> path = key();
            skipSpaces();
            pos += array ? 2 : 1;
            table = path;
            headers.add(new Header(path, array, lineEnd()));
        }

        private void keyValue(List<String> prefix, boolean topLevel) {
            List<String> path = new ArrayList<>(prefix);
            path.addAll(key());
            skipSpaces();
            pos++; // '='
            skipSpaces();
            int start = pos;
            value(path);
            int end = pos;
            pairs.add(new KeyValue(List.copyOf(path), start, end, topLevel ? lineEnd() : end));
        }

        private List<String> key() {
            List<String> parts = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos >= text.length()) {
                    return parts;
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    int start = pos;
                    skipBasicString();
                    try {
                        Map<String, Object> parsed = Toml.parse("k = " + text.substring(start, pos));
                        parts.add(String.valueOf(parsed.get("k")));
                    } catch (Toml.TomlSyntaxException e) {
                        parts.add(text.substring(start + 1, pos - 1));
                    }
                } else if (c == '\'') {
                    int start = ++pos;
                    while (pos < text.length() && text.charAt(pos) != '\'') {
                        pos++;
                    }
                    parts.add(text.substring(start, pos));
                    pos++;
                } else {
                    int start = pos;
                    while (pos < text.length() && isBare(text.charAt(pos))) {
                        pos++;
                    }
                    parts.add(text.substring(start, pos));
                    if (start == pos) {
                        pos++; // not a key character: step over it so the scan always ends
                    }
                }
                skipSpaces();
                if (pos < text.length() && text.charAt(pos) == '.') {
                    pos++;
                } else {
                    return parts;
                }
            }
        }

        private void value(List<String> path) {
            if (pos >= text.length()) {
                return;
            }
            char c = text.charAt(pos);
            if (c == '"') {
                skipBasicString();
            } else if (c == '\'') {
                skipLiteralString();
            } else if (c == '[') {
                pos++;
                while (pos < text.length()) {
                    skipBlankAndComments();
                    if (pos >= text.length() || text.charAt(pos) == ']') {
                        pos++;
                        return;
                    }
                    if (text.charAt(pos) == ',') {
                        pos++;
                        continue;
                    }
                    value(path);
                }
            } else if (c == '{') {
                int open = pos++;
                boolean empty = true;
                while (pos < text.length()) {
                    skipSpaces();
                    if (pos >= text.length()) {
                        return;
                    }
                    char d = text.charAt(pos);
                    if (d == '}') {
                        inlineTables.add(new InlineTable(List.copyOf(path), open, pos, empty));
                        pos++;
                        return;
                    }
                    if (d == ',') {
                        pos++;
                        continue;
                    }
                    empty = false;
                    keyValue(path, false);
                }
            } else {
                while (pos < text.length() && " \t\r\n#,]}".indexOf(text.charAt(pos)) < 0) {
                    pos++;
                }
            }
        }

        private void skipBasicString() {
            boolean multi = text.startsWith("\"\"\"", pos);
            pos += multi ? 3 : 1;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\') {
                    pos += 2;
                } else if (multi ? text.startsWith("\"\"\"", pos) : c == '"') {
                    pos += multi ? 3 : 1;
                    while (multi && pos < text.length() && text.charAt(pos) == '"') {
                        pos++; // up to two quotes may end the content
                    }
                    return;
                } else {
                    pos++;
                }
            }
        }

        private void skipLiteralString() {
            boolean multi = text.startsWith("'''", pos);
            pos += multi ? 3 : 1;
            int end = text.indexOf(multi ? "'''" : "'", pos);
            pos = end < 0 ? text.length() : end + (multi ? 3 : 1);
            while (multi && pos < text.length() && text.charAt(pos) == '\'') {
                pos++;
            }
        }

        /** Skips the rest of the line (spaces, a comment) and returns the index of its newline. */
        private int lineEnd() {
            int nl = text.indexOf('\n', pos);
            pos = nl < 0 ? text.length() : nl;
            return pos;
        }

        private void skipSpaces() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private void skipBlankAndComments() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else if (c == '#') {
                    int nl = text.indexOf('\n', pos);
                    pos = nl < 0 ? text.length() : nl;
                } else {
                    return;
                }
            }
        }

        private static boolean isBare(char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }
    }
}
