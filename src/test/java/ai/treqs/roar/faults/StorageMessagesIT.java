package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#odd-places-the-host: {@code --flush} and {@code --disable} on storage that cannot be written, made for real as
 * root (who ignores permission bits): a read-only bind mount over the telemetry or config directory,
 * and a tmpfs with no free inode. Every message says what failed and why in words; {@code --flush} exits
 * 0 saying why nothing was sent. Skipped, with a row saying so, where mount(8) is not allowed.
 */
class StorageMessagesIT {
    @TempDir Path root;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void flushAndDisableSayWhatFailedAndWhyInWords() throws Exception {
        if (!canMount()) {
            String reason = "mount(8) is not allowed here (needs root with CAP_SYS_ADMIN)";
            Results.row("storage messages: read-only and full telemetry directory", 0, "skipped: " + reason, "-", "-");
            Assumptions.abort(reason);
        }
        List<String> outcomes = new ArrayList<>();

        RoarProcess ro = Faults.install(root.resolve("ro"), "http://127.0.0.1:9/unused");
        Faults.plantGoodEvents(ro, 3, Instant.now());
        Path telemetry = ro.cache();
        try (Mount m = Mount.readOnly(telemetry)) {
            RoarProcess.Result flush = Faults.run(ro, "telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            assertEquals("Uploaded 0, kept 3 (stopped: cannot write " + telemetry.resolve(".lock") + ": read-only file system)\n",
                    flush.stdout());
            assertEquals("", flush.stderr());
            outcomes.add("read-only telemetry directory: --flush exit 0, \"" + flush.stdout().strip() + "\"");

            RoarProcess.Result disable = Faults.run(ro, "telemetry", "--disable");
            assertEquals(1, disable.exitCode(), disable.stderr());
            assertEquals("Telemetry disabled globally in " + ro.globalConfig() + "\n", disable.stdout());
            // queue entries that cannot be deleted are skipped (nothing in the queue stops an opt-out); the
            // first write that fails names itself (the anonymous ledger line's temporary file)
            assertTrue(disable.stderr().matches("roar: the local telemetry data could not be deleted: cannot write "
                    + telemetry + "/\\S+: read-only file system\n"), disable.stderr());
            Faults.assertNoStackTrace(disable, "--disable");
            outcomes.add("--disable exit 1, \"" + disable.stderr().strip().replace(telemetry.toString(), "…") + "\"");
        }

        RoarProcess roConfig = Faults.install(root.resolve("roconfig"), "http://127.0.0.1:9/unused");
        Path configDir = roConfig.globalConfig().getParent();
        Files.createDirectories(configDir);
        try (Mount m = Mount.readOnly(configDir)) {
            RoarProcess.Result disable = Faults.run(roConfig, "telemetry", "--disable");
            assertEquals(1, disable.exitCode(), disable.stderr());
            // the opt-out still forgets the install (docs/telemetry.md#opt-out-controls); the line says the file could not say so
            assertEquals("roar: cannot write " + roConfig.globalConfig() + ": read-only file system; telemetry is not switched off in that file\n"
                    + "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1 in your environment"
                    + " (e.g. export DO_NOT_TRACK=1 in your shell profile)\n", disable.stderr());
            outcomes.add("read-only config directory: --disable exit 1, \"" + disable.stderr().strip().replace(configDir.toString(), "…") + "\"");
        }

        RoarProcess full = Faults.install(root.resolve("full"), "http://127.0.0.1:9/unused");
        Path fullDir = full.cache();
        Files.createDirectories(fullDir);
        try (Mount m = Mount.tmpfs(fullDir, "size=256k,nr_inodes=16,mode=0700")) {
            Faults.plantGoodEvents(full, 2, Instant.now());
            int filler = 0;
            try {
                while (filler < 100) {
                    Files.createFile(fullDir.resolve("filler-" + filler++));
                }
            } catch (IOException e) {
                // no inode left: that is the point
            }
            RoarProcess.Result flush = Faults.run(full, "telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            assertEquals("Uploaded 0, kept 2 (stopped: cannot write " + fullDir.resolve(".lock") + ": no space left on device)\n",
                    flush.stdout());
            outcomes.add("no free inode: --flush exit 0, \"" + flush.stdout().strip().replace(fullDir.toString(), "…") + "\"");
        }
        Results.row("storage messages: --flush and --disable on a read-only bind mount and a tmpfs without free inodes (as root)",
                outcomes.size(), String.join("; ", outcomes), 0, 0);
    }

    private static boolean canMount() throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v mount >/dev/null && [ \"$(id -u)\" = 0 ]").start().waitFor() == 0;
    }

    /** A mount made for one case and always unmade. */
    private record Mount(Path dir) implements AutoCloseable {
        static Mount readOnly(Path dir) throws Exception {
            Files.createDirectories(dir);
            sh("mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\"", dir);
            return new Mount(dir);
        }

        static Mount tmpfs(Path dir, String options) throws Exception {
            sh("mount -t tmpfs -o " + options + " tmpfs \"$1\"", dir);
            return new Mount(dir);
        }

        @Override
        public void close() throws Exception {
            sh("umount \"$1\"", dir);
        }

        private static void sh(String script, Path dir) throws Exception {
            Process p = new ProcessBuilder("sh", "-c", script, "mount", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                Assumptions.abort("cannot mount here: " + out.strip());
            }
        }
    }
}
