package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.TestHost;

/**
 * When a recorded foreground command starts the detached uploader (docs/telemetry.md#when-the-uploader-starts): after queueing unless the
 * last attempt failed within the hour; for waiting events when the last attempt is over an hour old; at most
 * once per process. In-process, a start is recorded by TestHost instead of spawning anything.
 */
class UploaderStartPolicyTest {
    static final List<String> UPLOAD = List.of("upload");

    @RegisterExtension final Install install = Install.recording();

    @Test
    void aCommandThatQueuedThreeEventsStartsTheUploaderOnce(InProcessCli launcher) {
        launcher.launch("init");

        assertEquals(3, install.queued().size());
        assertEquals(List.of(UPLOAD), TestHost.launched());
    }

    @Test
    void queuedEventsDoNotStartItWhenTheLastAttemptFailedWithinTheHour(InProcessCli launcher) {
        lastAttempt(Duration.ofMinutes(10), true);

        launcher.launch("init");

        assertEquals(3, install.queued().size());
        assertEquals(List.of(), TestHost.launched());
    }

    @Test
    void queuedEventsStartItWhenTheLastAttemptSucceededRecently(InProcessCli launcher) {
        lastAttempt(Duration.ofMinutes(10), false);

        launcher.launch("init");

        assertEquals(List.of(UPLOAD), TestHost.launched());
    }

    @Test
    void queuedEventsStartItWhenTheLastFailureIsOverAnHourOld(InProcessCli launcher) {
        lastAttempt(Duration.ofMinutes(61), true);

        launcher.launch("init");

        assertEquals(List.of(UPLOAD), TestHost.launched());
    }

    @Test
    void waitingEventsStartItOnACommandThatQueuedNothingWhenTheLastAttemptIsOverAnHourOld(InProcessCli launcher) {
        launcher.launch("init");
        lastAttempt(Duration.ofHours(2), true);

        assertEquals(3, launcher.launch("run", "--", "sh", "-c", "exit 3").exitCode());

        assertEquals(3, install.queued().size(), "the failed run queued nothing");
        assertEquals(List.of(UPLOAD, UPLOAD), TestHost.launched());
    }

    @Test
    void waitingEventsStartItWhenThereWasNoAttemptYet(InProcessCli launcher) {
        launcher.launch("init");

        launcher.launch("run", "--", "false");

        assertEquals(3, install.queued().size());
        assertEquals(List.of(UPLOAD, UPLOAD), TestHost.launched());
    }

    @Test
    void waitingEventsDoNotStartItWhenTheLastAttemptIsRecent(InProcessCli launcher) {
        launcher.launch("init");
        lastAttempt(Duration.ofMinutes(5), false);
        launcher.launch("run", "--", "false");
        lastAttempt(Duration.ofMinutes(5), true);
        launcher.launch("run", "--", "false");

        assertEquals(List.of(UPLOAD), TestHost.launched(), "only init started it");
    }

    @Test
    void aCommandThatQueuedNothingWithAnEmptyQueueStartsNothing(InProcessCli launcher) {
        launcher.launch("init");
        install.queued().forEach(e -> install.queueDir().resolve(e.get("event_id") + ".json").toFile().delete());

        launcher.launch("run", "--", "false");

        assertEquals(List.of(UPLOAD), TestHost.launched());
    }

    @Test
    void noStartWhenUploadsAreOff(InProcessCli launcher) {
        launcher.launch("init");
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", "");
        launcher.launch("run", "--", "true");
        TestHost.put("DO_NOT_TRACK", "1");
        launcher.launch("run", "--", "true");

        assertEquals(List.of(UPLOAD), TestHost.launched());
        assertEquals(3, install.queued().size(), "an empty endpoint keeps stats but queues nothing");
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "init"), install.queuedTriggers());
    }

    @Test
    void telemetryCommandsNeverStartIt(InProcessCli launcher) {
        launcher.launch("init");
        lastAttempt(Duration.ofHours(3), true);

        for (String[] args : new String[][] {{"telemetry", "--status"}, {"telemetry", "--print"},
                {"telemetry", "--history"}, {"--version"}, {"--help"}}) {
            launcher.launch(args);
        }

        assertEquals(List.of(UPLOAD), TestHost.launched());
    }

    private void lastAttempt(Duration ago, boolean failed) {
        Instant at = Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS);
        Install.write(install.lastAttempt(), "{\"at\":\"" + at + "\",\"failed\":" + failed + ",\"outcome\":\"x\"}");
    }
}
