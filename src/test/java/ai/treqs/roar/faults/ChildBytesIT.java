package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The child of {@code roar run} gets the user's bytes and signal mask (docs/host-commands.md#what-the-child-gets):
 * under the POSIX locale a Latin-1 file name works as it does for the command run directly, an environment
 * value that is not UTF-8 arrives byte for byte, and SIGQUIT is not blocked (JDK 17 blocks it in every Java
 * thread, and JDKs before 20 passed that mask on). The bytes are made by {@code sh}'s printf, never by Java
 * text, which could not hold them.
 */
class ChildBytesIT {
    /** Runs {@code roar args... LAST} where LAST and the variable V are raw bytes only a shell can make here. */
    private static final String WITH_RAW_BYTES = "V=\"$(printf 'a\\351b')\" exec \"$@\" \"$(printf 'caf\\351.txt')\"";

    @TempDir Path root;

    @Test
    void underThePosixLocaleTheChildGetsTheUsersBytesAndAnUnblockedSigquit() throws Exception {
        RoarProcess roar = posix(new RoarProcess(root.resolve("direct")));
        check(roar, "");
    }

    @Test
    @NativeSkips.JvmOnly("the launcher starts the JVM build; the native executable runs without it")
    void throughTheLauncherToo() throws Exception {
        for (String jdk : List.of("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/temurin-25-jdk-amd64")) {
            if (!Files.isExecutable(Path.of(jdk, "bin/java"))) {
                continue;
            }
            RoarProcess roar = posix(new RoarProcess(root.resolve(Path.of(jdk).getFileName())))
                    .launcher(RoarProcess.launcherScript()).env("JAVA_HOME", jdk).env("ROAR_NO_JVM_CACHE", "1");
            check(roar, jdk + ": ");
        }
    }

    @Test
    @NativeSkips.JvmOnly("the launcher starts the JVM build; the native executable runs without it")
    void inALocaleWhoseCharactersEndInABackslashTheChildGetsTheUsersBytes() throws Exception {
        // Shift_JIS "表示" (95 5C 8E A6) and "ソ" (83 5C): not UTF-8, so the launcher's JVM runs in C.UTF-8 and roar
        // rebuilds them in a shell, whose multibyte pattern matching in the user's locale returned other memory
        Path locales = Files.createDirectories(root.resolve("locales"));
        Process made = new ProcessBuilder("localedef", "-f", "SHIFT_JIS", "-i", "ja_JP", locales.resolve("ja_JP.SJIS").toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("localedef.log").toFile()).start();
        Assumptions.assumeTrue(made.waitFor() <= 1 && Files.isDirectory(locales.resolve("ja_JP.SJIS")), "localedef cannot make ja_JP.SJIS here");
        RoarProcess roar = new RoarProcess(root.resolve("sjis")).launcher(RoarProcess.launcherScript())
                .env("DO_NOT_TRACK", "1").env("ROAR_NO_JVM_CACHE", "1").env("LOCPATH", locales.toString()).env("LC_ALL", "ja_JP.SJIS");
        List<String> line = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" \"$(printf '\\225\\134\\216\\246')\" \"$(printf '\\203\\134')\"", "sh"));
        line.addAll(roarCommand(roar, "run", "--", "/bin/sh", "-c", "printf '%s|%s' \"$1\" \"$2\" | od -An -tx1 | tr -s ' \\n' ' '", "sh"));
        RoarProcess.Result run = Faults.finish(roar.builder().command(line).directory(roar.workDir().toFile()), "run in Shift_JIS");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(" 95 5c 8e a6 7c 83 5c ", run.stdout(), run.stderr());
    }

    private static RoarProcess posix(RoarProcess roar) {
        return roar.without("LANG").env("DO_NOT_TRACK", "1");
    }

    private void check(RoarProcess roar, String where) throws Exception {
        Path work = roar.workDir();
        // a Latin-1 name, as an old archive or a Windows share gives it: made with raw bytes by the shell
        new ProcessBuilder("sh", "-c", "printf 'hello\\n' > \"$(printf 'caf\\351.txt')\"").directory(work.toFile()).start().waitFor();

        RoarProcess.Result direct = shell(roar, work, List.of("sh", "-c", "exec cat \"$1\"", "sh"));
        assertEquals("hello\n", direct.stdout(), where + "cat run directly: " + direct.stderr());
        RoarProcess.Result cat = shell(roar, work, roarCommand(roar, "run", "--", "cat"));
        assertEquals(0, cat.exitCode(), where + cat.stderr());
        assertEquals("hello\n", cat.stdout(), where + "the same through roar run: " + cat.stderr());

        RoarProcess.Result env = shell(roar, work, roarCommand(roar, "run", "--", "sh", "-c",
                "printf %s \"$V\" | od -An -tx1 | tr -d ' \\n'; printf ' %s ' \"$1\" | od -An -tx1 | tr -d ' \\n'; echo;"
                        + " grep SigBlk /proc/self/status", "child"));
        assertEquals(0, env.exitCode(), where + env.stderr());
        List<String> lines = env.stdout().lines().toList();
        assertEquals("61e962" + "20636166e92e74787420", lines.get(0), where + "V and the argument, byte for byte");
        assertEquals("SigBlk:\t0000000000000000", lines.get(1), where + "no signal blocked in the child");
    }

    private static List<String> roarCommand(RoarProcess roar, String... args) {
        return roar.builder(args).command();
    }

    private static RoarProcess.Result shell(RoarProcess roar, Path work, List<String> command) throws Exception {
        List<String> line = new ArrayList<>(List.of("sh", "-c", WITH_RAW_BYTES, "sh"));
        line.addAll(command);
        ProcessBuilder builder = roar.builder().command(line).directory(work.toFile());
        return Faults.finish(builder, String.join(" ", command));
    }
}
