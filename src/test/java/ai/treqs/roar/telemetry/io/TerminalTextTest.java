package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void controlCharactersAreShownEscaped() {
        assertEquals("\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J", TerminalText.inert("\u001b]52;c;ZXZpbA==\u0007\u001b[2J"));
        assertEquals("\\x9b31m\\x7f\\x00", TerminalText.inert("\u009b31m\u007f\u0000"), "C1 controls, DEL and NUL too");
        assertEquals("a\\x0ab\\x09c\\x0d", TerminalText.inert("a\nb\tc\r"), "a value is one piece of a line");
        assertEquals("abc\\u202edef\\u2066\\u2028", TerminalText.inert("abc\u202edef\u2066\u2028"), "bidi overrides, line separators");
    }

    @Test
    void composedOutputKeepsItsNewlinesOnly() {
        assertEquals("Telemetry: enabled\nLast upload: \\x1b[2J\\x0d\n", TerminalText.inertLines("Telemetry: enabled\nLast upload: \u001b[2J\r\n"));
    }

    @Test
    void ordinaryTextIsPassedOnUntouched() {
        String text = "Endpoint: https://host/tä/日本 (global)\n";
        assertSame(text, TerminalText.inertLines(text));
        assertEquals("/home/ü/.config/roar/global.toml", TerminalText.inert("/home/ü/.config/roar/global.toml"));
    }
}
