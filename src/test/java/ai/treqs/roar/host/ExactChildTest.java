package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.treqs.roar.telemetry.env.InheritedEnvironment;

class ExactChildTest {
    private static final byte[] LATIN1_NAME = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'};

    @Test
    void theArgumentsAreFoundAtTheEndOfTheKernelsCopyWhenTheyDecodeToTheSameText() {
        byte[] cmdline = "java\0-jar\0roar.jar\0run\0--\0cat\0caf\u00e9.txt\0".getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> raw = ExactChild.split(cmdline);
        assertEquals(7, raw.size());
        List<byte[]> tail = ExactChild.rawTail(raw, List.of("cat", "caf\uFFFD.txt"), StandardCharsets.UTF_8);
        assertArrayEquals(LATIN1_NAME, tail.get(1));
        assertFalse(ExactChild.survivesAsText(tail, List.of("cat", "caf\uFFFD.txt"), StandardCharsets.UTF_8));
        assertNull(ExactChild.rawTail(raw, List.of("cat", "other.txt"), StandardCharsets.UTF_8), "not the same arguments");
        assertTrue(ExactChild.survivesAsText(List.of("t\u00e4".getBytes(StandardCharsets.UTF_8)), List.of("t\u00e4"),
                StandardCharsets.UTF_8), "valid UTF-8 needs nothing more");
    }

    @Test
    void printfEscapesPrintExactlyTheBytesAndEscapeOnlyWhatMustBe() {
        assertEquals("caf\\351.txt", ExactChild.printfEscaped(LATIN1_NAME, StandardCharsets.UTF_8));
        assertEquals("\\055n%%s\\\\ \n-", ExactChild.printfEscaped("-n%s\\ \n-".getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8),
                "no option, no conversion, no escape of printf's own survives");
        assertEquals("caf\u00e9", ExactChild.printfEscaped("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                "a UTF-8 character stays itself");
        assertEquals("\\303A\\251", ExactChild.printfEscaped(new byte[] {(byte) 0xc3, 'A', (byte) 0xa9}, StandardCharsets.UTF_8),
                "a broken sequence is escaped byte by byte");
        assertEquals("caf\\303\\251", ExactChild.printfEscaped("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.US_ASCII),
                "under ASCII every byte above 0x7f is escaped");
        byte[] spaces = " ".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
        assertEquals(40_000, ExactChild.printfEscaped(spaces, StandardCharsets.UTF_8).length(), "a long word does not grow");
    }

    @Test
    void onlyWhatTheShellDropsOrSetsIsGivenAgain() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("HOME", "/h");
        wanted.put("-S/bin/sh -c x #", "");
        wanted.put("a.b", "1");
        wanted.put("PWD", "/w");
        wanted.put("_x1", "2");
        wanted.put("1x", "3");
        wanted.put("BASH_FUNC_printf%%", "() { echo other; }");
        wanted.put("SHELLOPTS", "noexec");
        assertEquals(List.of("-S/bin/sh -c x #", "a.b", "PWD", "1x", "BASH_FUNC_printf%%", "SHELLOPTS"), List.copyOf(ExactChild.givenAgain(wanted).keySet()),
                "a bash function is given by env alone: a bash /bin/sh would run it in place of printf");
        wanted.put("IFS", ":");
        assertEquals(List.of("PWD", "SHELLOPTS", "IFS"), List.copyOf(ExactChild.givenAgainPastBash(wanted).keySet()),
                "bash -p passes every other name on as it came: no value of the user's goes on a command line");
    }

    @Test
    void environmentEntriesRoarPassesOnKeepTheUsersBytes() {
        byte[] raw = {'V', '=', 'a', (byte) 0xe9, 'b'};
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("V", "a\uFFFDb");
        wanted.put("ROAR_JOB_INSTRUMENTED", "1");
        List<byte[]> entries = ExactChild.environment(wanted, List.of(raw), StandardCharsets.UTF_8);
        assertArrayEquals(raw, entries.get(0));
        assertArrayEquals("ROAR_JOB_INSTRUMENTED=1".getBytes(StandardCharsets.US_ASCII), entries.get(1));

        Map<String, String> inherited = new HashMap<>(Map.of("V", "a\uFFFDb", "ROAR_LAUNCHER_LC_ALL", "-", "LC_ALL", "C.UTF-8"));
        InheritedEnvironment.edit(inherited, wanted);
        assertEquals(wanted, inherited);
    }

    @Test
    void theShellRebuildsEveryWordThenEnvTakesNoEntryForAnOption() {
        List<String> command = ExactChild.throughShell(List.of("/bin/sh"), ExactChild.SCRIPT, "/usr/bin/env", List.of("--default-signal=QUIT", "-u", "PWD"),
                List.of("-S/bin/sh -c x #1=".getBytes(StandardCharsets.US_ASCII)), List.of("cat".getBytes(StandardCharsets.US_ASCII), LATIN1_NAME),
                StandardCharsets.UTF_8);
        assertEquals(List.of("/bin/sh", "-c", ExactChild.SCRIPT, "sh", "/usr/bin/env", "\\055-default-signal=QUIT", "\\055u", "PWD",
                "\\055-", "\\055S/bin/sh -c x #1=", "cat", "caf\\351.txt"), command);
    }
}
