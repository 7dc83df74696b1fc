package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The programs roar itself starts (git for the dirty check of {@code roar run} and the tracked check of {@code roar
 * init}) never come from the working directory, a repository someone else may have written: with {@code PATH} unset
 * Java searches {@code :/bin:/usr/bin}, the working directory first, and an empty or relative entry names it too.
 * And git runs without roar's controlling terminal, so that {@code [include] path = /dev/tty} cannot read what the
 * user types for the job (docs/security.md#a-cloned-repository-anyone-who-can-get-you-to-cd-into-a-directory).
 */
class HelperProgramsIT {
    @TempDir Path root;

    @Test
    void aGitInTheWorkingDirectoryIsNeverStarted() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        Path repo = TestGit.repository(root.resolve("repo"));
        Path planted = root.resolve("planted-git-ran");
        script(repo.resolve("git"), ": > '" + planted + "'\n");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path absolute = root.resolve("absolute-git-ran");
        script(bin.resolve("git"), ": > '" + absolute + "'\nexec " + TestGit.path() + " \"$@\"\n");
        roar.cwd(repo);

        String path = roar.environment().get("PATH");
        roar.without("PATH");
        assertEquals(0, Faults.run(roar, "run", "--", "/bin/true").exitCode());
        assertEquals(0, Faults.run(roar, "init").exitCode());
        assertFalse(Files.exists(planted), "PATH unset: the repository's ./git ran");

        for (String relative : List.of(":", ".:", "./:")) {
            roar.env("PATH", relative + bin + ":" + path);
            Files.deleteIfExists(absolute);
            RoarProcess.Result run = Faults.run(roar, "run", "--", "/bin/true");
            assertEquals(0, run.exitCode(), run.stderr());
            assertFalse(Files.exists(planted), "PATH " + relative + "...: the repository's ./git ran");
            assertTrue(Files.exists(absolute), "PATH " + relative + "...: the git of the first absolute entry did not run");
        }
    }

    /**
     * The user's command is looked up as a shell looks it up: with {@code PATH} unset, in {@code /bin:/usr/bin}
     * (docs/host-commands.md#the-child), never first in the working directory, on JDK 17 (started through
     * {@code env}) and on JDK 20 and later (started directly) alike.
     */
    @Test
    @NativeSkips.JvmOnly("the launcher starts the JVM build; the native executable runs without it")
    void withPathUnsetTheUsersCommandIsNotTakenFromTheWorkingDirectory() throws Exception {
        for (String jdk : List.of("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/temurin-25-jdk-amd64")) {
            if (!Files.isExecutable(Path.of(jdk, "bin/java"))) {
                continue;
            }
            RoarProcess roar = Faults.install(root.resolve(Path.of(jdk).getFileName()), "").without("PATH")
                    .launcher(RoarProcess.launcherScript()).env("JAVA_HOME", jdk).env("ROAR_NO_JVM_CACHE", "1");
            Path planted = roar.root().resolve("planted-true-ran");
            script(roar.workDir().resolve("true"), ": > '" + planted + "'\nexit 3\n");
            RoarProcess.Result run = Faults.run(roar, "run", "--", "true");
            assertEquals(0, run.exitCode(), jdk + ": " + run.stderr());
            assertFalse(Files.exists(planted), jdk + ": the working directory's ./true ran, not /bin/true");
        }
    }

    /**
     * The launcher's own programs (find, readlink, mkdir, stat, ...) and the java it finds on {@code PATH} never come
     * from an empty or relative {@code PATH} entry; the JVM still gets the user's {@code PATH} as it was.
     */
    @Test
    @NativeSkips.JvmOnly("the launcher starts the JVM build; the native executable runs without it")
    void theLaunchersOwnProgramsAndJavaNeverComeFromTheWorkingDirectory() throws Exception {
        RoarProcess roar = Faults.install(root, "").launcher(RoarProcess.launcherScript()).without("JAVA_HOME");
        Path planted = root.resolve("planted-ran");
        for (String name : List.of("bash", "find", "readlink", "mkdir", "stat", "wc", "mktemp", "id", "java", "env", "rm", "touch")) {
            script(roar.workDir().resolve(name), "echo " + name + " >> '" + planted + "'\nexit 3\n");
        }
        String userPath = ".:" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin";
        roar.env("PATH", userPath);
        RoarProcess.Result run = Faults.run(roar, "run", "--", "/bin/sh", "-c", "printf %s \"$PATH\"");
        assertEquals(0, run.exitCode(), run.stderr());
        assertFalse(Files.exists(planted), () -> "the working directory's programs ran: " + read(planted));
        assertEquals(userPath, run.stdout(), "the job did not get the user's PATH");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void gitHasNoControllingTerminal() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        Path repo = TestGit.repository(root.resolve("repo"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path gitSaw = root.resolve("git-saw");
        script(bin.resolve("git"), "if (: </dev/tty) 2>/dev/null; then echo terminal; else echo none; fi >> '" + gitSaw
                + "'\nexec " + TestGit.path() + " \"$@\"\n");
        roar.env("PATH", bin + ":" + roar.environment().get("PATH")).cwd(repo);
        Path jobSaw = root.resolve("job-saw");

        RoarProcess.Result run = onTerminal(roar, "run", "--", "sh", "-c",
                "if (: </dev/tty) 2>/dev/null; then echo terminal; else echo none; fi > '" + jobSaw + "'");
        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals("terminal\n", Files.readString(jobSaw), "the test gave roar no terminal: it proves nothing");
        assertEquals("none\nnone\n", Files.readString(gitSaw), "a git call had roar's controlling terminal");

        TestGit.run(repo, "config", "include.path", "/dev/tty");
        Files.delete(jobSaw);
        RoarProcess.Result included = onTerminal(roar, "run", "--", "sh", "-c", "echo job > '" + jobSaw + "'");
        assertEquals(0, included.exitCode(), included.stdout());
        assertEquals("job\n", Files.readString(jobSaw));
        Results.row("a repository's config includes /dev/tty", 3, "git cannot open it; run goes on in "
                + included.wall().toMillis() + " ms", 0, 0);
    }

    /** {@code roar args...} on a pseudo-terminal of its own (util-linux script), as a user at a terminal starts it. */
    private static RoarProcess.Result onTerminal(RoarProcess roar, String... args) throws Exception {
        ProcessBuilder builder = roar.builder(args);
        StringBuilder line = new StringBuilder();
        for (String word : builder.command()) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        builder.command("script", "-qfec", line.toString(), "/dev/null");
        return Faults.finish(builder, String.join(" ", args));
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
