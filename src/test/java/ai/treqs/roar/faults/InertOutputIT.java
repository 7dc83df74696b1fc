package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Terminal output is inert (docs/security.md#terminal-output): escape sequences planted in last-attempt,
 * the ledger, a directory name, a config directory, an endpoint (file and environment) and an argument
 * never reach stdout or stderr raw. The terminal would run them: ESC ]52 writes the clipboard, ESC [2J
 * clears the screen, ESC ]0 sets the window title; C1 CSI (U+009B) and DEL are controls too.
 */
@ExtendWith(AwaitUploaders.class)
class InertOutputIT {
    private static final String CLIPBOARD = "\u001b]52;c;ZXZpbA==\u0007";
    private static final String CLEAR = "\u001b[2J";
    private static final String TITLE = "\u001b]0;owned\u0007";
    private static final String PLANTED = CLIPBOARD + CLEAR + TITLE + "\u009b31m\u007f";
    /** Any control character but the newlines between lines. */
    private static final Pattern RAW_CONTROL = Pattern.compile("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]");

    @TempDir Path root;

    @Test
    void escapeSequencesFromFilesPathsEndpointsAndArgumentsReachTheTerminalEscaped() throws Exception {
        Path config = root.resolve("config " + TITLE);
        Path work = root.resolve("work " + CLEAR + TITLE);
        Files.createDirectories(work);
        RoarProcess roar = new RoarProcess(root).cwd(work).env("XDG_CONFIG_HOME", config.toString());
        Path cache = roar.cache();
        Files.createDirectories(cache);
        Files.createDirectories(config.resolve("roar"));
        Files.writeString(config.resolve("roar/global.toml"),
                "[telemetry]\nendpoint = \"http://127.0.0.1:9/t\\u001b]52;c;ZXZpbA==\\u0007\"\n");
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Files.writeString(cache.resolve("last-attempt"), "{\"at\":\"" + now + "\",\"failed\":true,\"outcome\":\""
                + json(PLANTED + "\nLast upload: forged") + "\"}\n");
        Files.writeString(cache.resolve("sent.jsonl"),
                "{\"body\":{\"event_id\":\"" + json(CLEAR) + "\",\"trigger\":\"" + json(TITLE) + "\"},\"endpoint\":\"http://127.0.0.1:9/t\","
                        + "\"sent_at\":\"" + now + "\"}\n"
                        + "{\"sent_at\":\"" + now + "\",\"raw\":\"" + CLIPBOARD + "\"}\n"); // raw ESC: not JSON, shown by --history --json

        List<RoarProcess.Result> results = new ArrayList<>();
        RoarProcess.Result status = roar.run("telemetry", "--status");
        results.add(status);
        assertTrue(status.stdout().contains("\nLast upload: " + now + " failed: \\x1b]52;c;ZXZpbA==\\x07\\x1b[2J"
                + "\\x1b]0;owned\\x07\\x9b31m\\x7f\\x0aLast upload: forged\n"), status.stdout());
        assertTrue(status.stdout().contains("\nGlobal config: " + root + "/config \\x1b]0;owned\\x07/roar/global.toml\n"), status.stdout());
        assertTrue(status.stdout().contains("\nEndpoint: http://127.0.0.1:9/t\\x1b]52;c;ZXZpbA==\\x07 (global)\n"), status.stdout());
        assertTrue(status.stderr().startsWith("roar: warning: " + root + "/config \\x1b]0;owned\\x07/roar/global.toml: "), status.stderr());
        results.add(roar.run("telemetry", "--status", "--json"));
        RoarProcess.Result history = roar.run("telemetry", "--history");
        results.add(history);
        assertEquals(now + "  \\x1b]0;owned\\x07  \\x1b[2J\n", history.stdout());
        RoarProcess.Result historyJson = roar.run("telemetry", "--history", "--json");
        results.add(historyJson);
        assertTrue(historyJson.stdout().contains("\"raw\":\"\\x1b]52;c;ZXZpbA==\\x07\"}"), historyJson.stdout());

        roar.env("DO_NOT_TRACK", "1");
        RoarProcess.Result init = roar.run("init");
        results.add(init);
        assertTrue(init.stdout().startsWith("Created " + root + "/work \\x1b[2J\\x1b]0;owned\\x07/.roar/config.toml\n"), init.stdout());
        results.add(roar.run("run", "--", "no-such-command" + TITLE));
        results.add(roar.run("--no-such-option" + CLEAR));
        roar.without("DO_NOT_TRACK").env("ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/" + CLIPBOARD);
        results.add(roar.run("telemetry", "--status"));

        for (RoarProcess.Result result : results) {
            assertFalse(RAW_CONTROL.matcher(result.stdout()).find(), "raw control character on stdout:\n" + result.stdout());
            assertFalse(RAW_CONTROL.matcher(result.stderr()).find(), "raw control character on stderr:\n" + result.stderr());
        }
    }

    /** {@code s} as the inside of a JSON string: controls as JSON escapes, so the planted file is valid JSON. */
    private static String json(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
