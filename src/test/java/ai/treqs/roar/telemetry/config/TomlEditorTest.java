package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/configuration.md#keys, editing global.toml: exactly the change asked for, every other byte kept. */
class TomlEditorTest {

    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("an empty file gets a [telemetry] table",
                        "", "enabled", false,
                        "[telemetry]\nenabled = false\n"),
                Arguments.of("an existing key in the table is replaced in place",
                        "[telemetry]\nenabled = true\n", "enabled", false,
                        "[telemetry]\nenabled = false\n"),
                Arguments.of("a new key goes right under the [telemetry] header",
                        "[telemetry]\nenabled = false\n", "endpoint", "https://c.example/t",
                        "[telemetry]\nendpoint = \"https://c.example/t\"\nenabled = false\n"),
                Arguments.of("an existing endpoint is replaced",
                        "[telemetry]\nendpoint = \"https://old.example/t\"\n", "endpoint", "",
                        "[telemetry]\nendpoint = \"\"\n"),
                Arguments.of("dotted keys stay dotted: replace",
                        "telemetry.enabled = true\n", "enabled", false,
                        "telemetry.enabled = false\n"),
                Arguments.of("dotted keys stay dotted: insert after the last telemetry line",
                        "telemetry.enabled = true\n", "endpoint", "https://c.example/t",
                        "telemetry.enabled = true\ntelemetry.endpoint = \"https://c.example/t\"\n"),
                Arguments.of("an inline table stays inline: replace",
                        "telemetry = { enabled = true }\n", "enabled", false,
                        "telemetry = { enabled = false }\n"),
                Arguments.of("an inline table stays inline: insert",
                        "telemetry = { enabled = true }\n", "endpoint", "https://c.example/t",
                        "telemetry = { enabled = true, endpoint = \"https://c.example/t\" }\n"),
                Arguments.of("an empty inline table gets the key",
                        "telemetry = {}\n", "enabled", false,
                        "telemetry = { enabled = false }\n"),
                Arguments.of("a file without a trailing newline gets a table after a blank line",
                        "[proxy]\nenabled = true", "enabled", false,
                        "[proxy]\nenabled = true\n\n[telemetry]\nenabled = false\n"),
                Arguments.of("a file with other tables only gets a table at the end",
                        "[proxy]\nenabled = true\n", "enabled", false,
                        "[proxy]\nenabled = true\n\n[telemetry]\nenabled = false\n"),
                Arguments.of("a key named telemetry.enabled under [other] is not ours",
                        "[other]\ntelemetry.enabled = true\n", "enabled", false,
                        "[other]\ntelemetry.enabled = true\n\n[telemetry]\nenabled = false\n"),
                Arguments.of("CRLF files keep CRLF: replace",
                        "[telemetry]\r\nenabled = true\r\n", "enabled", false,
                        "[telemetry]\r\nenabled = false\r\n"),
                Arguments.of("CRLF files keep CRLF: insert",
                        "# mine\r\n[telemetry]\r\nenabled = true\r\n", "endpoint", "https://c.example/t",
                        "# mine\r\n[telemetry]\r\nendpoint = \"https://c.example/t\"\r\nenabled = true\r\n"),
                Arguments.of("CRLF files keep CRLF: new table",
                        "[proxy]\r\nenabled = true\r\n", "enabled", false,
                        "[proxy]\r\nenabled = true\r\n\r\n[telemetry]\r\nenabled = false\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void setsTheKeyAndKeepsEveryOtherByte(String what, String before, String key, Object value, String after)
            throws Exception {
        String edited = TomlEditor.set(before, key, value);
        assertEquals(after, edited);
        assertEquals(TomlEditor.withTelemetryKey(Toml.parse(before), key, value), Toml.parse(edited));
    }

    @Test
    void commentsAndOtherTablesAreKeptByteForByte() throws Exception {
        String before = String.join("\n",
                "# roar settings, written by hand",
                "title = \"mine\"   # a top-level key",
                "",
                "[proxy]",
                "enabled = true   # roar's own proxy",
                "",
                "[telemetry]",
                "# I turned this on after reading the docs",
                "enabled = true # trailing comment",
                "",
                "[ray]",
                "enabled = false",
                "addresses = [\"a\", # first",
                "  \"b\"]",
                "");
        String disabled = TomlEditor.set(before, "enabled", false);
        assertEquals(before.replace("enabled = true # trailing comment", "enabled = false # trailing comment"), disabled);

        String withEndpoint = TomlEditor.set(disabled, "endpoint", "https://c.example/t");
        assertEquals(disabled.replace("[telemetry]\n", "[telemetry]\nendpoint = \"https://c.example/t\"\n"), withEndpoint);
    }

    @Test
    void aTableWrittenAsASubTableHeaderIsFound() throws Exception {
        String before = "[telemetry]\nenabled = true\n[telemetry.extra]\nx = 1\n";
        String after = TomlEditor.set(before, "enabled", false);
        assertEquals("[telemetry]\nenabled = false\n[telemetry.extra]\nx = 1\n", after);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://c.example/\"quoted\"",
        "https://c.example/t\n[telemetry]\nenabled = true",
        "\"\nenabled = true\n",
        "https://c.example/t\"\nenabled = true\n#",
        "C:\\Users\\alice\\",
        "back\\\"slash",
        "'''literal'''",
        "\"\"\"",
        "tab\there\rcr\u0001ctl\u007fdel",
        "unicode: café ☕",
    })
    void anEndpointAlwaysStaysOneStringWhateverItContains(String hostile) throws Exception {
        String before = "[telemetry]\nenabled = false\n";
        String edited = TomlEditor.set(before, "endpoint", hostile);
        Map<String, Object> parsed = Toml.parse(edited);
        Map<String, Object> expectedTelemetry = new LinkedHashMap<>();
        expectedTelemetry.put("enabled", false);
        expectedTelemetry.put("endpoint", hostile);
        assertEquals(Map.of("telemetry", expectedTelemetry), parsed);
        assertEquals(3, edited.split("\n", -1).length - 1, "one new line, no more: " + edited);
    }

    @Test
    void aHostileEndpointCannotSmuggleAKeyIntoAnInlineTableOrDottedFile() throws Exception {
        String hostile = "x\", enabled = true, y = \"";
        for (String before : new String[] {"telemetry = { enabled = false }\n", "telemetry.enabled = false\n"}) {
            Map<String, Object> parsed = Toml.parse(TomlEditor.set(before, "endpoint", hostile));
            assertEquals(Map.of("enabled", false, "endpoint", hostile), parsed.get("telemetry"), before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[telemetry\nenabled = true\n",
        "enabled = = true\n",
        "[telemetry]\nenabled = true\nenabled = false\n",
        "telemetry = 3\n",
        "\u0000",
    })
    void aFileThatCannotBeEditedSafelyIsRefused(String before) {
        TomlEditor.EditException e = assertThrows(TomlEditor.EditException.class,
                () -> TomlEditor.set(before, "enabled", false));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void literalsAreEscapedTomlBasicStrings() {
        assertEquals("true", TomlEditor.literal(true));
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", TomlEditor.literal("a\"b\\c\nd\u0001"));
        assertTrue(TomlEditor.literal("x").startsWith("\""));
    }
}
