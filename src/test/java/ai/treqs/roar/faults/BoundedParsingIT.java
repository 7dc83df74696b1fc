package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * Every file roar reads parses within fixed bounds or is invalid in words (docs/security.md#bounded-parsing):
 * a project file of dotted keys as deep as it is long, a global file of nested headers, a .gitignore
 * that is not UTF-8 or is 3 GB. Never a StackOverflowError or OutOfMemoryError, and init checks before
 * it writes.
 */
class BoundedParsingIT {
    @TempDir Path root;
    private RoarProcess roar;

    @BeforeEach
    void install() throws Exception {
        roar = Faults.install(root, "http://127.0.0.1:9/unused");
    }

    @Test
    void aProjectFileOfDeepDottedKeysIsInvalidInWordsAndTheJobStillRuns() throws Exception {
        Path project = roar.workDir().resolve(".roar/config.toml");
        Files.createDirectories(project.getParent());
        Files.writeString(project, "a" + ".a".repeat(7000) + " = 1\n"); // 14 KB, well under the 64 KiB bound
        RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
        Faults.assertNoStackTrace(status, "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("\nDisabled reason: project_config_invalid ("), status.stdout());
        assertEquals(1, status.stderr().lines().count(), status.stderr());
        assertTrue(status.stderr().contains(project + ": nested deeper than 64 levels"), status.stderr());

        RoarProcess.Result run = Faults.run(roar, "run", "--", "sh", "-c", "echo ran; exit 7");
        Faults.assertNoStackTrace(run, "run");
        assertEquals(7, run.exitCode(), run.stderr());
        assertEquals("ran\n", run.stdout());
        assertFalse(Files.exists(roar.cache()), "an invalid project file fails closed: nothing recorded");
    }

    @Test
    void deepHeadersArraysAndInlineTablesInTheGlobalFileFailClosedInWords() throws Exception {
        Files.createDirectories(roar.globalConfig().getParent());
        for (String deep : new String[] {
                "[" + "a.".repeat(5000) + "a]\nx = 1\n",
                "x = " + "[".repeat(20000) + "]".repeat(20000) + "\n",
                "x = " + "{a = ".repeat(5000) + "1" + "}".repeat(5000) + "\n"}) {
            Files.writeString(roar.globalConfig(), deep);
            RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
            Faults.assertNoStackTrace(status, "--status");
            assertTrue(status.stdout().contains("\nDisabled reason: global_config_invalid ("), status.stdout());
            assertTrue(status.stderr().contains(roar.globalConfig() + ": nested deeper than 64 levels"), status.stderr());
            RoarProcess.Result disable = Faults.run(roar, "telemetry", "--disable");
            Faults.assertNoStackTrace(disable, "--disable");
            assertEquals(0, disable.exitCode(), disable.stderr());
            assertTrue(disable.stdout().contains("was moved to"), disable.stdout());
            Files.writeString(roar.globalConfig(), "");
        }
    }

    @Test
    void aGitignoreThatIsNotUtf8GetsTheEntryAppendedAsBytes() throws Exception {
        roar.env("DO_NOT_TRACK", "1"); // about the project's files only: no uploader outlives the test
        byte[] latin1 = "caf\u00e9.log\n# r\u00e9sum\u00e9".getBytes(StandardCharsets.ISO_8859_1); // no final newline
        Path gitignore = roar.workDir().resolve(".gitignore");
        Files.write(gitignore, latin1);
        RoarProcess.Result init = Faults.run(roar, "init");
        Faults.assertNoStackTrace(init, "init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertTrue(init.stdout().contains("Added .roar/ to " + gitignore), init.stdout());
        byte[] expected = new byte[latin1.length + 8];
        System.arraycopy(latin1, 0, expected, 0, latin1.length);
        System.arraycopy("\n.roar/\n".getBytes(StandardCharsets.US_ASCII), 0, expected, latin1.length, 8);
        assertArrayEquals(expected, Files.readAllBytes(gitignore), "the old bytes kept, the entry on its own line");

        RoarProcess.Result again = Faults.run(roar, "init");
        assertEquals(0, again.exitCode(), again.stderr());
        assertFalse(again.stdout().contains("Added"), again.stdout());
        assertArrayEquals(expected, Files.readAllBytes(gitignore), "found again: not added twice");
    }

    @Test
    void aHugeGitignoreIsRefusedInWordsBeforeAnythingIsWritten() throws Exception {
        roar.env("DO_NOT_TRACK", "1");
        Path gitignore = roar.workDir().resolve(".gitignore");
        try (RandomAccessFile sparse = new RandomAccessFile(gitignore.toFile(), "rw")) {
            sparse.setLength(3L << 30); // 3 GB of holes: no disk used
        }
        RoarProcess.Result init = Faults.run(roar, "init");
        Faults.assertNoStackTrace(init, "init");
        assertEquals(1, init.exitCode(), init.stdout());
        assertEquals("roar: init failed in " + roar.workDir() + ": " + gitignore + " is larger than 64 MiB, more than"
                + " roar init reads to look for .roar/ (add that line yourself, or use --no-gitignore); nothing was written\n",
                init.stderr());
        assertFalse(Files.exists(roar.workDir().resolve(".roar")), "checked before anything was written");
        assertEquals(3L << 30, Files.size(gitignore));

        RoarProcess.Result without = Faults.run(roar, "init", "--no-gitignore");
        assertEquals(0, without.exitCode(), without.stderr());
        assertTrue(Files.exists(roar.workDir().resolve(".roar/config.toml")));
    }

    @Test
    void deeplyNestedJsonStateIsMovedAsideNotFollowedDown() throws Exception {
        roar.env("DO_NOT_TRACK", "1");
        Files.createDirectories(roar.cache());
        Files.writeString(roar.stats(), "{\"x\":" + "[".repeat(60_000) + "]".repeat(60_000) + "}"); // 120 KB, under the size bound
        Files.writeString(roar.cache().resolve("sent.jsonl"), "{\"sent_at\":" + "[".repeat(30_000) + "\n");
        roar.without("DO_NOT_TRACK");
        QueueHold.fail(roar);
        RoarProcess.Result run = Faults.run(roar, "run", "--", "true");
        Faults.assertNoStackTrace(run, "run");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.readString(roar.stats()).contains("\"install_id\""), "a fresh install began");
        assertEquals(1, Faults.entries(roar.cache(), "stats.json.corrupt-*").size(), "the deep file was moved aside");
        RoarProcess.Result history = Faults.run(roar, "telemetry", "--history");
        Faults.assertNoStackTrace(history, "--history");
        assertEquals(0, history.exitCode(), history.stderr());
    }

    /** A failed upload a moment ago: the command queues but starts no uploader that could outlive the test. */
    private static final class QueueHold {
        static void fail(RoarProcess roar) throws java.io.IOException {
            Files.writeString(roar.cache().resolve("last-attempt"), "{\"at\":\"" + java.time.Instant.now()
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"failed\":true,\"outcome\":\"held\"}\n");
        }
    }
}
