package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * How {@code roar run} starts a command one of whose arguments the JVM cannot hold as text
 * (docs/host-commands.md#what-the-child-gets): through {@code /bin/sh} and {@code env}. An inherited variable
 * whose name starts with {@code -} is never an option of {@code env} (one named {@code -S...} ran another command
 * line in place of the user's); a 40 KB argument or variable runs as it does directly (every byte was written as
 * four, past the kernel's 128 KiB bound for one string); and the child starts in the directory roar was started
 * in even when its name changes while git checks the tree. The raw bytes are made by {@code sh}'s printf.
 */
class ChildCommandLineIT {
    /**
     * Runs {@code roar args... LAST}, LAST a Latin-1 file name (raw bytes only a shell can make here), with the
     * entries before it added to its environment by env(1) (a shell drops a variable whose name is not a shell name).
     */
    private static final String WITH_RAW_NAME = "exec /usr/bin/env -- \"$@\" \"$(printf 'caf\\351.txt')\"";

    @TempDir Path root;

    @Test
    void aVariableNamedLikeAnOptionOfEnvIsPassedOnAndTheUsersCommandRuns() throws Exception {
        RoarProcess roar = new RoarProcess(root).env("DO_NOT_TRACK", "1");
        Path injected = root.resolve("injected");
        // first in the child's environment as Java's HashMap orders it: alone in its bucket 0 among 4096
        String name = firstInBucketZero("-S/bin/sh -c ': > " + injected + "' #");
        for (int i = 0; roar.environment().size() < 1700; i++) {
            if ((spread("F" + i) & 4095) != 0) {
                roar.env("F" + i, "1");
            }
        }
        assertEquals(List.of(), roar.environment().keySet().stream().filter(n -> (spread(n) & 4095) == 0).toList(),
                "the option-like name is the only one in bucket 0");
        latin1File(roar.workDir());

        RoarProcess.Result run = shell(roar, List.of(name + "="), "run", "--allow-dirty", "--", "grep", "-h", "-a", "-z", "-c", "-e", "^-S/bin/sh",
                "/proc/self/environ");
        assertFalse(Files.exists(injected), "env took the variable's name for -S and ran its command line: " + run.stderr());
        assertEquals("1\n0\n", run.stdout(), "the user's command, with the variable: " + run.stderr());
        assertEquals(0, run.exitCode(), run.stderr());
    }

    @Test
    void variablesTheShellWouldReadSetOrDropReachTheCommandUnchanged() throws Exception {
        RoarProcess roar = new RoarProcess(root).env("DO_NOT_TRACK", "1");
        latin1File(roar.workDir());
        List<String> entries = new ArrayList<>(List.of("IFS=:", "SHELLOPTS=noexec", "BASH_FUNC_printf%%=() { echo other; }", "a.b=1",
                "OLDPWD=/old"));
        // bash's own variables, which bash -p drops or sets for itself
        List<String> bashOwn = List.of("RANDOM", "LINENO", "PS1", "BASH_VERSION", "PPID", "OPTIND", "EPOCHSECONDS", "BASH_ARGV0");
        bashOwn.forEach(name -> entries.add(name + "=the user's"));
        List<String> grep = new ArrayList<>(List.of("run", "--allow-dirty", "--", "grep", "-h", "-a", "-z", "-c", "-e", "^IFS=:$",
                "-e", "^SHELLOPTS=noexec$", "-e", "^BASH_FUNC_printf%%=() { echo other; }$", "-e", "^a\\.b=1$", "-e", "^OLDPWD=/old$",
                "-e", "^_="));
        bashOwn.forEach(name -> grep.addAll(List.of("-e", "^" + name + "=the user's$")));
        grep.add("/proc/self/environ");
        RoarProcess.Result run = shell(roar, entries, grep.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals((5 + bashOwn.size()) + "\n0\n", run.stdout(), "each as it was, and no _ the shell set: " + run.stderr());
    }

    @Test
    void aVariableWhoseNameIsNotTextOrNotAShellNameReachesTheCommandOnceAsItCame() throws Exception {
        // the form npm and pnpm take a registry's token in: through the shell route it must not be given on a command line
        RoarProcess roar = new RoarProcess(root).env("DO_NOT_TRACK", "1");
        latin1File(roar.workDir());
        ProcessBuilder builder = roar.builder("run", "--allow-dirty", "--", "grep", "-h", "-a", "-z", "-c", "-e", "NAME=1$",
                "-e", "^npm_config_//registry/:_authToken=npm-token$", "/proc/self/environ");
        List<String> line = new ArrayList<>(List.of("sh", "-c",
                "exec /usr/bin/env -- \"$(printf '\\377\\376NAME=1')\" 'npm_config_//registry/:_authToken=npm-token' \"$@\" "
                        + "\"$(printf 'caf\\351.txt')\"", "sh")); // sh drops such names: env gives them
        line.addAll(builder.command());
        RoarProcess.Result run = Faults.finish(builder.command(line).directory(roar.workDir().toFile()), "run with a raw name");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("2\n0\n", run.stdout(), "each once (a name that is not text came twice, once as U+FFFD): " + run.stderr());
    }

    @Test
    void aFortyKilobyteArgumentOrVariableRunsAsItDoesDirectly() throws Exception {
        RoarProcess roar = new RoarProcess(root).env("DO_NOT_TRACK", "1");
        String big = " ".repeat(40_000) + "x";
        RoarProcess.Result arg = shell(roar, List.of(), "run", "--allow-dirty", "--", "sh", "-c", "echo ${#1} ${#2}", "sh", big);
        assertEquals(0, arg.exitCode(), arg.stderr());
        assertEquals("40001 8\n", arg.stdout(), "the command ran with both arguments");

        roar.env("BIGVAR", big);
        RoarProcess.Result variable = shell(roar, List.of(), "run", "--allow-dirty", "--", "sh", "-c", "echo ${#BIGVAR} ${#1}", "sh");
        assertEquals(0, variable.exitCode(), variable.stderr());
        assertEquals("40001 8\n", variable.stdout(), "the command ran with the variable");
    }

    @Test
    void theChildStartsInRoarsDirectoryEvenWhenItsNameChangesDuringTheGitCheck() throws Exception {
        RoarProcess roar = new RoarProcess(root).env("DO_NOT_TRACK", "1");
        Path repo = TestGit.repository(root.resolve("repo"));
        Path moved = root.resolve("moved");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path git = bin.resolve("git");
        // the first git call renames the repository away and leaves an empty directory of the same name
        Files.writeString(git, "#!/bin/sh\nif [ ! -e '" + moved + "' ]; then mv '" + repo + "' '" + moved + "' && mkdir '" + repo
                + "'; fi\nexec " + TestGit.path() + " \"$@\"\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        roar.env("PATH", bin + ":" + roar.environment().get("PATH")).cwd(repo);

        RoarProcess.Result run = Faults.run(roar, "run", "--", "/bin/pwd", "-P");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(moved.toRealPath() + "\n", run.stdout(), "the child started in the directory roar was started in");
    }

    private static void latin1File(Path dir) throws Exception {
        assertEquals(0, new ProcessBuilder("sh", "-c", ": > \"$(printf 'caf\\351.txt')\"").directory(dir.toFile()).start().waitFor());
    }

    private static RoarProcess.Result shell(RoarProcess roar, List<String> entries, String... args) throws Exception {
        ProcessBuilder builder = roar.builder(args);
        List<String> line = new ArrayList<>(List.of("sh", "-c", WITH_RAW_NAME, "sh"));
        line.addAll(entries);
        line.addAll(builder.command());
        return Faults.finish(builder.command(line).directory(roar.workDir().toFile()), String.join(" ", args));
    }

    /** {@code prefix} and a number, in bucket 0 of every HashMap of up to 65536 buckets. */
    private static String firstInBucketZero(String prefix) {
        for (int i = 0; ; i++) {
            if ((spread(prefix + i) & 0xffff) == 0) {
                return prefix + i;
            }
        }
    }

    /** HashMap's bucket bits of a key. */
    private static int spread(String key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }
}
