package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RuntimeKindTest {
    @Test
    void onTheJvmItIsNotANativeImage() {
        assertFalse(RuntimeKind.isNativeImage());
    }

    @Test
    void theRunningJvmIsDescribedByItsJavaBinaryAndArguments() {
        RelaunchCommand.Running running = RuntimeKind.current(Path.of("/somewhere"));
        assertFalse(running.nativeImage());
        assertTrue(Path.of(running.executable()).getFileName().toString().startsWith("java"), running.executable());
        assertEquals(Path.of("/somewhere"), running.workingDirectory());
    }

    @Test
    void aNativeExecutableIsRelaunchedByItsOwnPathAndNothingElse() {
        RelaunchCommand.Running running = new RelaunchCommand.Running(true, "/opt/roar/bin/roar",
                List.of("run", "--", "java", "-jar", "x.jar"), Path.of("/work"));
        assertEquals(Optional.of(List.of("/opt/roar/bin/roar", RelaunchCommand.UPLOAD_SUBCOMMAND)),
                RelaunchCommand.of(running, Optional.empty()));
    }

    @Test
    void aNativeExecutableHasNoJavaHomeAndThatIsNoError() {
        RelaunchCommand.Running named = RuntimeKind.describe(true, Optional.of("/opt/roar/bin/roar"), null,
                () -> { throw new AssertionError("a native executable has no JVM options"); }, null, null, Path.of("/w"));
        assertEquals("/opt/roar/bin/roar", named.executable());
        RelaunchCommand.Running unnamed = RuntimeKind.describe(true, Optional.empty(), null, List::of, null, null, Path.of("/w"));
        assertEquals("/proc/self/exe", unnamed.executable());
    }

    @Test
    void withoutJavaHomeTheCurrentProcessIsStillDescribed() {
        // Optional.orElse evaluated Path.of(null) eagerly and threw, as in a native executable
        String javaHome = System.getProperty("java.home");
        try {
            System.clearProperty("java.home");
            RuntimeKind.current(Path.of("/w"));
        } finally {
            System.setProperty("java.home", javaHome);
        }
    }

    @Test
    void theCommandLineComesFromTheJvmNotFromTheOperatingSystem() {
        String longArgs = "x".repeat(9000);
        RelaunchCommand.Running running = RuntimeKind.describe(false, Optional.empty(), "/jdk",
                () -> List.of("-Xmx64m", "-agentlib:jdwp=transport=dt_socket"), "app/quarkus-run.jar",
                "app/quarkus-run.jar run -- echo " + longArgs, Path.of("/w"));
        assertEquals(Optional.of(List.of("/jdk/bin/java", "-XX:Flags=/dev/null", "-XX:CompileCommandFile=/dev/null",
                "-XX:ErrorFile=/dev/null", "-XX:ReplayDataFile=/dev/null", "-XX:+DisableAttachMechanism",
                "-Xmx64m", "-jar", "/w/app/quarkus-run.jar", RelaunchCommand.UPLOAD_SUBCOMMAND)),
                RelaunchCommand.of(running, Optional.empty()));
    }

    @Test
    void aMainClassOnAClassPathIsNotRelaunched() {
        RelaunchCommand.Running running = RuntimeKind.describe(false, Optional.empty(), "/jdk", List::of,
                "target/classes:lib/a.jar", "ai.treqs.Main run", Path.of("/w"));
        assertEquals(Optional.empty(), RelaunchCommand.of(running, Optional.empty()));
        assertEquals(Optional.empty(), RuntimeKind.launcherJar("lib.jar", "lib.jarfoo.Main"));
    }

    @Test
    void theJvmOptionsAreReadWholeFromTheKernelsCommandLineUpToTheJar() {
        String longArg = "y".repeat(9000);
        byte[] cmdline = String.join("\0", "/jdk/bin/java", "-Xmx64m", "-XX:+UseSerialGC", "-jar", "/app/quarkus-run.jar",
                "run", "--", "echo", longArg, "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(List.of("-Xmx64m", "-XX:+UseSerialGC"), RuntimeKind.optionsBeforeJar(cmdline));
        assertEquals(List.of(), RuntimeKind.optionsBeforeJar("/jdk/bin/java\0-cp\0a.jar\0Main\0".getBytes()),
                "a main class on a class path is not relaunched this way");
        assertEquals(List.of(), RuntimeKind.optionsBeforeJar(new byte[0]));
    }
}
