package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Descriptors 3 to 9 the user gives {@code roar run} reach its child (docs/host-commands.md#what-the-child-gets): the
 * JVM closes them all in a process it starts, so {@code 3>file} failed with "Bad file descriptor" and a recipe
 * {@code +roar run -- $(MAKE)} under {@code make -j2} lost GNU make 4.3's jobserver pipes. The launcher records
 * them and the child's shell opens them again; a descriptor that was closed stays closed, as it does directly.
 */
@NativeSkips.JvmOnly("the launcher records the descriptors; the native executable runs without it")
class ChildDescriptorsIT {
    @TempDir Path root;

    @Test
    void aFileOnDescriptor3AndOneOn4ReachTheChildAndAClosedOneStaysClosed() throws Exception {
        RoarProcess roar = throughLauncher(root);
        Path out = root.resolve("fd3.out");
        Files.writeString(roar.workDir().resolve("in.txt"), "from-fd4\n");
        RoarProcess.Result run = shell(roar, "exec \"$@\" 3>'" + out + "' 4<in.txt",
                "run", "--allow-dirty", "--", "sh", "-c", "echo to-fd3 >&3; cat <&4");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("from-fd4\n", run.stdout());
        assertEquals("to-fd3\n", Files.readString(out), "what the child wrote to descriptor 3");

        RoarProcess.Result closed = shell(roar, "exec \"$@\" 3>&-", "run", "--allow-dirty", "--", "sh", "-c", "echo x >&3");
        assertEquals(2, closed.exitCode(), "a closed descriptor stays closed, as for the command alone: " + closed.stderr());
    }

    @Test
    void aRecursiveMakeUnderRoarRunKeepsMakesJobserver() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/make")), "no make here");
        RoarProcess roar = throughLauncher(root);
        Path wrapper = root.resolve("roar-here");
        StringBuilder line = new StringBuilder("#!/bin/sh\nexec");
        roar.command().forEach(word -> line.append(" '").append(word).append('\''));
        Files.writeString(wrapper, line + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(roar.workDir().resolve("Makefile"),
                "all:\n\t+@" + wrapper + " run --allow-dirty -- $(MAKE) -s sub\nsub:\n\t@echo sub-ran\n");
        ProcessBuilder make = roar.builder().command("/usr/bin/make", "-s", "-j2");
        RoarProcess.Result run = Faults.finish(make, "make -j2");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("sub-ran\n", run.stdout());
        assertFalse(run.stderr().contains("jobserver unavailable"), run.stderr());
    }

    private static RoarProcess throughLauncher(Path root) throws Exception {
        Path javaHome = Path.of(RoarProcess.javaBinary()).toRealPath().getParent().getParent();
        return new RoarProcess(root).launcher(RoarProcess.launcherScript()).env("JAVA_HOME", javaHome.toString())
                .env("ROAR_NO_JVM_CACHE", "1").env("DO_NOT_TRACK", "1");
    }

    private static RoarProcess.Result shell(RoarProcess roar, String script, String... args) throws Exception {
        ProcessBuilder builder = roar.builder(args);
        List<String> line = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        line.addAll(builder.command());
        return Faults.finish(builder.command(line), String.join(" ", args));
    }
}
