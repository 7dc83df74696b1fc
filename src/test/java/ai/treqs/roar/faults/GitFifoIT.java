package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * A repository whose {@code .gitattributes}, {@code .git/info/exclude}, {@code .git/index}, the branch's ref file or
 * {@code .git/packed-refs} is a FIFO: git opens it
 * and waits for a writer that never comes, so {@code roar run} sat out the 30 s bound of every git call. roar looks
 * at the files git opens at the top level before it starts git, and does not start it when one is a FIFO
 * (docs/host-commands.md#checks-before-starting-in-this-order): the job runs at once with a one-line warning.
 * A {@code git} first on PATH leaves a mark when it is started.
 */
class GitFifoIT {
    @TempDir Path root;

    @Test
    void aFifoGitWouldOpenIsNotGivenToGitAndTheJobRunsWithAWarning() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path mark = root.resolve("git-started");
        Path git = bin.resolve("git");
        Files.writeString(git, "#!/bin/sh\n: > '" + mark + "'\nexec " + TestGit.path() + " \"$@\"\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        roar.env("PATH", bin + ":" + roar.environment().get("PATH"));

        for (String fifo : List.of(".gitattributes", ".git/info/exclude", ".git/index", "branch", ".git/packed-refs")) {
            Path repo = repository(root.resolve("repo-" + fifo.replace('/', '-')));
            if (fifo.equals("branch")) { // the file of the branch HEAD names (refs/heads/master or main)
                fifo = ".git/" + Files.readString(repo.resolve(".git/HEAD")).strip().substring("ref: ".length());
            }
            Files.deleteIfExists(repo.resolve(fifo));
            Files.createDirectories(repo.resolve(fifo).getParent());
            assertEquals(0, new ProcessBuilder("mkfifo", repo.resolve(fifo).toString()).inheritIO().start().waitFor());
            Files.deleteIfExists(mark);

            RoarProcess.Result run = Faults.run(roar.cwd(repo), "run", "--", "true");
            assertEquals(0, run.exitCode(), fifo + ": " + run.stderr());
            assertEquals("roar: warning: uncommitted changes not checked: " + repo.resolve(fifo)
                    + " is a FIFO, socket or device, not a regular file, and git would wait on it\n", run.stderr(), fifo);
            RoarProcess.Result allowed = Faults.run(roar, "run", "--allow-dirty", "--", "true");
            assertEquals(0, allowed.exitCode(), allowed.stderr());
            assertEquals("", allowed.stderr(), fifo + ": --allow-dirty makes no check and says nothing");
            RoarProcess.Result init = Faults.run(roar, "init");
            assertEquals(0, init.exitCode(), fifo + ": " + init.stderr());
            assertFalse(Files.exists(mark), fifo + ": git was started");
            Results.row("a repository's " + fifo + " is a FIFO", 3, "git not started; run goes on with a warning, in "
                    + run.wall().toMillis() + " ms", 0, 0);
        }
    }

    /** A committed repository whose tracked file's stat data changed since, so git would look at its attributes. */
    private static Path repository(Path repo) throws Exception {
        TestGit.repository(repo);
        Files.setLastModifiedTime(repo.resolve("f.txt"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        return repo;
    }
}
