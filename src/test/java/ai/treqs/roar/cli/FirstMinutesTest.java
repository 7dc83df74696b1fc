package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/**
 * What a new user meets in the first minutes (docs/host-commands.md, docs/configuration.md#exit-codes):
 * {@code init --path} into a directory that does not exist yet, {@code reset} that checks before it asks,
 * {@code --version} wherever it is listed, one telemetry paragraph, one layout for every usage error.
 */
class FirstMinutesTest {
    private static final String PARAGRAPH = "Telemetry payloads never include";

    @RegisterExtension final Install install = Install.recording();

    @Test
    void initMakesAMissingProjectDirectoryAndItsParentsAsGitInitDoes(InProcessCli launcher) {
        LaunchResult result = launcher.launch("init", "--path", "new/deep/project");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        Path project = install.work().resolve("new/deep/project");
        assertTrue(Files.isRegularFile(project.resolve(".roar/config.toml")));
        assertEquals(".roar/\n", Install.read(project.resolve(".gitignore")));
    }

    @Test
    void initFollowsALinkedProjectDirectoryButSaysWhenAFileIsInTheWay(InProcessCli launcher) throws Exception {
        Files.createDirectories(install.work().resolve("real"));
        Files.createSymbolicLink(install.work().resolve("linked"), install.work().resolve("real"));
        assertEquals(0, launcher.launch("init", "--path", "linked/project").exitCode());
        assertTrue(Files.isDirectory(install.work().resolve("real/project/.roar")));

        Files.writeString(install.work().resolve("plain-file"), "x");
        LaunchResult result = launcher.launch("init", "--path", "plain-file/project");

        assertEquals(1, result.exitCode());
        assertEquals(List.of("roar: init failed in " + install.work().resolve("plain-file/project") + ": "
                + install.work().resolve("plain-file") + " is not a directory; nothing was written"),
                Install.nonEmpty(result.getErrorStream()));
        assertEquals("x", Install.read(install.work().resolve("plain-file")));
    }

    @Test
    void resetWithoutAProjectSaysSoBeforeAskingOrDemandingYes(InProcessCli launcher) {
        LaunchResult noTerminal = launcher.launch("reset");

        assertEquals(1, noTerminal.exitCode());
        String expected = "roar: " + install.work() + " has no .roar/ directory (run roar init first)";
        assertEquals(List.of(expected), Install.nonEmpty(noTerminal.getErrorStream()));

        TestHost.setInteractive(true);
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("y\n".getBytes()));
        try {
            LaunchResult atATerminal = launcher.launch("reset");

            assertEquals(1, atATerminal.exitCode());
            assertFalse(atATerminal.getOutput().contains("[y/N]"), "nothing to ask about: " + atATerminal.getOutput());
            assertEquals(expected, Install.nonEmpty(atATerminal.getErrorStream()).get(0));
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void resetWithNothingToClearSaysSoWithoutAsking(InProcessCli launcher) {
        assertEquals(0, launcher.launch("init").exitCode());

        LaunchResult result = launcher.launch("reset");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("Nothing to clear in " + install.work().resolve(".roar") + " (config.toml is kept)", result.getOutput());
    }

    @Test
    void versionWorksWhereverHelpListsIt(InProcessCli launcher) {
        String version = launcher.launch("--version").getOutput();
        for (String[] command : new String[][] {{"init"}, {"reset"}, {"run"}, {"telemetry"}, {"telemetry", "status"}}) {
            assertTrue(launcher.launch(concat(command, "--help")).getOutput().contains("--version"), String.join(" ", command));

            LaunchResult result = launcher.launch(concat(command, "--version"));

            assertEquals(0, result.exitCode(), String.join(" ", command));
            assertEquals(version, result.getOutput(), String.join(" ", command));
        }
    }

    @Test
    void theFirstInitAtATerminalSaysItOnceInLinesOfAtMost80Columns(InProcessCli launcher) {
        TestHost.setInteractive(true);

        LaunchResult first = launcher.launch("init");

        assertEquals(0, first.exitCode(), first.getErrorOutput());
        assertTrue(first.getErrorOutput().contains("roar collects anonymous usage milestones"), first.getErrorOutput());
        assertFalse(first.getOutput().contains(PARAGRAPH), "the notice says it already: " + first.getOutput());

        LaunchResult again = launcher.launch("init");

        assertEquals("", again.getErrorOutput());
        assertTrue(again.getOutput().contains(PARAGRAPH), again.getOutput());
        again.getOutputStream().forEach(line -> assertTrue(line.length() <= 80, "at most 80 columns: " + line));
    }

    @Test
    void everyUsageErrorIsOneRoarLineThenWhereHelpIs(InProcessCli launcher) {
        for (String[] args : new String[][] {{"telemetry", "--print", "--json"}, {"telemetry", "--endpoint", "ftp://x"},
                {"telemetry", "endpoint", "not a url"}, {"telemetry", "stauts"}, {"init", "--path"}, {"bogus"}}) {
            LaunchResult result = launcher.launch(args);

            List<String> err = Install.nonEmpty(result.getErrorStream());
            assertEquals(2, result.exitCode(), String.join(" ", args));
            assertEquals(2, err.size(), String.join(" ", args) + ": " + err);
            assertTrue(err.get(0).matches("roar: [a-z-].*"), "one style, lower case after roar: " + err.get(0));
            assertTrue(err.get(1).matches("Try 'roar( [a-z]+)? --help' for more information\\."), err.get(1));
        }
    }

    @Test
    void aMistypedVerbGetsASuggestion(InProcessCli launcher) {
        LaunchResult result = launcher.launch("telemetry", "stauts");

        assertEquals("roar: unknown command 'stauts'. Did you mean: status?", Install.nonEmpty(result.getErrorStream()).get(0));
    }

    @Test
    void disableTwiceSaysTelemetryWasAlreadyOffAndThatNothingWasLeftToDelete(InProcessCli launcher) {
        assertEquals(0, launcher.launch("run", "--", "true").exitCode());
        assertEquals(0, launcher.launch("telemetry", "--disable").exitCode());

        LaunchResult again = launcher.launch("telemetry", "--disable");

        assertEquals(0, again.exitCode(), again.getErrorOutput());
        assertEquals(List.of("Telemetry was already disabled globally in " + install.global(),
                "There was no queued event and no install ID to delete."), again.getOutputStream());
    }

    @Test
    void historyColumnsAreAligned(InProcessCli launcher) {
        Install.write(install.ledger(), """
                {"sent_at":"2026-12-05T03:00:00Z","endpoint":"http://127.0.0.1:9/x","body":{"trigger":"first_seen_for_install_id","event_id":"a1"}}
                {"sent_at":"2026-12-05T03:00:01Z","endpoint":"http://127.0.0.1:9/x","body":{"trigger":"init","event_id":"b2"}}
                """);

        LaunchResult result = launcher.launch("telemetry", "--history");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(List.of("2026-12-05T03:00:01Z  init                       b2",
                "2026-12-05T03:00:00Z  first_seen_for_install_id  a1"), result.getOutputStream());
    }

    private static String[] concat(String[] command, String arg) {
        String[] args = Arrays.copyOf(command, command.length + 1);
        args[command.length] = arg;
        return args;
    }
}
