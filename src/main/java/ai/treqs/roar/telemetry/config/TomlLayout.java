package ai.treqs.roar.telemetry.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where key/value pairs and table headers sit in a TOML text, found without interpreting values: the edits of {@link TomlEditor}. */
final class TomlLayout {
    private final String text;
    private int pos;
    private List<String> table = List.of();
    private final List<KeyValue> pairs = new ArrayList<>();
    private final List<Header> headers = new ArrayList<>();
    private final List<InlineTable> inlineTables = new ArrayList<>();

    record KeyValue(List<String> path, int valueStart, int valueEnd, int lineEnd) {}
    record Header(List<String> path, boolean array, int lineEnd) {}
    record InlineTable(List<String> path, int open, int close, boolean empty) {}

    TomlLayout(String text) {
        this.text = text;
    }

    Optional<String> edit(String key, String literal, String newline) {
        List<String> target = List.of("telemetry", key);
        for (KeyValue kv : pairs) {
            if (kv.path().equals(target)) {
                return Optional.of(text.substring(0, kv.valueStart()) + literal + text.substring(kv.valueEnd()));
            }
        }
        for (Header h : headers) {
            if (!h.array() && h.path().equals(List.of("telemetry"))) {
                return Optional.of(insertLine(h.lineEnd(), key + " = " + literal, newline));
            }
        }
        for (InlineTable t : inlineTables) {
            if (t.path().equals(List.of("telemetry"))) {
                String entry = key + " = " + literal;
                String inserted = t.empty() ? " " + entry + " " : ", " + entry + " ";
                int at = t.empty() ? t.open() + 1 : trimBack(t.close());
                return Optional.of(text.substring(0, at) + inserted + text.substring(t.close()));
            }
        }
        for (KeyValue kv : pairs) {
            if (kv.path().size() > 1 && kv.path().get(0).equals("telemetry")
                    && !headers.stream().anyMatch(h -> h.lineEnd() < kv.lineEnd())) {
                return Optional.of(insertLine(kv.lineEnd(), "telemetry." + key + " = " + literal, newline));
            }
        }
        return Optional.empty();
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
