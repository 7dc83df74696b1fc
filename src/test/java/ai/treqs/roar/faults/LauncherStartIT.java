package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * What the launcher ({@code src/main/launcher/roar}) meets before the JVM starts (docs/security.md#the-inherited-environment,
 * docs/security.md#the-jvm-the-launcher-starts): the bash environment it inherits, a working directory the JVM cannot
 * name, a {@code JAVA_HOME} it must not trust, and a Java without a {@code release} file, which it asks for its version.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@NativeSkips.JvmOnly("about the launcher script and the JVM it starts; the native executable has neither")
class LauncherStartIT {
    /** The JVM options every JVM the launcher starts gets (docs/security.md#the-jvm-the-launcher-starts). */
    private static final List<String> GUARDS = List.of("-XX:Flags=/dev/null", "-XX:CompileCommandFile=/dev/null",
            "-XX:+DisableAttachMechanism", "-XX:-UsePerfData", "-XX:ErrorFile=", "-XX:ReplayDataFile=");

    @TempDir Path root;

    /** A user of the test's JDK through a copy of the launcher, in a working directory of its own; no uploader, no cache. */
    private RoarProcess user(String name) throws IOException {
        Path dir = root.resolve(name);
        return Faults.install(dir, "http://127.0.0.1:9/unused").launcher(HostRig.launcher(dir.resolve("install")))
                .env("JAVA_HOME", System.getProperty("java.home")).env("DO_NOT_TRACK", "1").env("ROAR_NO_JVM_CACHE", "1");
    }

    @Test
    void anInheritedBashEnvironmentChangesNothingTheLauncherDoesAndReachesTheChildAsItWas() throws Exception {
        RoarProcess roar = user("bash-env");
        Path ran = Files.createDirectory(roar.root().resolve("ran"));
        Path bashEnv = Files.writeString(roar.root().resolve("bash-env.sh"), "/usr/bin/touch '" + ran + "/BASH_ENV'\n");
        roar.env("BASH_ENV", bashEnv.toString()).env("ENV", bashEnv.toString());
        // exported functions named as the launcher's programs and builtins: a non-privileged bash runs them instead
        for (String command : List.of("find", "readlink", "mkdir", "stat", "id", "printf", "env")) {
            roar.env("BASH_FUNC_" + command + "%%", "() { /usr/bin/touch '" + ran + "/" + command + "'; }");
        }
        roar.env("SHELLOPTS", "xtrace").env("BASHOPTS", "nullglob").env("CDPATH", roar.root().toString()).env("GLOBIGNORE", "*")
                .env("EXECIGNORE", "/usr/bin/*").env("POSIXLY_CORRECT", "1").env("BASH_COMPAT", "3.2")
                // names the launcher uses for its own variables: the user's, not the launcher's, reach the child
                .env("dir", "the user's dir").env("jar", "the user's jar").env("opts", "-x");

        RoarProcess.Result run = roar.run("run", "--", "env");
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        assertEquals("", run.stderr(), "the launcher's shell spoke (xtrace from SHELLOPTS?)");
        assertEquals(List.of(), names(ran), "the launcher ran BASH_ENV or a function from the environment");
        List<String> child = List.of(run.stdout().split("\n"));
        for (Map.Entry<String, String> e : roar.environment().entrySet()) {
            assertTrue(child.contains(e.getKey() + "=" + e.getValue()), "the child's " + e.getKey() + " is not the user's:\n" + run.stdout());
        }
        for (String bashOwn : List.of("SHLVL=", "_=")) {
            assertFalse(child.stream().anyMatch(line -> line.startsWith(bashOwn)), "bash's own " + bashOwn + " reached the child");
        }
    }

    @Test
    void anEnvironmentNearTheKernelsLimitStartsAsTheCommandWouldWithoutRoar() throws Exception {
        RoarProcess roar = user("big-env");
        // 9 x 120 kB: under ARG_MAX (2 MB) once, over it if the launcher handed it on twice (as arguments and as env's own)
        String big = "x".repeat(120_000);
        for (int i = 1; i <= 9; i++) {
            roar.env("BIG" + i, big);
        }
        RoarProcess.Result run = roar.run("run", "--", "/bin/sh", "-c", "printf '%s' \"$BIG9\" | wc -c");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("120000", run.stdout().trim());
    }

    @Test
    void theEnvironmentNeverAppearsOnACommandLineOtherUsersCanRead() throws Exception {
        RoarProcess roar = user("cmdline").env("AWS_SECRET_ACCESS_KEY", "the-victims-key").env("a.b", "not an identifier")
                .env("dir", "named as a launcher variable");
        List<String> env = new ArrayList<>();
        roar.environment().forEach((k, v) -> env.add(k + "=" + v));
        // xtrace shows every command the launcher runs with its arguments: what /proc/<pid>/cmdline shows everyone
        RoarProcess.Result run = HostRig.bash("cd \"$1\" && exec /bin/bash -p -x \"$2\" run -- /usr/bin/env", env,
                roar.root().toString(), roar.command().get(0));
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(List.of(run.stdout().split("\n")).containsAll(List.of("AWS_SECRET_ACCESS_KEY=the-victims-key",
                "a.b=not an identifier", "dir=named as a launcher variable")), run.stdout());
        List<String> launched = run.stderr().lines().filter(line -> line.startsWith("+ exec /usr/bin/env") || line.startsWith("+ exec env")).toList();
        assertEquals(1, launched.size(), run.stderr());
        assertFalse(launched.get(0).contains("the-victims-key"), "the environment was put on env's command line: " + launched);
    }

    @Test
    void runAsBashRoarFromPathTheLauncherNeverTakesAnApplicationFromTheWorkingDirectory() throws Exception {
        RoarProcess roar = user("bash-roar");
        // a repository holding what the launcher looks for beside itself
        Path planted = Files.createDirectories(roar.root().resolve("quarkus-app"));
        Files.writeString(planted.resolve("quarkus-run.jar"), "not the application");
        Path launcher = Path.of(roar.command().get(0));
        List<String> env = new ArrayList<>();
        roar.environment().forEach((k, v) -> env.add(k.equals("PATH") ? "PATH=" + launcher.getParent() + ":" + v : k + "=" + v));
        // bash finds the bare name on PATH itself: $0 is then "roar", which names nothing in the working directory
        RoarProcess.Result run = HostRig.bash("cd \"$1\" && exec /bin/bash \"$2\" --version", env, roar.root().toString(),
                launcher.getFileName().toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().startsWith("roar "), run.stdout() + run.stderr());
    }

    @Test
    void inAPidNamespaceWhoseProcIsTheHostsTheJvmGetsItsOwnEnvironment() throws Exception {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root to make a pid namespace");
        Assumptions.assumeTrue(HostRig.bash("exec unshare --pid --fork /bin/true", List.of("PATH=/usr/bin:/bin")).exitCode() == 0,
                "unshare cannot make a pid namespace here");
        RoarProcess roar = user("pid-namespace").env("ROAR_TEST_MARKER", "the user's");
        List<String> env = new ArrayList<>();
        roar.environment().forEach((k, v) -> env.add(k + "=" + v));
        // without --mount-proc the launcher is pid 1 of the new namespace, while /proc/1 is the host's first process
        RoarProcess.Result run = HostRig.bash("cd \"$1\" && exec /usr/bin/unshare --pid --fork \"$2\" run -- env", env,
                roar.root().toString(), roar.command().get(0));
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(List.of(run.stdout().split("\n")).contains("ROAR_TEST_MARKER=the user's"),
                "the child did not get the user's environment:\n" + run.stdout());
    }

    @Test
    void aDeletedWorkingDirectoryOrOneLongerThanPathMaxIsOneLineAndExit1() throws Exception {
        RoarProcess roar = user("cwd");
        List<String> env = new ArrayList<>();
        roar.environment().forEach((k, v) -> env.add(k + "=" + v));
        Path gone = Files.createDirectory(roar.root().resolve("gone"));
        RoarProcess.Result deleted = HostRig.bash("cd \"$1\" && rmdir \"$1\" && exec \"$2\" --version", env,
                gone.toString(), roar.command().get(0));
        assertEquals(1, deleted.exitCode(), deleted.stderr());
        assertEquals("", deleted.stdout());
        // bash itself says "shell-init: error retrieving current directory" first: it looks before any script runs
        assertTrue(deleted.stderr().endsWith("\nroar: the working directory no longer exists (it was deleted): change to another directory\n"),
                deleted.stderr());
        assertFalse(deleted.stderr().contains("initialization of VM"), deleted.stderr());
        Faults.assertNoStackTrace(deleted, "a deleted working directory");

        Path deep = Files.createDirectory(roar.root().resolve("deep"));
        try {
            RoarProcess.Result tooLong = HostRig.bash("cd \"$1\" && name=$(printf 'd%.0s' $(seq 99)) && "
                    + "for i in $(seq 45); do mkdir \"$name\" && cd \"$name\" || exit 9; done && exec \"$2\" --version", env,
                    deep.toString(), roar.command().get(0));
            assertEquals(1, tooLong.exitCode(), tooLong.stderr());
            assertEquals("", tooLong.stdout());
            assertTrue(tooLong.stderr().matches("roar: the working directory's path is \\d{4} bytes, longer than the 4095 Java "
                    + "accepts: change to a directory with a shorter path\n"), tooLong.stderr());
        } finally {
            // JUnit's clean-up cannot name a path that long; rm walks it relative to each directory
            HostRig.bash("rm -rf -- \"$1\"", List.of("PATH=/usr/bin:/bin"), deep.toString());
        }
    }

    @Test
    void aRelativeJavaHomeIsRefusedBeforeAnythingRuns() throws Exception {
        RoarProcess roar = user("relative");
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
    void aJavaWithoutAReleaseFileIsAskedWithTheGuardsEveryJvmGets() throws Exception {
        RoarProcess roar = user("no-release");
        // a JAVA_HOME with no release file, whose bin/java runs the real one and writes down how it was started
        Path jdk = Files.createDirectories(roar.root().resolve("jdk-without-release/bin")).getParent();
        Path starts = roar.root().resolve("java-starts.txt");
        Path probeOutput = roar.root().resolve("probe-output.txt");
        Path java = Files.writeString(jdk.resolve("bin/java"), "#!/bin/bash\n"
                + "printf '%s\\n' \"$*\" >> '" + starts + "'\n"
                + "[[ \" $* \" == *' -version '* ]] || exec '" + RoarProcess.javaBinary() + "' \"$@\"\n"
                + "'" + RoarProcess.javaBinary() + "' \"$@\" 2>&1 | tee -a '" + probeOutput + "'; exit \"${PIPESTATUS[0]}\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = roar.workDir();
        Files.writeString(repo.resolve(".hotspotrc"), "+PrintVMOptions\n");
        Files.writeString(repo.resolve(".hotspot_compiler"), "print *.*\n");

        RoarProcess.Result version = roar.env("JAVA_HOME", jdk.toString()).run("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        assertTrue(version.stdout().startsWith("roar "), version.stdout());
        assertEquals("", version.stderr());
        List<String> started = Files.readAllLines(starts);
        assertEquals(2, started.size(), "the version probe and roar itself: " + started);
        for (String args : started) {
            for (String guard : GUARDS) {
                assertTrue((" " + args).contains(" " + guard), "a JVM started without " + guard + ": " + args);
            }
        }
        String probe = Files.readString(probeOutput);
        assertTrue(probe.contains("java.version = "), probe);
        assertFalse(probe.contains("hotspotrc"), "the probe looked at the repository's .hotspotrc: " + probe);
        assertEquals(List.of(".hotspot_compiler", ".hotspotrc"), names(repo), "files written into the repository");
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
