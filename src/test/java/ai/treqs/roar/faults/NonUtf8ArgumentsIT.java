package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * Arguments whose bytes are not UTF-8 (a Latin-1 {@code é}, as an archive made elsewhere unpacks): the JVM holds
 * them as text with U+FFFD, the name of another file. {@code --path} must never reach that other directory
 * (docs/host-commands.md#a-path-option-whose-name-is-not-text), and the command of {@code roar run} is started from
 * the user's bytes, as a shell starts it (docs/host-commands.md#the-child).
 */
class NonUtf8ArgumentsIT {
    /** The user's directory, {@code lat} and the Latin-1 byte of {@code é}, and the one Java's text of it names. */
    private static final String LATIN1 = "lat\\351";
    private static final String DECODED = "lat\\357\\277\\275";

    @TempDir Path root;

    @Test
    void aPathOptionThatIsNotUtf8IsAUsageErrorAndTouchesNoOtherDirectory() throws Exception {
        RoarProcess roar = Faults.install(root, "").env("DO_NOT_TRACK", "1");
        Path work = roar.workDir();
        sh(work, "mkdir -p \"$(printf '" + LATIN1 + "')/.roar\" \"$(printf '" + DECODED + "')/.roar/data\""
                + " && echo precious > \"$(printf '" + DECODED + "')/.roar/data/x\"");

        for (String form : List.of("--path \"$(printf '%s')\"", "\"--path=$(printf '%s')\"")) {
            List<String> withName = List.of("sh", "-c", "exec \"$@\" " + form.replace("%s", LATIN1), "sh");
            RoarProcess.Result reset = Faults.run(roar, withName, "reset", "--yes");
            assertEquals(2, reset.exitCode(), form + ": " + reset.stderr());
            assertEquals("roar: --path: the name's bytes are not valid UTF-8, so roar cannot name that directory; cd into it"
                    + " and leave out --path", reset.stderr().lines().findFirst().orElse(""));
            assertEquals(0, sh(work, "test -f \"$(printf '" + DECODED + "')/.roar/data/x\""), form + ": reset cleared the other directory");

            RoarProcess.Result init = Faults.run(roar, withName, "init");
            assertEquals(2, init.exitCode(), form + ": " + init.stderr());
            assertEquals(0, sh(work, "test ! -e \"$(printf '" + DECODED + "')/.gitignore\" && test ! -e \"$(printf '"
                    + DECODED + "')/.roar/config.toml\""), form + ": init wrote into the other directory");
        }

        // a name that really holds U+FFFD (its UTF-8 bytes) is that directory
        RoarProcess.Result real = Faults.run(roar, List.of("sh", "-c", "exec \"$@\" \"$(printf 'u\\357\\277\\275')\"", "sh"),
                "init", "--path");
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(0, sh(work, "test -f \"$(printf 'u\\357\\277\\275')/.roar/config.toml\""));
    }

    @Test
    void aCommandOrPathEntryThatIsNotUtf8IsRunAsTheShellRunsIt() throws Exception {
        RoarProcess roar = Faults.install(root, "").env("DO_NOT_TRACK", "1");
        Path work = roar.workDir();
        sh(work, "printf '#!/bin/sh\\necho script ran\\n' > \"$(printf 'caf\\351.sh')\" && chmod +x \"$(printf 'caf\\351.sh')\""
                + " && mkdir \"$(printf 'bin\\351')\" && printf '#!/bin/sh\\necho found on PATH\\n' > \"$(printf 'bin\\351')/hello-latin1\""
                + " && chmod +x \"$(printf 'bin\\351')/hello-latin1\"");

        RoarProcess.Result script = Faults.run(roar, List.of("sh", "-c", "exec \"$@\" \"./$(printf 'caf\\351.sh')\"", "sh"),
                "run", "--allow-dirty", "--");
        assertEquals(0, script.exitCode(), script.stderr());
        assertEquals("script ran\n", script.stdout());
        RoarProcess.Result missing = Faults.run(roar, List.of("sh", "-c", "exec \"$@\" \"./$(printf 'nop\\351.sh')\"", "sh"),
                "run", "--allow-dirty", "--");
        assertEquals(127, missing.exitCode(), missing.stderr());

        List<String> latin1Path = List.of("sh", "-c", "PATH=\"" + work + "/$(printf 'bin\\351'):$PATH\" exec \"$@\"", "sh");
        RoarProcess.Result onPath = Faults.run(roar, latin1Path, "run", "--allow-dirty", "--", "hello-latin1");
        assertEquals(0, onPath.exitCode(), onPath.stderr());
        assertEquals("found on PATH\n", onPath.stdout());
        RoarProcess.Result notOnPath = Faults.run(roar, latin1Path, "run", "--allow-dirty", "--", "no-such-command-here");
        assertEquals(127, notOnPath.exitCode(), notOnPath.stderr());
        assertTrue(notOnPath.stderr().contains("no-such-command-here"), notOnPath.stderr());
    }

    private static int sh(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
