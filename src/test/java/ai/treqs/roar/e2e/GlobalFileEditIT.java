package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/configuration.md#keys and docs/security.md, editing {@code global.toml}: an edit is checked by the reader that will read it,
 * {@code --disable} always works, a symlinked file (dotfile managers) is edited where it points when that
 * file is the user's, {@code --enable} says what still keeps telemetry off, and {@code --flush} in a project
 * that opted out sends nothing.
 */
@ExtendWith(AwaitUploaders.class)
class GlobalFileEditIT {
    private static final String PATH = "/api/v1/telemetry/roar";

    @TempDir Path root;
    private RoarProcess roar;

    @BeforeEach
    void install() throws Exception {
        roar = new RoarProcess(root);
        Files.createDirectories(roar.globalConfig().getParent());
    }

    @Test
    void anEnableThatWouldNotMeanWhatWasAskedChangesNothing() throws Exception {
        String typed = "[telemetry]\nenabled = false\nendpoint = 1\n";
        Files.writeString(roar.globalConfig(), typed);
        RoarProcess.Result mistyped = roar.run("telemetry", "--enable");
        assertEquals(1, mistyped.exitCode(), mistyped.stdout());
        assertEquals("", mistyped.stdout());
        assertTrue(mistyped.stderr().contains("'telemetry.endpoint' must be a string") && mistyped.stderr().contains("nothing changed"),
                mistyped.stderr());
        assertEquals(typed, Files.readString(roar.globalConfig()));

        String big = "[telemetry]\nenabled = false\n" + "# padding\n".repeat(7000);
        Files.writeString(roar.globalConfig(), big);
        RoarProcess.Result large = roar.run("telemetry", "--enable");
        assertEquals(1, large.exitCode(), large.stdout());
        assertTrue(large.stderr().contains("larger than 64 KiB"), large.stderr());
        assertEquals(big, Files.readString(roar.globalConfig()));
        RoarProcess.Result endpoint = roar.run("telemetry", "--endpoint", "http://127.0.0.1:9/t");
        assertEquals(1, endpoint.exitCode(), endpoint.stdout());
        assertEquals(big, Files.readString(roar.globalConfig()));
    }

