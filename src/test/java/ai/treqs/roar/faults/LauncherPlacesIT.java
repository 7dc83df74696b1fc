package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Where the launcher ({@code src/main/launcher/roar}) finds its Java, keeps its start-up cache and does the cache's
 * training, against places another user owns (docs/security.md#the-jvm-the-launcher-starts): a relative
 * {@code JAVA_HOME}, root running with another user's {@code HOME}, a {@code TMPDIR} or a {@code CACHE_HOME} (or a
 * parent of it) another user owns, and the user's {@code JAVA_TOOL_OPTIONS}. The cases with two users need root;
 * they skip themselves otherwise.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
@NativeSkips.JvmOnly("about the launcher script and the JVM it starts; the native executable has neither")
class LauncherPlacesIT {
    private static final int OTHER = 12345;
    private static final int NOBODY = 65534;
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");

    /** World-traversable, outside the 0700 @TempDir, so that nobody can run the launcher in it. */
    private Path base;

    @BeforeEach
    void makeBase() throws IOException {
        base = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "launcher-places-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aRelativeJavaHomeIsRefusedBeforeAnythingRuns() throws Exception {
        RoarProcess roar = user(base.resolve("user"));
        // a repository holding jdk/bin/java: JAVA_HOME=jdk would run it
        Path java = Files.createDirectories(roar.workDir().resolve("jdk/bin")).resolve("java");
        Path ran = roar.workDir().resolve("ran");
        Files.writeString(java, "#!/bin/sh\ntouch '" + ran + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        RoarProcess.Result version = roar.env("JAVA_HOME", "jdk").run("--version");
        assertEquals(1, version.exitCode(), version.stdout() + version.stderr());
        assertEquals("", version.stdout());
        assertEquals("roar: JAVA_HOME is jdk, a relative path: set it to an absolute one, or unset it to use java on PATH\n",
                version.stderr());
        assertFalse(Files.exists(ran), "the repository's jdk/bin/java ran");
    }

    @Test
    void rootWithAnotherUsersHomeMakesNothingInIt() throws Exception {
        needsRoot();
        Path alice = ownedBy(Files.createDirectory(base.resolve("alice")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = user(base.resolve("root")).without("DO_NOT_TRACK").without("XDG_CACHE_HOME").without("XDG_CONFIG_HOME")
                .env("HOME", alice.toString()).env("ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/unused");
        RoarProcess.Result run = roar.run("run", "--allow-dirty", "--", "true");
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        Faults.assertNoStackTrace(run, "run");
        RoarProcess.Result status = roar.run("telemetry", "--status");
        Faults.assertNoStackTrace(status, "telemetry --status");
        assertEquals(List.of(), names(alice), "root made directories in another user's home (sudo keeping HOME)");
    }

    @Test
    void theTrainingNeitherWorksInATmpdirAnotherUserOwnsNorGetsTheUsersJavaOptions() throws Exception {
        needsRoot();
        Path tmp = ownedBy(Files.createDirectory(base.resolve("shared-tmp")), OTHER, "rwxrwxrwx");
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path logs = ownedBy(Files.createDirectory(base.resolve("jvm-logs")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = victim(base.resolve("victim")).env("TMPDIR", tmp.toString())
                .env("JAVA_TOOL_OPTIONS", "-XX:+UnlockDiagnosticVMOptions -XX:+LogVMOutput -XX:LogFile=" + logs + "/vm-%p.log");
        // the owner of TMPDIR watches it: a work directory there could be swapped for a link to one of the victim's
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                seen.addAll(names(tmp));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            RoarProcess.Result version = Faults.run(roar, AS_NOBODY, "--version");
            assertEquals(0, version.exitCode(), version.stdout() + version.stderr());
            awaitCache(roar.root().resolve("cache/roar/jvm"));
        } finally {
            stop.set(true);
            watcher.join();
        }
        assertEquals(Set.of(), seen, "the training made its work directory in a TMPDIR another user owns");
        assertEquals(1, names(logs).size(), "the training's JVMs got the user's JAVA_TOOL_OPTIONS: " + names(logs));
    }

    @Test
    void aCacheHomeAnotherUserCanReplaceGetsNoStartUpCache() throws Exception {
        needsRoot();
        RoarProcess roar = victim(base.resolve("victim"));
        Path shared = ownedBy(Files.createDirectory(base.resolve("shared-cache")), OTHER, "rwxrwxrwx");
        Files.setAttribute(shared, "unix:mode", 01777);
        // the other user's own sticky directory, and a directory of the victim's in it: the owner may still rename it
        Path mine = ownedBy(Files.createDirectory(shared.resolve("mine")), NOBODY, "rwx------");
        for (Path cacheHome : List.of(shared, mine)) {
            RoarProcess.Result version = Faults.run(roar.env("XDG_CACHE_HOME", cacheHome.toString()), AS_NOBODY, "--version");
            assertEquals(0, version.exitCode(), version.stdout() + version.stderr());
            assertEquals("", version.stderr());
            assertFalse(Files.exists(cacheHome.resolve("roar/jvm")), cacheHome + ": a start-up cache directory was made");
        }

        // the victim's own directory in a sticky one root owns (as /tmp) is the victim's: the cache is made there
        Path tmp = ownedBy(Files.createDirectory(base.resolve("tmp")), 0, "rwxrwxrwx");
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path own = ownedBy(Files.createDirectory(tmp.resolve("victim-cache")), NOBODY, "rwx------");
        RoarProcess victim = roar.env("XDG_CACHE_HOME", own.toString());
        RoarProcess.Result first = Faults.run(victim, AS_NOBODY, "--version");
        assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
        Path cache = awaitCache(own.resolve("roar/jvm"));

        // a cache the launcher cannot delete (here a directory in its place) costs start-up time and says nothing
        Files.delete(cache);
        Files.createDirectory(cache);
        RoarProcess.Result again = Faults.run(victim, AS_NOBODY, "--version");
        assertEquals(0, again.exitCode(), again.stdout() + again.stderr());
        assertEquals(first.stdout(), again.stdout());
        assertEquals("", again.stderr(), "the launcher's own commands spoke");
    }

    private static void needsRoot() throws IOException {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root to act as two users (uid " + OTHER + " and nobody)");
    }

    /** An install under {@code root} started through a copy of the launcher, on the JDK running the tests; no uploads. */
    private static RoarProcess user(Path root) throws IOException {
        return new RoarProcess(root).launcher(HostRig.launcher(root.resolve("install")))
                .env("JAVA_HOME", System.getProperty("java.home")).env("DO_NOT_TRACK", "1");
    }

    /** {@link #user} whose directories belong to nobody, as a user's home and directories would. */
    private static RoarProcess victim(Path root) throws IOException {
        RoarProcess roar = user(root);
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("cache"));
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                ownedBy(p, NOBODY, Files.isDirectory(p) ? "rwxr-xr-x" : Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--");
            }
        }
        return roar;
    }

    private static Path ownedBy(Path p, int uid, String mode) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    /** The cache a training made in {@code jvm}, once its record is beside it and its lock is gone; at most 6 minutes. */
    private static Path awaitCache(Path jvm) throws InterruptedException {
        assertTrue(RoarProcess.await(Duration.ofMinutes(6), () -> cacheIn(jvm).isPresent()
                && names(jvm).stream().noneMatch(n -> n.endsWith(".lock") || n.startsWith(".train."))),
                "no start-up cache made: " + names(jvm));
        return cacheIn(jvm).orElseThrow();
    }

    private static Optional<Path> cacheIn(Path jvm) {
        return names(jvm).stream().filter(n -> (n.endsWith(".jsa") || n.endsWith(".aot")) && !n.startsWith("."))
                .map(jvm::resolve).filter(cache -> Files.isRegularFile(cache.resolveSibling(cache.getFileName() + ".ok")))
                .findFirst();
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
