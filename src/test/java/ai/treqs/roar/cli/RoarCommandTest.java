package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.main.LaunchResult;

/** The top command: {@code roar --version}, {@code roar --help}, usage errors (docs/configuration.md#exit-codes). */
class RoarCommandTest {

    @RegisterExtension final Install install = Install.recording();

    @Test
    void versionPrintsTheProjectVersion(InProcessCli launcher) {
        LaunchResult result = launcher.launch("--version");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("roar " + Install.projectVersion() + "\nJava " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")", result.getOutput());
        assertEquals("", result.getErrorOutput());
    }

    @Test
    void helpListsTheCommandsButNotTheInternalUploader(InProcessCli launcher) {
        LaunchResult result = launcher.launch("--help");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> lines = result.getOutputStream();
        for (String command : List.of("init", "reset", "run", "telemetry")) {
            assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith(command + " ")), command + " in " + result.getOutput());
        }
        assertFalse(result.getOutput().contains("__upload"), result.getOutput());
    }

    /** The list comes from {@code ExitCode}: every code roar chooses, and the row for the command's own codes. */
    @Test
    void helpEndsWithTheDocumentedExitCodes(InProcessCli launcher) {
        LaunchResult result = launcher.launch("--help");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().contains("""

                Exit codes:
                  0       success
                  1       failure
                  2       usage error
                  125     roar run refused: dirty git tree or tracer mode not available
                  126     roar run: the command is not executable
                  127     roar run: the command was not found
                  other   roar run: the command's own exit code (128+N: signal N)
                """), result.getOutput());
        assertTrue(result.getOutput().contains("See 'roar help COMMAND'"), result.getOutput());
    }

    @Test
    void unknownCommandIsAUsageErrorWithAHint(InProcessCli launcher) {
        LaunchResult result = launcher.launch("frobnicate");

        assertEquals(2, result.exitCode());
        List<String> err = Install.nonEmpty(result.getErrorStream());
        assertEquals(2, err.size(), result.getErrorOutput());
        assertTrue(err.get(0).startsWith("roar: "), err.get(0));
        assertEquals("Try 'roar --help' for more information.", err.get(1));
    }

    @Test
    void unknownOptionOfASubcommandIsAUsageErrorThatRecordsNothing(InProcessCli launcher) {
        LaunchResult result = launcher.launch("init", "--bogus");

        assertEquals(2, result.exitCode());
        assertEquals("Try 'roar init --help' for more information.", Install.nonEmpty(result.getErrorStream()).get(1));
        assertFalse(install.root.resolve("cache").toFile().exists());
    }
}
