package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.stats.Stats;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TestFiles;

/**
 * docs/reliability.md#the-figures, unusable storage: state directories that cannot be created, a read-only cache (as an
 * unprivileged user: root ignores permissions), a full disk (a 64 KiB tmpfs, where mounting one is
 * allowed). The user's command behaves as with telemetry off.
 */
@ExtendWith(AwaitUploaders.class)
class UnusableStorageIT {

    @TempDir Path root;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void stateDirectoriesUnderARegularFileDoNotBreakTheCommand() throws Exception {
        Path blocker = Files.writeString(root.resolve("blocker"), "a regular file where a directory should be");
        RoarProcess roar = Faults.install(root.resolve("install"), "http://127.0.0.1:9/unused")
                .env("XDG_CACHE_HOME", blocker.resolve("cache").toString())
                .env("XDG_CONFIG_HOME", blocker.resolve("config").toString());
        List<String> outcomes = new ArrayList<>();
        for (String[] command : List.of(new String[] {"run", "--", "true"}, new String[] {"init"})) {
            RoarProcess.Result result = Faults.run(roar, command);
            assertBehavesAsWithTelemetryOff(result, roar, String.join(" ", command));
            outcomes.add("roar " + command[0] + " exit " + result.exitCode());
        }
        Results.row("unusable storage: XDG_CACHE_HOME and XDG_CONFIG_HOME under a regular file", 2,
                String.join(", ", outcomes) + ", output as with telemetry off, nothing on stderr", 0, 0);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    @NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
            + "which the unprivileged user of this test cannot read (exit 127 before main)")
    void aReadOnlyCacheDoesNotBreakTheCommand() throws Exception {
        Optional<List<String>> asUser = unprivileged();
        if (asUser.isEmpty()) {
            String reason = "running as root and neither setpriv nor runuser is available to drop privileges";
            Results.row("unusable storage: read-only cache directory", 0, "skipped: " + reason, "-", "-");
            Assumptions.abort(reason);
        }
        // the unprivileged user must reach everything: a world-traversable base outside the 0700 @TempDir
        Path base = Files.createTempDirectory("roar-readonly");
        try {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<Callable<String>> cases = List.of(
                    () -> readOnly(base.resolve("fresh"), asUser.get(), false),
                    () -> readOnly(base.resolve("existing"), asUser.get(), true));
            List<String> outcomes = Faults.parallel(2, cases);
            Results.row("unusable storage: read-only cache directory (fresh install; existing install with stats and queue)", 2,
                    String.join("; ", outcomes), 0, 0);
        } finally {
            TestFiles.deleteTree(base);
        }
    }

