package ai.treqs.roar.faults;

import static ai.treqs.roar.testing.TwoUsers.AS_NOBODY;
import static ai.treqs.roar.testing.TwoUsers.NOBODY;
import static ai.treqs.roar.testing.TwoUsers.OTHER;
import static ai.treqs.roar.testing.TwoUsers.ownedBy;
import static ai.treqs.roar.testing.TwoUsers.succeeds;
import static ai.treqs.roar.testing.TwoUsers.victim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * A second local user, tried as an attacker would (docs/security.md#another-user-of-a-shared-cache-or-home-anyone-who-can-write-into-cache):
 * uid {@value #OTHER} makes first every name roar or its framework could use in the shared {@code /tmp}, and
 * plants an identity and queued events in a shared (1777) {@code CACHE_HOME}; the victim, {@code nobody},
 * runs roar. Needs root (to be two users); skipped with a message otherwise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
        + "which the unprivileged user of this test cannot read (exit 127 before main)")
class OtherUserIT {
    private static final String PATH = "/api/v1/telemetry/roar";
    private static final String PLANTED_ID = "11111111-2222-4333-8444-555555555555";

    @RegisterExtension final TwoUsers users = new TwoUsers("other-user-");

    @Test
    void namesAnotherUserMadeFirstInTmpStopNothing() throws Exception {
        Assumptions.assumeTrue(succeeds("unshare", "--mount", "--propagation", "private", "true"),
                "unshare --mount is not permitted here: cannot give the test a /tmp of its own");
        Path tmp = Files.createDirectories(users.base().resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(tmp, "unix:mode", 01777);
        // every fixed name the JVM, Quarkus, Vert.x or Netty used in java.io.tmpdir, made first by uid OTHER, 0700
        for (String name : List.of("vertx-cache", "hsperfdata_nobody", "hsperfdata_root", "netty", "quarkus")) {
            ownedBy(Files.createDirectory(tmp.resolve(name)), OTHER, "rwx------");
        }
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = victim(users.base().resolve("victim")).env("ROAR_TELEMETRY_ENDPOINT", collector.url(PATH));
            if (!RoarProcess.isNative()) {
                roar.launcher(RoarProcess.launcherScript()).env("ROAR_NO_JVM_CACHE", "1"); // as a user starts roar
            }
            // a build under /tmp (a CI clone) stays reachable: its top directory is bound into the new /tmp first
            Path build = Path.of("").toAbsolutePath();
            String underTmp = build.startsWith("/tmp/") ? build.getName(1).toString() : "";
            List<String> prefix = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                    "sh", "-c", "t=$0; r=$1; shift; if [ -n \"$r\" ]; then mkdir -p \"$t/$r\" && mount --bind \"/tmp/$r\" \"$t/$r\""
                            + " || exit 125; fi; mount --rbind \"$t\" /tmp && exec \"$@\"", tmp.toString(), underTmp));
            prefix.addAll(AS_NOBODY);

            RoarProcess.Result version = Faults.run(roar, prefix, "--version");
            assertEquals(0, version.exitCode(), version.stderr());
            Faults.assertNoStackTrace(version, "--version");
            Path marker = roar.workDir().resolve("job-ran");
            RoarProcess.Result run = Faults.run(roar, prefix, "run", "--allow-dirty", "--", "touch", marker.toString());
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("", run.stderr());
            assertTrue(Files.exists(marker), "the job ran");
            RoarProcess.Result flush = Faults.run(roar, prefix, "telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stdout() + flush.stderr());
            Faults.assertNoStackTrace(flush, "--flush");
            assertTrue(RoarProcess.await(java.time.Duration.ofSeconds(30), () -> !collector.requests().isEmpty()),
                    "events reached the collector (the HTTP client starts with the planted names in /tmp)");
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of("hsperfdata_nobody", "hsperfdata_root", "netty", "quarkus", "vertx-cache"),
                        left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(underTmp)).sorted().toList(),
                        "roar made nothing in /tmp");
            }
        }
        Results.row("another uid made /tmp/vertx-cache, hsperfdata_<user>, ... first (0700)", 3,
                "every command works, the job runs, uploads arrive; nothing made in /tmp", 0, 0);
    }

    @Test
    void aDirectoryAboveCacheHomeThatAnotherUserCanRenameStopsRecording() throws Exception {
        // the victim's own CACHE_HOME, in a directory of the other user's: they can rename the victim's directory away
        // and put one of theirs, with an identity and a queue, in its place between roar's checks and its writes
        // (CACHE_HOME alone: a global.toml below their directory is another matter, global_config_invalid)
        Path theirs = ownedBy(Files.createDirectory(users.base().resolve("theirs")), OTHER, "rwxr-xr-x");
        Path theirsCache = ownedBy(Files.createDirectories(theirs.resolve("victim-cache")), NOBODY, "rwx------");
        RoarProcess roar = victim(users.base().resolve("victim")).env("ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/unused");
        // a directory above CACHE_HOME that anyone can write (not sticky): the same
        Path open = ownedBy(Files.createDirectory(users.base().resolve("open")), 0, "rwxrwxrwx");
        Path openCache = ownedBy(Files.createDirectories(open.resolve("victim-cache")), NOBODY, "rwx------");
        Map<Path, String> cases = Map.of(theirsCache, theirs + " is owned by uid " + OTHER, openCache, open + " is writable by others");
        for (Map.Entry<Path, String> c : cases.entrySet()) {
            roar.env("XDG_CACHE_HOME", c.getKey().toString());
            RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().contains("Telemetry: enabled (cannot record: " + c.getValue() + ")\n"), status.stdout());
            RoarProcess.Result run = Faults.run(roar, AS_NOBODY, "run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());
            Faults.assertNoStackTrace(run, "run");
            assertFalse(Files.exists(c.getKey().resolve("roar/telemetry/stats.json")), c.getKey() + ": an identity was written there");
        }
        Results.row("CACHE_HOME of the victim's in a directory another uid owns, or in a 0777 one", 4,
                "nothing recorded; --status: cannot record: <the directory above> is owned by uid N / is writable by others", 0, 0);
    }

    @Test
    void aTelemetryDirectoryAnotherUserPlantedInASharedCacheIsNeitherReadNorSent() throws Exception {
        // the attacker's own install, whose cache is the shared (1777) one: an identity and three queued events
        RoarProcess attacker = new RoarProcess(users.base().resolve("attacker"));
        Path shared = Files.createDirectories(attacker.root().resolve("cache"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path telemetry = Files.createDirectories(attacker.cache());
        Files.writeString(attacker.stats(), "{\"first_seen\":\"2026-01-01T00:00:00Z\",\"install_id\":\""
                + PLANTED_ID + "\",\"sequence\":3,\"stats_schema_version\":1,\"subcommand_counts\":{},"
                + "\"updated_at\":\"2026-01-01T00:00:00Z\"}");
        Map<String, byte[]> planted = Faults.plantGoodEvents(attacker, 3, Instant.now().minusSeconds(60));
        // ... open to everyone, so that the victim could read, write and delete there
        try (Stream<Path> all = Files.walk(shared.resolve("roar"))) {
            for (Path p : all.toList()) {
                ownedBy(p, OTHER, Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-");
            }
        }

        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = victim(users.base().resolve("victim")).env("XDG_CACHE_HOME", shared.toString())
                    .env("ROAR_TELEMETRY_ENDPOINT", collector.url(PATH));
            RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().contains("Telemetry: enabled (cannot record: " + shared.resolve("roar")
                    + " is owned by uid " + OTHER + ")\n"), status.stdout());
            assertFalse(status.stdout().contains(PLANTED_ID), status.stdout());
            assertTrue(status.stdout().contains("Queued events: 0\n"), status.stdout());
            RoarProcess.Result print = Faults.run(roar, AS_NOBODY, "telemetry", "--print");
            assertFalse(print.stdout().contains(PLANTED_ID), print.stdout());

            RoarProcess.Result run = Faults.run(roar, AS_NOBODY, "run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());
            RoarProcess.Result flush = Faults.run(roar, AS_NOBODY, "telemetry", "--flush");
            Faults.assertNoStackTrace(flush, "--flush");
            Thread.sleep(2000); // a detached uploader, had one started, would have sent by now
            assertEquals(0, collector.connections(), "nothing was sent from the planted directory");
            try (Stream<Path> queue = Files.list(telemetry.resolve("queue"))) {
                assertEquals(planted.keySet().stream().map(id -> id + ".json").sorted().toList(),
                        queue.map(p -> p.getFileName().toString()).sorted().toList(), "the planted queue is untouched");
            }
            assertTrue(Files.readString(telemetry.resolve("stats.json")).contains("\"sequence\":3"), "stats untouched");

            // the victim's own config directory, writable by others: the same rule
            Path ownConfig = Files.createDirectories(roar.root().resolve("config/roar"));
            ownedBy(ownConfig, NOBODY, "rwxrwxrwx");
            RoarProcess.Result open = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
            assertTrue(open.stdout().contains("Telemetry: enabled (cannot record: " + ownConfig + " is writable by others)\n"),
                    open.stdout());

            // CONFIG_HOME itself writable by others (who could rename roar/ away and with it an opt-out): the same rule
            ownedBy(ownConfig, NOBODY, "rwx------");
            ownedBy(ownConfig.getParent(), NOBODY, "rwxrwxrwx");
            RoarProcess.Result home = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
            assertTrue(home.stdout().contains("Telemetry: enabled (cannot record: " + ownConfig.getParent() + " is writable by others)\n"),
                    home.stdout());
        }
        Results.row("another uid planted roar/telemetry/ (identity, 3 events) in a 1777 CACHE_HOME", 5,
                "not read, not sent; --status: cannot record: ... is owned by uid N", 0, 0);
    }
}
