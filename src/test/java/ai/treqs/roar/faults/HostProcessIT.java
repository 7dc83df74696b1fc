package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#odd-places-the-host: the child of {@code roar run} and roar's own process in odd places: closed
 * descriptors, SIGHUP and SIGQUIT sent for real, commands that are missing or not executable (JDK 17 and
 * 25), and a command line of 8 KB.
 */
@ExtendWith(AwaitUploaders.class)
class HostProcessIT {
    @TempDir Path root;

    /** A started roar: its process (the JVM itself: the shell and the launcher exec) and where its output goes. */
    private record Started(Process process, Path out, Path err, RoarProcess roar) {
        RoarProcess.Result finish() throws Exception {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "roar did not finish");
            return new RoarProcess.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), Duration.ZERO);
        }
    }

    /** {@code roar args} on {@code jdk}, through the source launcher or as {@code java -jar}, with {@code redirect} applied by a shell. */
    private Started start(Path jdk, boolean launcher, String endpoint, String redirect, String... args) throws Exception {
        Path dir = root.resolve((launcher ? "launcher-" : "jar-") + HostRig.name(jdk) + "-" + System.nanoTime());
        RoarProcess roar = Faults.install(dir, endpoint).env("JAVA_HOME", jdk.toString());
        // these cases are about roar's own process and its child: no background uploader (a native one starts in
        // milliseconds and could still be writing into the install when the temporary directory is removed)
        Faults.recentFailedAttempt(roar);
        if (launcher) {
            // these cases are about descriptors and signals, not the start-up cache: a training started in the
            // background of every case would only load the machine (DistributionIT tests the cache)
            roar.launcher(HostRig.launcher(dir.resolve("install"))).env("ROAR_NO_JVM_CACHE", "1");
        }
        ProcessBuilder builder = roar.builder(args);
        List<String> command = new ArrayList<>(List.of("/bin/bash", "-c", "exec \"$@\" " + redirect, "roar"));
        command.addAll(builder.command());
        if (!launcher && !RoarProcess.isNative()) {
            command.set(4, jdk.resolve("bin/java").toString());
        }
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process process = builder.command(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(process, out, err, roar);
    }

    /** Through the launcher and as {@code java -jar}; natively the executable itself, with no launcher. */
    private static List<Boolean> launchers() {
        return RoarProcess.isNative() ? List.of(false) : List.of(true, false);
    }

    private RoarProcess.Result run(Path jdk, boolean launcher, String redirect, String... args) throws Exception {
        return start(jdk, launcher, "http://127.0.0.1:9/unused", redirect, args).finish();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aClosedDescriptorReachesTheChildAsDevNullNeverAsAJvmFile() throws Exception {
        int trials = 0;
        for (Path jdk : HostRig.runtimes()) {
            for (boolean launcher : launchers()) {
                String how = (launcher ? "launcher" : "java -jar") + " on " + HostRig.name(jdk);
                RoarProcess.Result cat = run(jdk, launcher, "<&-", "run", "--", "cat");
                assertEquals(0, cat.exitCode(), how + ": " + cat.stderr());
                assertEquals("", cat.stdout(), how + ": cat with stdin closed printed a file");
                RoarProcess.Result in = run(jdk, launcher, "<&-", "run", "--", "readlink", "/proc/self/fd/0");
                assertEquals("/dev/null\n", in.stdout(), how + ": stdin " + in.stderr());
                RoarProcess.Result out = run(jdk, launcher, ">&-", "run", "--", "sh", "-c", "fd=$(readlink /proc/$$/fd/1); echo \"$fd\" >&2");
                assertEquals("/dev/null\n", out.stderr(), how + ": stdout");
                RoarProcess.Result err = run(jdk, launcher, "2>&-", "run", "--", "readlink", "/proc/self/fd/2");
                assertEquals("/dev/null\n", err.stdout(), how + ": stderr");
                trials += 4;
            }
        }
        Results.row("host: roar run with stdin, stdout or stderr closed (launcher and java -jar, JDK 17 and 25)", trials,
                "the child got /dev/null for the closed one each time; cat with stdin closed printed nothing", 0, 0);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void sighupIsForwardedAndRecordedAsAnInterruption() throws Exception {
        Path child = Files.writeString(root.resolve("child.sh"), """
                trap 'echo hup > "$1.got"; exit 7' HUP
                echo $$ > "$1.tmp" && mv "$1.tmp" "$1.ready"
                while :; do sleep 0.05; done
                """);
        List<String> outcomes = new ArrayList<>();
        for (Path jdk : HostRig.runtimes()) {
            Path marker = root.resolve("marker-" + HostRig.name(jdk));
            Started roar = start(jdk, !RoarProcess.isNative(), "http://127.0.0.1:9/unused", "", "run", "--", "sh", child.toString(), marker.toString());
            assertTrue(RoarProcess.await(Duration.ofSeconds(60), () -> Files.exists(Path.of(marker + ".ready"))), "the child never started");
            long childPid = Long.parseLong(Files.readString(Path.of(marker + ".ready")).trim());
            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(roar.process().pid())).start().waitFor());
            RoarProcess.Result result = roar.finish();
            assertEquals(7, result.exitCode(), "roar exits with the child's code: " + result.stderr());
            assertTrue(Files.exists(Path.of(marker + ".got")), "the child never got the hangup");
            assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), "the child still runs");
            Map<String, Object> counters = counters(roar.roar());
            assertEquals(1L, ((Number) counters.get("run_failed_interrupted")).longValue(), counters.toString());
            outcomes.add(HostRig.name(jdk) + ": exit 7 (the child's), child got SIGHUP, recorded run_failed_interrupted");
        }
        Results.row("host: SIGHUP sent to roar run (the terminal closed), through the launcher", outcomes.size(),
                String.join("; ", outcomes), 0, 0);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void sigquitPrintsNoThreadDumpOnStdout() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (Path jdk : HostRig.runtimes()) {
            Path marker = root.resolve("quit-" + HostRig.name(jdk));
            Started roar = start(jdk, !RoarProcess.isNative(), "http://127.0.0.1:9/unused", "", "run", "--", "sh", "-c",
                    "echo ready; touch \"$0\"; sleep 1.5; echo done", marker.toString());
            assertTrue(RoarProcess.await(Duration.ofSeconds(60), () -> Files.exists(marker)), "the child never started");
            assertEquals(0, new ProcessBuilder("kill", "-QUIT", Long.toString(roar.process().pid())).start().waitFor());
            RoarProcess.Result result = roar.finish();
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals("ready\ndone\n", result.stdout(), "stdout holds the child's output only");
            // the JVM's thread dump goes to stderr (the launcher shows JVM output there, never hides it: a JVM that
            // cannot start must say why); natively there is none
            assertFalse(RoarProcess.isNative() && result.stderr().contains("thread dump"), result.stderr());
            outcomes.add(HostRig.name(jdk) + ": stdout exactly the child's 2 lines; stderr: "
                    + (result.stderr().contains("Full thread dump") ? "the JVM's thread dump" : result.stderr().isEmpty() ? "empty" : "other"));
        }
        Results.row("host: SIGQUIT sent to roar run, through the launcher", outcomes.size(), String.join("; ", outcomes), 0, 0);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void missingOrNotExecutableIsDecidedFromTheFileOnEveryJdk() throws Exception {
        int trials = 0;
        for (Path jdk : HostRig.runtimes()) {
            for (String[] c : List.of(new String[] {"./not-executable", "126", "permission denied"},
                    new String[] {"./a-directory", "126", "is a directory"},
                    new String[] {"./missing", "127", "no such file or directory"},
                    new String[] {"no-such-command-anywhere", "127", "command not found"},
                    new String[] {"tool-not-executable-on-path", "126", "permission denied"})) {
                RoarProcess.Result result = runIn(jdk, c[0]);
                assertEquals(Integer.parseInt(c[1]), result.exitCode(), HostRig.name(jdk) + " " + c[0] + ": " + result.stderr());
                assertEquals("roar: cannot run '" + c[0] + "': " + c[2] + "\n", result.stderr(), HostRig.name(jdk) + " " + c[0]);
                trials++;
            }
        }
        Results.row("host: roar run of a missing or not-executable command, java -jar on JDK 17 and 25", trials,
                "126 for a file that is not executable (in the working directory or on PATH) or a directory, 127 for "
                        + "a missing path or name, the same on every JDK, with the reason in words", 0, 0);
    }

    /** {@code roar run -- command} as java -jar on {@code jdk}, in a working directory holding the cases' files. */
    private RoarProcess.Result runIn(Path jdk, String command) throws Exception {
        Path dir = root.resolve("exec-" + HostRig.name(jdk) + "-" + System.nanoTime());
        RoarProcess roar = Faults.install(dir, "http://127.0.0.1:9/unused");
        Faults.recentFailedAttempt(roar); // no background uploader, as in start()
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("tool-not-executable-on-path"), "#!/bin/sh\necho should not run\n");
        Files.writeString(roar.workDir().resolve("not-executable"), "#!/bin/sh\necho should not run\n");
        Files.setPosixFilePermissions(roar.workDir().resolve("not-executable"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(roar.workDir().resolve("a-directory"));
        roar.env("PATH", bin + ":" + roar.environment().get("PATH"));
        ProcessBuilder builder = roar.builder("run", "--", command);
        if (!RoarProcess.isNative()) {
            builder.command().set(0, jdk.resolve("bin/java").toString());
        }
        return Faults.finish(builder, "run -- " + command);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eightKilobytesOfArgumentsStillStartTheUploader() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root.resolve("long"), collector.url("/long"));
            List<String> args = new ArrayList<>(List.of("run", "--", "true"));
            for (int i = 0; args.stream().mapToInt(a -> a.length() + 1).sum() < 8192; i++) {
                args.add("argument-" + i + "-" + "x".repeat(40));
            }
            RoarProcess.Result result = roar.run(args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), result.stderr());
            // the foreground's part is to start the uploader; one delivered event shows it ran with the right command
            // the uploader is a new JVM: on a loaded 2-core machine its start alone can take tens of seconds
            assertTrue(RoarProcess.await(Duration.ofSeconds(150), () -> !collector.requests().isEmpty()),
                    "no uploader delivered anything: it was never started; roar said: " + result.stderr()
                            + "; last-attempt: " + (Files.exists(roar.cache().resolve("last-attempt"))
                            ? Files.readString(roar.cache().resolve("last-attempt")) : "none")
                            + "; queue: " + Faults.queued(roar).size());
            Results.row("host: roar run with 8 KB of arguments (java -jar)", 1,
                    "the uploader started and delivered " + collector.requests().size() + " request(s) to a loopback collector", 0, 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counters(RoarProcess roar) throws Exception {
        return (Map<String, Object>) Faults.stats(roar).get("subcommand_counts");
    }
}
