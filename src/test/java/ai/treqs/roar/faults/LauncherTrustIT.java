package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The launcher ({@code src/main/launcher/roar}) against what a repository, a damaged start-up cache or a bad
 * {@code ROAR_JAVA_OPTS} can do to the JVM it starts (docs/security.md, docs/install.md), on JDK 17 and 25.
 */
@NativeSkips.JvmOnly("about the launcher script and the JVM it starts; the native executable has neither")
class LauncherTrustIT {
    @TempDir Path root;

    /** A user of {@code jdk} through a copy of the launcher, in a working directory of its own; no uploader. */
    private RoarProcess user(Path jdk) throws IOException {
        Path dir = root.resolve(HostRig.name(jdk) + "-" + System.nanoTime());
        return Faults.install(dir, "http://127.0.0.1:9/unused").launcher(HostRig.launcher(dir.resolve("install")))
                .env("JAVA_HOME", jdk.toString()).env("DO_NOT_TRACK", "1");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRepositorysJvmOptionFilesAreNotReadAndACrashReportDoesNotLandInIt() throws Exception {
        for (Path jdk : HostRig.jdks()) {
            RoarProcess roar = user(jdk).env("ROAR_NO_JVM_CACHE", "1");
            Path repo = roar.workDir();
            Files.writeString(repo.resolve(".hotspotrc"), "+PrintVMOptions\n");
            Files.writeString(repo.resolve(".hotspot_compiler"), "print *.*\n");
            RoarProcess.Result version = roar.run("--version");
            assertEquals(0, version.exitCode(), version.stderr());
            assertEquals("", version.stderr(), HostRig.name(jdk) + ": the JVM mentioned the repository's option files");
            RoarProcess.Result run = roar.run("run", "--", "echo", "hi");
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("hi\n", run.stdout());
            assertEquals("", run.stderr(), HostRig.name(jdk));

            // a JVM that crashes (here on purpose: out of memory) reports into roar's own directory, not the repository
            RoarProcess.Result crash = roar.env("ROAR_JAVA_OPTS", "-XX:+CrashOnOutOfMemoryError -Xms3m -Xmx3m").run("--version");
            assertEquals(134, crash.exitCode(), HostRig.name(jdk) + ": " + crash.stderr());
            assertEquals(List.of(".hotspot_compiler", ".hotspotrc"), names(repo), HostRig.name(jdk) + ": crash files in the repository");
            Path jvm = roar.root().resolve("cache/roar/jvm");
            assertTrue(names(jvm).stream().anyMatch(n -> n.startsWith("hs_err_pid") && n.endsWith(".log")), names(jvm).toString());
            assertTrue((crash.stdout() + crash.stderr()).contains(jvm.toString()), "the report says where it is: " + crash.stdout());
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aCollectorInRoarJavaOptsReplacesTheLaunchersAndAJvmThatCannotStartSaysWhy() throws Exception {
        for (Path jdk : HostRig.jdks()) {
            RoarProcess roar = user(jdk).env("ROAR_NO_JVM_CACHE", "1");
            // the example of docs/install.md
            RoarProcess.Result g1 = roar.env("ROAR_JAVA_OPTS", "-XX:+UseG1GC").run("--version");
            assertEquals(0, g1.exitCode(), HostRig.name(jdk) + ": " + g1.stderr());
            assertTrue(g1.stdout().startsWith("roar "), g1.stdout());
            assertEquals("", g1.stderr());
            RoarProcess.Result flags = roar.env("ROAR_JAVA_OPTS", "-XX:+UseParallelGC -XX:+PrintCommandLineFlags").run("--version");
            assertEquals(0, flags.exitCode(), flags.stderr());
            assertTrue(flags.stderr().contains("-XX:+UseParallelGC") && !flags.stderr().contains("-XX:+UseSerialGC"),
                    HostRig.name(jdk) + ": the launcher's collector is replaced: " + flags.stderr());
            assertTrue(flags.stdout().startsWith("roar "), "JVM output stays out of stdout: " + flags.stdout());

            RoarProcess.Result heap = roar.env("ROAR_JAVA_OPTS", "-Xms64m -Xmx32m").run("--version");
            assertEquals(1, heap.exitCode());
            assertEquals("", heap.stdout());
            assertTrue(heap.stderr().contains("Initial heap size set to a larger value than the maximum heap size"),
                    HostRig.name(jdk) + ": the JVM's own reason: '" + heap.stderr() + "'");
        }
    }

    @Test
    @Timeout(value = 16, unit = TimeUnit.MINUTES)
    void aTruncatedStartUpCacheIsNotUsedAndIsMadeAgain() throws Exception {
        for (Path jdk : HostRig.jdks()) {
            String on = HostRig.name(jdk) + ": ";
            RoarProcess roar = user(jdk);
            Path jvm = roar.root().resolve("cache/roar/jvm");
            RoarProcess.Result first = runsWithoutHarm(roar, on, "--version");
            Path cache = awaitCache(jvm, false, on);
            long size = Files.size(cache);

            // cut to half, its time put back: only the size the launcher recorded tells (JDK 17 maps it and dies of SIGBUS)
            FileTime made = Files.getLastModifiedTime(cache);
            try (FileChannel channel = FileChannel.open(cache, StandardOpenOption.WRITE)) {
                channel.truncate(size / 2);
            }
            Files.setLastModifiedTime(cache, made);
            assertEquals(first.stdout(), runsWithoutHarm(roar, on, "--version").stdout());

            Path remade = awaitCache(jvm, true, on);
            assertTrue(Files.size(remade) > size / 2, on + "made again whole: " + Files.size(remade));
            runsWithoutHarm(roar, on, "telemetry", "--status");
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aStartUpCacheDamagedInPlaceIsNotUsedAndIsMadeAgain() throws Exception {
        for (Path jdk : HostRig.jdks()) {
            String on = HostRig.name(jdk) + ": ";
            RoarProcess roar = user(jdk);
            Path jvm = roar.root().resolve("cache/roar/jvm");
            RoarProcess.Result first = runsWithoutHarm(roar, on, "--version");
            Path cache = awaitCache(jvm, true, on);
            long size = Files.size(cache);

            // 1 MiB of zeros written over the mapped classes, size and modification time as they were: without a
            // check the JVM maps it and crashes (SIGSEGV, exit 134) on JDK 17 and 25 alike; the change time tells
            zeroInPlace(cache);
            assertEquals(size, Files.size(cache));
            assertEquals(first.stdout(), runsWithoutHarm(roar, on, "--version").stdout());
            Path remade = awaitCache(jvm, true, on);
            assertTrue(!allZero(remade), on + "made again whole");

            // bytes that change under the file system (no write the change time shows; here: the record written
            // again to fit): the JVM checks the cache's checksums itself and starts without it
            zeroInPlace(remade);
            RoarProcess.Result record = HostRig.bash("stat -c '%s %d:%i %y %z' -- \"$1\" > \"$1.ok\"", List.of("PATH=/usr/bin:/bin", "TZ=UTC0"),
                    remade.toString());
            assertEquals(0, record.exitCode(), record.stderr());
            runsWithoutHarm(roar, on, "telemetry", "--status");
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRepositorysAttachFileAndASigquitOpenNoSocketInTmp() throws Exception {
        for (Path jdk : HostRig.jdks()) {
            String on = HostRig.name(jdk) + ": ";
            RoarProcess roar = user(jdk).env("ROAR_NO_JVM_CACHE", "1");
            Path started = roar.root().resolve("started");
            Path out = roar.root().resolve("out.txt");
            Path err = roar.root().resolve("err.txt");
            Process process = roar.builder("run", "--", "sh", "-c", "touch \"$0\"; sleep 3; echo done", started.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            Path socket = Path.of("/tmp/.java_pid" + process.pid());
            try {
                // the launcher execs: its pid is the JVM's, whose signal handlers are in place once the child runs
                assertTrue(RoarProcess.await(Duration.ofSeconds(60), () -> Files.exists(started)), on + "the child never started");
                Files.createFile(roar.workDir().resolve(".attach_pid" + process.pid()));
                assertEquals(0, new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor());
                assertFalse(RoarProcess.await(Duration.ofSeconds(2), () -> Files.exists(socket)),
                        on + "the JVM opened an attach listener at " + socket);
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), on + "roar run did not finish");
                assertEquals(0, process.exitValue(), on + Files.readString(err));
                assertEquals("done\n", Files.readString(out));
                assertTrue(Files.readString(err).contains("Full thread dump"), on + "SIGQUIT still dumps the threads, on stderr");
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(socket);
            }
        }
    }

    /**
     * {@code roar args...} with whatever cache is in place (damaged or not): exit 0, nothing on stderr and nothing
     * written into the working directory; the start-up cache only ever costs time.
     */
    private static RoarProcess.Result runsWithoutHarm(RoarProcess roar, String on, String... args) throws IOException, InterruptedException {
        RoarProcess.Result result = roar.run(args);
        assertEquals(0, result.exitCode(), on + result.stdout() + result.stderr());
        assertEquals("", result.stderr(), on + String.join(" ", args));
        assertEquals(List.of(), names(roar.workDir()), on + "nothing written into the working directory");
        return result;
    }

    /** Zeros over 1 MiB from 64 KiB in, the size and modification time put back. */
    private static void zeroInPlace(Path cache) throws IOException {
        FileTime made = Files.getLastModifiedTime(cache);
        try (FileChannel channel = FileChannel.open(cache, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1 << 20), 1 << 16);
        }
        Files.setLastModifiedTime(cache, made);
    }

    /** Whether the range {@link #zeroInPlace} zeroes is all zeros. */
    private static boolean allZero(Path cache) throws IOException {
        ByteBuffer range = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(cache, StandardOpenOption.READ)) {
            channel.read(range, 1 << 16);
        }
        return range.flip().equals(ByteBuffer.allocate(1 << 20));
    }

    /**
     * The cache of {@code jvm} once a training wrote it (with the record of what it made beside it, of that size, when
     * {@code recorded}) and let go of its lock; at most 6 minutes.
     */
    private static Path awaitCache(Path jvm, boolean recorded, String on) throws InterruptedException {
        assertTrue(RoarProcess.await(Duration.ofMinutes(6), () -> cacheIn(jvm, recorded).isPresent()
                && names(jvm).stream().noneMatch(n -> n.endsWith(".lock"))), on + "no start-up cache made: " + names(jvm));
        return cacheIn(jvm, recorded).orElseThrow();
    }

    private static Optional<Path> cacheIn(Path jvm, boolean recorded) {
        return names(jvm).stream().filter(n -> (n.endsWith(".jsa") || n.endsWith(".aot")) && !n.startsWith("."))
                .map(jvm::resolve).filter(cache -> {
                    if (!recorded) {
                        return true;
                    }
                    try {
                        Path record = cache.resolveSibling(cache.getFileName() + ".ok");
                        // the record starts with the cache's size
                        return Files.isRegularFile(record)
                                && Long.parseLong(Files.readString(record).trim().split(" ")[0]) == Files.size(cache);
                    } catch (IOException | NumberFormatException e) {
                        return false;
                    }
                }).findFirst();
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
