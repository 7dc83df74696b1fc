package ai.treqs.roar.telemetry.io;

/**
 * The one place that makes text inert before it reaches a terminal (docs/security.md#terminal-output):
 * text roar did not write itself (a path, an endpoint, the contents of {@code last-attempt} or the
 * ledger, a parser's message, an argument) may hold control characters that a terminal would execute
 * ({@code ESC ]52} writes the clipboard, {@code ESC [2J} clears the screen, {@code ESC ]0} sets the
 * title). They are shown escaped instead: C0 controls, DEL and C1 controls as {@code \x1b}, and the
 * invisible Unicode characters that reorder or split a line (bidirectional overrides and isolates, the
 * line and paragraph separators) as {@code \u202e}. Every printer of roar goes through here.
 */
public final class TerminalText {

    private TerminalText() {}

    /** {@code text} as one inert piece of a line: newlines and tabs are escaped too. */
    public static String inert(CharSequence text) {
        return escape(text, false);
    }

    /** Output roar composed, line by line: every control character escaped except the newlines between lines. */
    public static String inertLines(CharSequence text) {
        return escape(text, true);
    }

    /** Whether {@code c} is shown escaped. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == 0x061c || c == 0x200e || c == 0x200f
                || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    private static String escape(CharSequence text, boolean keepNewlines) {
        int first = 0;
        while (first < text.length() && (!unsafe(text.charAt(first)) || (keepNewlines && text.charAt(first) == '\n'))) {
            first++;
        }
        if (first == text.length()) {
            return text.toString(); // the common case: nothing to escape, nothing copied
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c) || (keepNewlines && c == '\n')) {
                out.append(c);
            } else if (c <= 0xff) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
