package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/** The one-time notice on an interactive terminal (docs/telemetry.md#first-run-notice). */
class DisclosureTest {
    static final List<List<String>> UPLOAD = List.of(List.of("upload"));

    @RegisterExtension final Install install = Install.recording();

    @Test
    void firstRecordedCommandOnATerminalShowsTheNoticeQueuesButSendsNothing(InProcessCli launcher) {
        TestHost.setInteractive(true);

        LaunchResult result = launcher.launch("init");

        assertEquals(0, result.exitCode());
        List<String> notice = Install.nonEmpty(result.getErrorStream());
        assertEquals(5, notice.size(), result.getErrorOutput());
        assertTrue(result.getErrorOutput().startsWith("\n"), "after a blank line: " + result.getErrorOutput());
        notice.forEach(line -> assertTrue(line.length() <= 80, "at most 80 columns: " + line));
        String text = String.join("\n", notice);
        for (String mention : List.of("roar telemetry --disable", "DO_NOT_TRACK=1", "roar telemetry --status",
                "roar telemetry --help", "roar telemetry --print")) {
            assertTrue(text.contains(mention), mention + " in " + text);
        }
        assertTrue(Files.exists(install.sentinel()));
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "init"), install.queuedTriggers());
        assertEquals(List.of(), TestHost.launched(), "nothing leaves the machine on the run that shows the notice");
    }

    @Test
    void secondCommandShowsNoNoticeAndStartsTheUploader(InProcessCli launcher) {
        TestHost.setInteractive(true);
        launcher.launch("init");

        LaunchResult second = launcher.launch("run", "--", "true");

        assertEquals(0, second.exitCode());
        assertEquals("", second.getErrorOutput());
        assertEquals(UPLOAD, TestHost.launched());
    }

    @Test
    void disableRightAfterTheNoticeLeavesNothingToSend(InProcessCli launcher) {
        TestHost.setInteractive(true);
        launcher.launch("init");

        assertEquals(0, launcher.launch("telemetry", "--disable").exitCode());

        assertEquals(List.of(), install.queued());
        assertEquals(List.of(), TestHost.launched());
        assertFalse(Files.exists(install.stats()));
    }

    @Test
    void nonInteractiveCommandsNeverShowTheNotice(InProcessCli launcher) {
        LaunchResult first = launcher.launch("init");
        LaunchResult second = launcher.launch("run", "--", "true");

        assertEquals("", first.getErrorOutput());
        assertEquals("", second.getErrorOutput());
        assertFalse(Files.exists(install.sentinel()));
        assertFalse(Files.exists(install.configDir()), "no config dir made just for a sentinel");
        assertEquals(List.of(List.of("upload"), List.of("upload")), TestHost.launched(), "each queued, each started");
    }

    @Test
    void noNoticeWhenTelemetryIsOff(InProcessCli launcher) {
        TestHost.setInteractive(true);
        TestHost.put("DO_NOT_TRACK", "1");

        LaunchResult result = launcher.launch("init");

        assertEquals(0, result.exitCode());
        assertEquals("", result.getErrorOutput());
        assertFalse(Files.exists(install.sentinel()));
    }

    @Test
    void noNoticeWhenDisabledGlobally(InProcessCli launcher) {
        TestHost.setInteractive(true);
        install.writeGlobal("[telemetry]\nenabled = false\n");

        LaunchResult result = launcher.launch("run", "--", "true");

        assertEquals("", result.getErrorOutput());
        assertFalse(Files.exists(install.sentinel()));
    }

    @Test
    void telemetryCommandsShowNoNotice(InProcessCli launcher) {
        TestHost.setInteractive(true);

        for (String[] args : new String[][] {{"telemetry", "--status"}, {"telemetry", "--print"}, {"--version"}}) {
            assertEquals("", launcher.launch(args).getErrorOutput(), String.join(" ", args));
        }
        assertFalse(Files.exists(install.sentinel()));
    }

    @Test
    void anExistingSentinelMeansNoNotice(InProcessCli launcher) {
        TestHost.setInteractive(true);
        Install.write(install.sentinel(), "");

        LaunchResult result = launcher.launch("init");

        assertEquals("", result.getErrorOutput());
        assertEquals(UPLOAD, TestHost.launched());
    }
}
