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
        TomlLayout scanner = new TomlLayout(text);
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

}
