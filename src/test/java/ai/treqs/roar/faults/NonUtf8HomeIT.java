package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * A {@code HOME} whose name is not UTF-8 (a Latin-1 {@code é}). Java decodes it as {@code h\uFFFD}, the name of
 * another directory (bytes {@code h\xef\xbf\xbd}): roar created that directory and kept its telemetry there. Such
 * a value is unusable like a relative one (docs/host-commands.md#what-roar-reads-of-home): {@code no_home}, nothing
 * written anywhere, and the child of {@code roar run} still gets HOME byte for byte.
 */
class NonUtf8HomeIT {
    /** Runs {@code roar args...} with HOME set to ROOT/h and the Latin-1 byte of é, made by the shell. */
    private static final String LATIN1_HOME = "HOME=\"$R/$(printf 'h\\351')\" exec \"$@\"";

    @TempDir Path root;

    @Test
    void aHomeThatIsNotUtf8IsNoHomeAndNothingIsWrittenElsewhere() throws Exception {
        RoarProcess roar = Faults.install(root, "").without("XDG_CONFIG_HOME").without("XDG_CACHE_HOME")
                .env("R", root.toString());
        assertEquals(0, sh("mkdir \"$(printf 'h\\351')\""));

        RoarProcess.Result run = inLatin1Home(roar, "run", "--allow-dirty", "--", "sh", "-c", "printf %s \"$HOME\" | od -An -tx1 | tr -d ' \\n'");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().endsWith("2f68e9"), "the child's HOME, byte for byte: " + run.stdout());

        RoarProcess.Result status = inLatin1Home(roar, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("Telemetry: disabled\n"), status.stdout());
        assertTrue(status.stdout().contains("Disabled reason: no_home (HOME is not valid UTF-8, XDG_CONFIG_HOME is not set, XDG_CACHE_HOME is not set: "), status.stdout());
        RoarProcess.Result enable = inLatin1Home(roar, "telemetry", "--enable");
        assertEquals(1, enable.exitCode(), enable.stdout());

        assertEquals(1, sh("test -e \"$(printf 'h\\357\\277\\275')\""), "roar made the directory its text of HOME names");
        assertEquals(0, sh("test -z \"$(ls -A \"$(printf 'h\\351')\")\""), "roar wrote into HOME although it cannot name it");
        Results.row("HOME whose bytes are not UTF-8 (Latin-1 é)", 3, "no_home: nothing written, the child gets HOME as set", 0, 0);
    }

    /** With no home, {@code --status} and the edits say why in words; no path a missing home points to is shown. */
    @Test
    void withNoHomeEveryLineSaysWhyInsteadOfAPathThatDoesNotExist() throws Exception {
        RoarProcess roar = Faults.install(root, "").without("XDG_CONFIG_HOME").without("XDG_CACHE_HOME").env("HOME", ".");
        String why = "HOME is a relative path, XDG_CONFIG_HOME is not set, XDG_CACHE_HOME is not set";

        RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("Disabled reason: no_home (" + why + ": roar keeps no files of yours)\n"), status.stdout());
        assertTrue(status.stdout().contains("Global config: (none: " + why + ")\n"), status.stdout());
        RoarProcess.Result json = Faults.run(roar, "telemetry", "--status", "--json");
        assertEquals(0, json.exitCode(), json.stderr());
        assertTrue(json.stdout().contains("\"global_config\":null"), json.stdout());
        assertTrue(json.stdout().contains("\"global_config_exists\":false"), json.stdout());
        RoarProcess.Result enable = Faults.run(roar, "telemetry", "--enable");
        assertEquals(1, enable.exitCode(), enable.stdout());
        assertTrue(enable.stderr().startsWith("roar: cannot save the setting: " + why + ", so roar keeps no files of yours"), enable.stderr());
        RoarProcess.Result disable = Faults.run(roar, "telemetry", "--disable");
        assertEquals(1, disable.exitCode(), disable.stdout());
        assertTrue(disable.stderr().contains("DO_NOT_TRACK=1"), disable.stderr());
        for (RoarProcess.Result shown : List.of(status, json, enable, disable)) {
            assertFalse((shown.stdout() + shown.stderr()).contains("/nonexistent"), shown.stdout() + shown.stderr());
        }
    }

    private RoarProcess.Result inLatin1Home(RoarProcess roar, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("sh", "-c", LATIN1_HOME, "sh"));
        line.addAll(roar.builder(args).command());
        return Faults.finish(roar.builder().command(line), String.join(" ", args));
    }

    private int sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(root.toFile()).inheritIO().start();
        return p.waitFor();
    }
}