    private String readOnly(Path dir, List<String> asUser, boolean existing) throws Exception {
        RoarProcess roar = Faults.install(dir, "http://127.0.0.1:9/unused");
        Files.createDirectories(dir.resolve("cache"));
        byte[] stats = null;
        Map<String, byte[]> queued = Map.of();
        if (existing) {
            Instant now = Instant.now();
            stats = Json.write(Stats.fresh(now).asJsonObject());
            SecureFiles.ensureDirectory(roar.cache());
            Files.write(roar.stats(), stats);
            queued = Faults.plantGoodEvents(roar, 2, now.minusSeconds(60));
        }
        UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(userName(asUser));
        chown(dir, user);
        // read-only for its owner: directories r-x, files r--
        for (Path p : List.of(roar.queue(), roar.cache(), roar.cache().getParent(), dir.resolve("cache"))) {
            if (Files.isDirectory(p)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
            }
        }
        List<String> outcomes = new ArrayList<>();
        for (String[] command : List.of(new String[] {"run", "--", "true"}, new String[] {"init"})) {
            RoarProcess.Result result = Faults.run(roar, asUser, command);
            assertBehavesAsWithTelemetryOff(result, roar, (existing ? "existing" : "fresh") + " read-only: " + command[0]);
            outcomes.add("roar " + command[0] + " exit " + result.exitCode());
        }
        if (existing) {
            assertArrayEquals(stats, Files.readAllBytes(roar.stats()), "stats unchanged");
            assertEquals(queued.keySet(), Faults.queued(roar).keySet(), "queue unchanged");
        } else {
            assertTrue(Faults.entries(dir.resolve("cache"), "*").isEmpty(), "nothing could be created");
        }
        return (existing ? "existing: " : "fresh: ") + String.join(", ", outcomes) + " as " + userName(asUser)
                + ", output as with telemetry off" + (existing ? ", stats and queue unchanged" : "");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aFullDiskDoesNotBreakTheCommandNorLeaveTempFilesAndRecordingResumesWhenThereIsRoom() throws Exception {
        // the tmpfs is the install's cache home (XDG_CACHE_HOME), so RoarProcess' paths point into it
        Path mount = Files.createDirectories(root.resolve("install/cache"));
        RoarProcess.Result mounted = Faults.finish(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                mount.toString()), "mount");
        if (mounted.exitCode() != 0) {
            String reason = "cannot mount a 64 KiB tmpfs here (" + (mounted.stderr().strip() + " exit " + mounted.exitCode()).strip() + ")";
            System.out.println("[reliability] skipped full-disk case: " + reason);
            Results.row("unusable storage: full disk (64 KiB tmpfs)", 0, "skipped: " + reason, "-", "-");
            Assumptions.abort(reason);
        }
        try {
            // an existing install (stats + 2 queued events), then the disk fills up
            RoarProcess roar = Faults.install(root.resolve("install"), "http://127.0.0.1:9/unused");
            Instant now = Instant.now();
            SecureFiles.ensureDirectory(roar.cache());
            byte[] stats = Json.write(Stats.fresh(now).asJsonObject());
            Files.write(roar.stats(), stats);
            Map<String, byte[]> queued = Faults.plantGoodEvents(roar, 2, now.minusSeconds(60));
            Path filler = mount.resolve("filler");
            long filled = fill(filler);

            List<String> outcomes = new ArrayList<>();
            for (String[] command : List.of(new String[] {"run", "--", "true"}, new String[] {"init"})) {
                RoarProcess.Result result = Faults.run(roar, command);
                assertBehavesAsWithTelemetryOff(result, roar, "full disk: " + command[0]);
                outcomes.add("roar " + command[0] + " exit " + result.exitCode());
            }
            assertArrayEquals(stats, Files.readAllBytes(roar.stats()), "stats unchanged (never half-written)");
            assertEquals(queued.keySet(), Faults.queued(roar).keySet(), "queue unchanged");
            List<Path> temps = new ArrayList<>(Faults.entries(roar.cache(), SecureFiles.TEMP_PREFIX + "*"));
            temps.addAll(Faults.entries(roar.queue(), SecureFiles.TEMP_PREFIX + "*"));
            assertEquals(List.of(), temps, "a failed write removes its temp file");

            Files.delete(filler);
            RoarProcess.Result again = Faults.run(roar, "run", "--", "true");
            assertEquals(0, again.exitCode(), again.stderr());
            assertEquals(null, Faults.invalidStats(roar.stats()));
            long sequence = ((Number) Faults.stats(roar).get("sequence")).longValue();
            assertTrue(sequence > 0, "recording resumed once there was room");
            Results.row("unusable storage: full disk (64 KiB tmpfs filled with " + filled / 1024 + " KiB)", 3,
                    String.join(", ", outcomes) + ", output as with telemetry off; stats byte-identical, queue unchanged, "
                            + "0 temp files left; with room again the next run recorded (sequence " + sequence + ")",
                    0, 0);
        } finally {
            Faults.finish(new ProcessBuilder("umount", mount.toString()), "umount");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void assertBehavesAsWithTelemetryOff(RoarProcess.Result result, RoarProcess roar, String what) {
        assertEquals(0, result.exitCode(), what + ": " + result.stderr());
        assertEquals("", result.stderr(), what + ": nothing on stderr");
        Faults.assertNoStackTrace(result, what);
        if (what.endsWith("run") || what.contains("run ")) {
            assertEquals("", result.stdout(), what);
        } else {
            assertTrue(result.stdout().startsWith("Created "), what + ": " + result.stdout());
        }
    }

    /** How to run a process as an unprivileged user: nothing when not root; empty when root cannot drop. */
    private static Optional<List<String>> unprivileged() throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            return Optional.of(List.of());
        }
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "setpriv"))) {
                return Optional.of(List.of(dir + "/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(dir, "runuser"))) {
                return Optional.of(List.of(dir + "/runuser", "-u", "nobody", "--"));
            }
        }
        return Optional.empty();
    }

    private static String userName(List<String> asUser) {
        return asUser.isEmpty() ? System.getProperty("user.name") : "nobody";
    }

    private static void chown(Path dir, UserPrincipal user) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.setOwner(d, user);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.setOwner(f, user);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Writes 1 KiB blocks until the file system is full; returns how much fitted. */
    private static long fill(Path filler) throws IOException {
        long written = 0;
        byte[] block = new byte[1024];
        try (var out = Files.newOutputStream(filler, StandardOpenOption.CREATE_NEW)) {
            while (written < 1024 * 1024) {
                out.write(block);
                out.flush();
                written += block.length;
            }
        } catch (IOException e) {
            return written; // No space left on device
        }
        throw new IllegalStateException("the tmpfs took 1 MiB: not a 64 KiB file system");
    }
}
