package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.TestFiles;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/**
 * docs/architecture.md#the-fail-quiet-boundary: whatever breaks in telemetry's files, the user's command behaves and exits exactly as it
 * would with telemetry off (here: the same command under DO_NOT_TRACK=1), and no stack trace shows.
 */
class FailQuietTest {

    @RegisterExtension final Install install = Install.recording();

    @Test
    void cacheHomeUnderARegularFile(InProcessCli launcher) throws Exception {
        Path blocker = Files.writeString(install.root.resolve("blocker"), "x");
        TestHost.put("XDG_CACHE_HOME", blocker.resolve("cache").toString());

        assertCommandsBehaveAsWithTelemetryOff(launcher);
    }

    @Test
    void statsFileIsADirectory(InProcessCli launcher) throws Exception {
        Files.createDirectories(install.stats().resolve("inner"));

        assertCommandsBehaveAsWithTelemetryOff(launcher);
    }

    @Test
    void statsLockIsADirectory(InProcessCli launcher) throws Exception {
        Files.createDirectories(install.telemetryDir().resolve("stats.lock/inner"));

        assertCommandsBehaveAsWithTelemetryOff(launcher);
    }

    @Test
    void queueDirectoryIsARegularFile(InProcessCli launcher) throws Exception {
        Files.createDirectories(install.telemetryDir());
        Files.writeString(install.queueDir(), "not a directory");

        assertCommandsBehaveAsWithTelemetryOff(launcher);
    }

    @Test
    void garbageStatsAndLastAttempt(InProcessCli launcher) throws Exception {
        Files.createDirectories(install.telemetryDir());
        Files.write(install.stats(), new byte[] {'{', (byte) 0xff, 0, '"'});
        Files.writeString(install.lastAttempt(), "[[[");

        assertCommandsBehaveAsWithTelemetryOff(launcher);
        assertEquals(Install.projectVersion(),
                Install.map(install.statsJson(), "version_milestones").keySet().iterator().next(),
                "a fresh stats file replaced the corrupt one");
    }

    @Test
    void configHomeUnderARegularFileOnATerminal(InProcessCli launcher) throws Exception {
        Path blocker = Files.writeString(install.root.resolve("blocker"), "x");
        TestHost.put("XDG_CONFIG_HOME", blocker.resolve("config").toString());

        // the disclosure's sentinel cannot be written: no notice then (it would repeat on every command)
        TestHost.setInteractive(true);

        assertCommandsBehaveAsWithTelemetryOff(launcher);
    }

    @Test
    void corruptGlobalConfigTurnsTelemetryOffWithOneWarning(InProcessCli launcher) throws Exception {
        install.writeGlobal("[telemetry]\nenabled = \"no\"\n");

        for (String[] args : commands()) {
            LaunchResult corrupt = launch(launcher, args);
            LaunchResult off = launchWithTelemetryOff(launcher, args);
            assertEquals(off.exitCode(), corrupt.exitCode(), String.join(" ", args));
            assertEquals(off.getOutput(), corrupt.getOutput(), String.join(" ", args));
            // the command's own messages, plus exactly one warning naming the file
            List<String> err = new ArrayList<>(Install.nonEmpty(corrupt.getErrorStream()));
            List<String> warnings = err.stream().filter(l -> l.startsWith("roar: warning: ")).toList();
            assertEquals(1, warnings.size(), corrupt.getErrorOutput());
            assertTrue(warnings.get(0).startsWith("roar: warning: " + install.global()), warnings.get(0));
            err.removeAll(warnings);
            assertEquals(Install.nonEmpty(off.getErrorStream()), err);
            Install.assertNoStackTrace(corrupt);
        }
        assertTrue(Files.notExists(install.stats()), "fails closed: nothing recorded");
    }

    @Test
    void corruptProjectConfigDoesNotBreakInit(InProcessCli launcher) throws Exception {
        Path project = install.work().resolve("p");
        Install.write(project.resolve(".roar/config.toml"), "[telemetry\n");
        TestHost.setCwd(project);

        LaunchResult result = launcher.launch("init");

        assertEquals(0, result.exitCode());
        assertTrue(result.getOutput().startsWith("Kept existing " + project.resolve(".roar/config.toml")), result.getOutput());
        Install.assertOneErrorLine(result);
        Install.assertNoStackTrace(result);
        assertTrue(Files.notExists(install.stats()));
    }

    private void assertCommandsBehaveAsWithTelemetryOff(InProcessCli launcher) throws IOException {
        for (String[] args : commands()) {
            LaunchResult faulty = launch(launcher, args);
            LaunchResult off = launchWithTelemetryOff(launcher, args);
            assertEquals(off.exitCode(), faulty.exitCode(), String.join(" ", args));
            assertEquals(off.getOutput(), faulty.getOutput(), String.join(" ", args));
            assertEquals(off.getErrorOutput(), faulty.getErrorOutput(), String.join(" ", args));
            Install.assertNoStackTrace(faulty);
        }
    }

    private static String[][] commands() {
        return new String[][] {{"init"}, {"run", "--", "true"}, {"run", "--", "sh", "-c", "exit 3"},
            {"run", "--", "no-such-command-roar-test"}};
    }

    /** Runs a command in a fresh project directory (so init says "Created" both times). */
    private LaunchResult launch(InProcessCli launcher, String[] args) throws IOException {
        TestFiles.deleteTree(install.work().resolve(".roar"));
        Files.deleteIfExists(install.work().resolve(".gitignore"));
        return launcher.launch(args);
    }

    private LaunchResult launchWithTelemetryOff(InProcessCli launcher, String[] args) throws IOException {
        TestHost.put("DO_NOT_TRACK", "1");
        try {
            return launch(launcher, args);
        } finally {
            TestHost.remove("DO_NOT_TRACK");
        }
    }
}
