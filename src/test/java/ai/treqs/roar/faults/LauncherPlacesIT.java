package ai.treqs.roar.faults;

import static ai.treqs.roar.testing.TwoUsers.AS_NOBODY;
import static ai.treqs.roar.testing.TwoUsers.NOBODY;
import static ai.treqs.roar.testing.TwoUsers.OTHER;
import static ai.treqs.roar.testing.TwoUsers.ownedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * Where the launcher ({@code src/main/launcher/roar}) finds its Java, keeps its start-up cache and does the cache's
 * training, against places another user owns (docs/security.md#the-jvm-the-launcher-starts): root running with
 * another user's {@code HOME}, a {@code TMPDIR} or a {@code CACHE_HOME} (or a parent of it) another user owns, and
 * the user's {@code JAVA_TOOL_OPTIONS}. Needs root (to be two users, {@link TwoUsers}); skipped with a message
 * otherwise. A relative {@code JAVA_HOME}, which needs no second user: {@link LauncherStartIT}.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
@NativeSkips.JvmOnly("about the launcher script and the JVM it starts; the native executable has neither")
class LauncherPlacesIT {
    /** World-traversable, outside the 0700 @TempDir, so that nobody can run the launcher in it; skips unless root. */
    @RegisterExtension final TwoUsers users = new TwoUsers("launcher-places-");

    @Test
    void rootWithAnotherUsersHomeMakesNothingInIt() throws Exception {
        Path alice = ownedBy(Files.createDirectory(users.base().resolve("alice")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = user(users.base().resolve("root")).without("DO_NOT_TRACK").without("XDG_CACHE_HOME").without("XDG_CONFIG_HOME")
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
        Path tmp = ownedBy(Files.createDirectory(users.base().resolve("shared-tmp")), OTHER, "rwxrwxrwx");
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path logs = ownedBy(Files.createDirectory(users.base().resolve("jvm-logs")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = victim(users.base().resolve("victim")).env("TMPDIR", tmp.toString())
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
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path shared = ownedBy(Files.createDirectory(users.base().resolve("shared-cache")), OTHER, "rwxrwxrwx");
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
        Path tmp = ownedBy(Files.createDirectory(users.base().resolve("tmp")), 0, "rwxrwxrwx");
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
        TwoUsers.chownTree(root, NOBODY);
        return roar;
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