    @Test
    void disableClearsADirectoryOrALoopOutOfTheWay() throws Exception {
        for (String obstacle : List.of("directory", "loop")) {
            QueueSeeds.queueThreeByInit(roar);
            if (obstacle.equals("directory")) {
                Files.createDirectories(roar.globalConfig().resolve("inside"));
            } else {
                Files.createSymbolicLink(roar.globalConfig(), roar.globalConfig().getFileName());
            }
            RoarProcess.Result disable = roar.run("telemetry", "--disable");
            assertEquals(0, disable.exitCode(), obstacle + ": " + disable.stderr());
            assertTrue(disable.stdout().contains("was moved to " + roar.globalConfig() + ".invalid-"), disable.stdout());
            assertEquals("[telemetry]\nenabled = false\n", Files.readString(roar.globalConfig()));
            assertFalse(Files.exists(roar.stats()), obstacle);
            assertEquals(List.of(), QueueSeeds.queued(roar), obstacle);
            RoarProcess.Result status = roar.run("telemetry", "--status");
            assertTrue(status.stdout().contains("\nDisabled reason: global_disabled ("), status.stdout());
            try (Stream<Path> aside = Files.list(roar.globalConfig().getParent())) {
                assertTrue(aside.anyMatch(p -> p.getFileName().toString().startsWith("global.toml.invalid-")));
            }
            Files.delete(roar.globalConfig());
            try (Stream<Path> aside = Files.list(roar.globalConfig().getParent())) {
                for (Path p : aside.toList()) {
                    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(p.resolve("inside"));
                    }
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void disableThatCannotWriteStillForgetsTheInstall() throws Exception {
        QueueSeeds.queueThreeByInit(roar);
        Path notADirectory = root.resolve("config-file");
        Files.writeString(notADirectory, "");
        roar.env("XDG_CONFIG_HOME", notADirectory.toString());
        RoarProcess.Result disable = roar.run("telemetry", "--disable");
        assertEquals(1, disable.exitCode(), disable.stdout());
        assertTrue(disable.stderr().startsWith("roar: cannot write " + notADirectory.resolve("roar/global.toml") + ": "),
                disable.stderr());
        assertFalse(Files.exists(roar.stats()), "the install id is gone");
        assertEquals(List.of(), QueueSeeds.queued(roar));
    }

    @Test
    void aSymlinkedGlobalFileIsEditedWhereItPointsWhenItIsTheUsers() throws Exception {
        Path dotfile = root.resolve("dotfiles/roar.toml");
        Files.createDirectories(dotfile.getParent());
        Files.writeString(dotfile, "# kept in git\n[telemetry]\nenabled = true\n");
        Files.createSymbolicLink(roar.globalConfig(), dotfile);

        RoarProcess.Result disable = roar.run("telemetry", "--disable");
        assertEquals(0, disable.exitCode(), disable.stderr());
        assertTrue(Files.isSymbolicLink(roar.globalConfig()), "the link is kept");
        assertEquals("# kept in git\n[telemetry]\nenabled = false\n", Files.readString(dotfile));
        RoarProcess.Result enable = roar.run("telemetry", "--enable");
        assertEquals(0, enable.exitCode(), enable.stderr());
        assertTrue(Files.isSymbolicLink(roar.globalConfig()));
        assertEquals("# kept in git\n[telemetry]\nenabled = true\n", Files.readString(dotfile));

        // a link to another user's file: refused, nothing written anywhere
        Files.setAttribute(dotfile, "unix:uid", 65534);
        RoarProcess.Result foreign = roar.run("telemetry", "--endpoint", "http://127.0.0.1:9/t");
        assertEquals(1, foreign.exitCode(), foreign.stdout());
        assertTrue(foreign.stderr().contains("which belongs to another user") && foreign.stderr().contains(dotfile.toString()),
                foreign.stderr());
        assertEquals("# kept in git\n[telemetry]\nenabled = true\n", Files.readString(dotfile));
        assertTrue(Files.isSymbolicLink(roar.globalConfig()));
    }

    @Test
    void enableSaysWhatStillKeepsTelemetryOffHere() throws Exception {
        roar.env("DO_NOT_TRACK", "1");
        RoarProcess.Result enable = roar.run("telemetry", "--enable");
        assertEquals(0, enable.exitCode(), enable.stderr());
        assertEquals("Telemetry enabled globally in " + roar.globalConfig() + "\n"
                + "Telemetry is still off here: DO_NOT_TRACK=1 is set.\n", enable.stdout());
        assertTrue(Files.readString(roar.globalConfig()).contains("enabled = true"));

        roar.without("DO_NOT_TRACK");
        Path project = roar.workDir().resolve(".roar/config.toml");
        Files.createDirectories(project.getParent());
        Files.writeString(project, "[telemetry]\nenabled = false\n");
        RoarProcess.Result inProject = roar.run("telemetry", "--enable");
        assertEquals("Telemetry enabled globally in " + roar.globalConfig() + "\n"
                + "Telemetry is still off here: enabled = false in " + project + ".\n", inProject.stdout());
    }

    @Test
    void flushInsideAProjectThatOptedOutSendsNothing() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            roar.env("ROAR_TELEMETRY_ENDPOINT", collector.url(PATH));
            QueueSeeds.queueThreeByInit(roar);
            for (String setting : List.of("enabled = false", "endpoint = \"\"")) {
                Path project = root.resolve("optout/.roar/config.toml");
                Files.createDirectories(project.getParent());
                Files.writeString(project, "[telemetry]\n" + setting + "\n");
                RoarProcess.Result flush = roar.cwd(project.getParent().getParent()).run("telemetry", "--flush");
                assertEquals(0, flush.exitCode(), flush.stderr());
                assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3 (stopped: "), setting + ": " + flush.stdout());
                assertEquals(0, collector.requests().size(), setting);
            }
            // from a directory without a project file the same queue goes out (a loaded machine may need a retry)
            assertEquals(3, QueueSeeds.flushUntilDelivered(roar.cwd(root.resolve("work"))).uploaded());
        }
    }

    /**
     * A global.toml that links into another user's file cannot say "off" (roar never writes through such a
     * link): --disable still deletes everything queued or identifying, says the setting was not saved and
     * how to keep telemetry off anyway, and exits 1.
     */
    @Test
    void aDisableThatCannotSaveTheSettingStillStopsSendingAndSaysHowToKeepItOff() throws Exception {
        roar.env("ROAR_TELEMETRY_ENDPOINT", E2e.refusingUrl());
        Path foreign = root.resolve("other-user/roar.toml");
        Files.createDirectories(foreign.getParent());
        String theirs = "[telemetry]\nenabled = true\n";
        Files.writeString(foreign, theirs);
        Files.setAttribute(foreign, "unix:uid", 65534);
        // queued first: a global.toml that links into a directory of another user's reads as invalid (fails closed)
        QueueSeeds.queueThreeByInit(roar);
        Files.createSymbolicLink(roar.globalConfig(), foreign);
        Path ledger = roar.cache().resolve("sent.jsonl");
        Files.writeString(ledger, "{\"body\":{\"event_id\":\"e1\",\"trigger\":\"init\"},\"endpoint\":\"http://127.0.0.1:9/t\","
                + "\"sent_at\":\"" + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}\n");

        RoarProcess.Result disable = roar.run("telemetry", "--disable");
        assertEquals(1, disable.exitCode(), disable.stdout() + disable.stderr());
        assertEquals(List.of(), QueueSeeds.queued(roar), "nothing queued is left to send");
        assertFalse(Files.exists(roar.stats()), "the install id is gone");
        assertFalse(Files.exists(roar.cache().resolve("last-attempt")));
        assertTrue(Files.readString(ledger).startsWith("{\"disabled_at\":") && Files.readString(ledger).lines().count() == 1,
                "the ledger is its anonymous summary line");
        assertEquals("Deleted 3 queued events, the install ID and the upload history.\n", disable.stdout());
        assertEquals("roar: cannot write " + roar.globalConfig() + ": it is a symbolic link to " + foreign.toRealPath()
                + ", which belongs to another user; telemetry is not switched off in that file\n"
                + "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1 in your environment"
                + " (e.g. export DO_NOT_TRACK=1 in your shell profile)\n", disable.stderr());
        assertEquals(theirs, Files.readString(foreign), "the other user's file is untouched");
        assertTrue(Files.isSymbolicLink(roar.globalConfig()));

        // what the message says works: with DO_NOT_TRACK=1 nothing is recorded again
        roar.env("DO_NOT_TRACK", "1");
        assertEquals(0, roar.run("run", "--", "true").exitCode());
        assertFalse(Files.exists(roar.stats()));
        assertEquals(List.of(), QueueSeeds.queued(roar));
    }
}
