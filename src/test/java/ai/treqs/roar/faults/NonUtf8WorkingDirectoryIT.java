package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * A working directory whose name is not UTF-8 (a Latin-1 {@code é}, as an archive made elsewhere unpacks it). The
 * JVM decodes the working directory as text, so the name becomes {@code lat\uFFFD}, another directory: {@code roar
 * run} cannot start any command there (or starts it in that other directory when it exists), and {@code roar
 * init} creates that other directory and writes {@code .roar/} and {@code .gitignore} into it
 * (docs/host-commands.md#what-the-child-gets promises the child the user's bytes).
 */
class NonUtf8WorkingDirectoryIT {
    /** {@code printf} format of the directory's name: {@code lat} and the Latin-1 byte of {@code é}. */
    private static final String NAME = "lat\\351";

    @TempDir Path root;

    @Test
    void runStartsTheCommandInTheUsersOwnDirectoryAndInitWritesNowhereElse() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        if (!RoarProcess.isNative()) {
            roar.launcher(RoarProcess.launcherScript()).env("ROAR_NO_JVM_CACHE", "1"); // as a user starts roar
        }
        Path parent = roar.workDir();
        assertEquals(0, sh(parent, "mkdir \"$(printf '" + NAME + "')\""));
        List<String> inDirectory = List.of("sh", "-c", "cd \"$(printf '" + NAME + "')\" && exec \"$@\"", "sh");

        RoarProcess.Result run = Faults.run(roar, inDirectory, "run", "--allow-dirty", "--", "touch", "job-ran-here");
        assertEquals(0, run.exitCode(), "the job could not start: " + run.stderr());
        assertEquals(0, sh(parent, "test -e \"$(printf '" + NAME + "')/job-ran-here\""), "the job ran in another directory");

        RoarProcess.Result init = Faults.run(roar, inDirectory, "init");
        assertEquals(0, init.exitCode(), init.stderr());
        try (Stream<Path> entries = Files.list(parent)) {
            assertEquals(1, entries.count(), "roar init made a directory beside the user's: " + init.stdout());
        }
        assertEquals(0, sh(parent, "test -f \"$(printf '" + NAME + "')/.roar/config.toml\""), "no .roar/ in the user's directory");
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
