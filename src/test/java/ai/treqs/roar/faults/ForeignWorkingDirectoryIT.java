package ai.treqs.roar.faults;

import static ai.treqs.roar.faults.ForeignProjectIT.RACES;
import static ai.treqs.roar.faults.ForeignProjectIT.listing;
import static ai.treqs.roar.faults.ForeignProjectIT.stop;
import static ai.treqs.roar.faults.ForeignProjectIT.swap;
import static ai.treqs.roar.testing.TwoUsers.AS_NOBODY;
import static ai.treqs.roar.testing.TwoUsers.NOBODY;
import static ai.treqs.roar.testing.TwoUsers.OTHER;
import static ai.treqs.roar.testing.TwoUsers.chownTree;
import static ai.treqs.roar.testing.TwoUsers.ownedBy;
import static ai.treqs.roar.testing.TwoUsers.victim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * {@code roar reset} and {@code roar init} in the working directory, and with {@code --path}, when another user owns
 * a directory above the project (docs/security.md#a-project-directory-another-user-can-write): that user can exchange
 * the project's name with a link to another directory of the victim's at any moment. roar opened the working
 * directory by its name (twice, for reset: to count and to delete), so it cleared or wrote in that other directory.
 * The victim's roar is started in the real project directory through {@code /proc/PID/cwd} of a process already in
 * it, never through the name being swapped. Needs root and /usr/bin/python3, as {@link ForeignProjectIT}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
        + "which the unprivileged user of this test cannot read (exit 127 before main)")
class ForeignWorkingDirectoryIT {
    @RegisterExtension final TwoUsers users = new TwoUsers("foreign-cwd-");

    @Test
    void resetInTheWorkingDirectoryNeverClearsTheDirectoryItsNameIsSwappedFor() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path important = roar.root().resolve("important"); // another project of the victim's
        Files.createDirectories(important.resolve(".roar"));
        Files.writeString(important.resolve(".roar/lineage.db"), "precious\n");
        chownTree(important, NOBODY);
        List<String> before = listing(important);
        Path shared = ownedBy(Files.createDirectories(users.base().resolve("shared")), OTHER, "rwxrwxrwx");
        Files.createDirectories(shared.resolve("proj/.roar"));
        Files.writeString(shared.resolve("proj/.roar/config.toml"), "# kept\n");
        chownTree(shared.resolve("proj"), NOBODY);
        List<String> outcomes = new ArrayList<>();
        Process holder = new ProcessBuilder("sleep", "600").directory(shared.resolve("proj").toFile()).start();
        try {
            Path here = Path.of("/proc/" + holder.pid() + "/cwd"); // the real project, whatever it is named now
            roar.cwd(here);
            Process swapper = swap(shared, "proj", "lnk", important, false);
            try {
                for (int i = 0; i < RACES; i++) {
                    ownedBy(Files.writeString(here.resolve(".roar/state-" + i), "the victim's state\n"), NOBODY, "rw-r--r--");
                    RoarProcess.Result reset = Faults.run(roar, AS_NOBODY, "reset", "--yes");
                    Faults.assertNoStackTrace(reset, "reset");
                    outcomes.add(reset.exitCode() + " " + (reset.stdout() + reset.stderr()).strip());
                    assertEquals(before, listing(important), "reset cleared the directory the working directory's name was"
                            + " swapped for (race " + i + "): " + reset.stdout() + reset.stderr());
                }
            } finally {
                stop(swapper);
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        Results.row("reset in a working directory whose name another user exchanges with a link to another project", RACES,
                "the other project's .roar/ untouched", 0, 0);
        assertTrue(outcomes.stream().allMatch(o -> o.startsWith("0 Cleared 1 item(s)")), "not every reset cleared: " + outcomes);
    }

    @Test
    void initInTheWorkingDirectoryNeverWritesInTheDirectoryItsNameIsSwappedFor() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path other = Files.createDirectories(roar.root().resolve("other"));
        Files.writeString(other.resolve(".gitignore"), "*.key\n");
        chownTree(other, NOBODY);
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwx------"));
        List<String> before = listing(other);
        Path shared = ownedBy(Files.createDirectories(users.base().resolve("shared")), OTHER, "rwxrwxrwx");
        ownedBy(Files.createDirectories(shared.resolve("proj")), NOBODY, "rwxr-xr-x");
        List<String> outcomes = new ArrayList<>();
        Process holder = new ProcessBuilder("sleep", "600").directory(shared.resolve("proj").toFile()).start();
        try {
            Path here = Path.of("/proc/" + holder.pid() + "/cwd");
            roar.cwd(here);
            Process swapper = swap(shared, "proj", "lnk", other, false);
            try {
                for (int i = 0; i < RACES; i++) {
                    RoarProcess.Result init = Faults.run(roar, AS_NOBODY, "init");
                    Faults.assertNoStackTrace(init, "init");
                    outcomes.add(init.exitCode() + " " + init.stderr().strip());
                    assertEquals(before, listing(other), "init wrote in the directory the working directory's name was swapped"
                            + " for (race " + i + "): " + init.stdout() + init.stderr());
                    deleteTree(here.resolve(".roar"));
                    Files.deleteIfExists(here.resolve(".gitignore"));
                }
            } finally {
                stop(swapper);
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        Results.row("init in a working directory whose name another user exchanges with a link to a 0700 directory", RACES,
                "nothing written there", 0, 0);
        // telemetry's own look-up of the project file may say it changed while it was read (it is read by name): a warning
        assertTrue(outcomes.stream().allMatch(o -> o.startsWith("0 ")), "not every init succeeded: " + outcomes);
    }

    /** {@code --path} through a directory another user owns is refused; the same project as the working directory is reset. */
    @Test
    void resetRefusesAPathAnotherUserCanRedirectAndClearsTheWorkingDirectory() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path shared = ownedBy(Files.createDirectories(users.base().resolve("shared")), OTHER, "rwxrwxrwx");
        Path project = shared.resolve("proj");
        Files.createDirectories(project.resolve(".roar"));
        Files.writeString(project.resolve(".roar/state"), "the victim's state\n");
        chownTree(project, NOBODY);

        RoarProcess.Result named = Faults.run(roar, AS_NOBODY, "reset", "--yes", "--path", project.toString());
        Faults.assertNoStackTrace(named, "reset");
        assertEquals(1, named.exitCode(), named.stdout() + named.stderr());
        assertEquals("roar: reset refused: " + shared + " is owned by uid " + OTHER + ", so another user could point " + project
                + " at another directory; cd into the project directory and leave out --path: roar reset clears only a"
                + " directory whose name nobody else can redirect; nothing was deleted\n", named.stderr());
        assertTrue(Files.exists(project.resolve(".roar/state")));

        RoarProcess.Result here = Faults.run(roar.cwd(project), AS_NOBODY, "reset", "--yes");
        assertEquals(0, here.exitCode(), here.stdout() + here.stderr());
        assertEquals("Cleared 1 item(s) from " + project.resolve(".roar") + "\n", here.stdout());
    }

    /** A project directory one may enter but not list (0711, another owner's) holding the user's own {@code .roar/}. */
    @Test
    void resetClearsTheUsersOwnDotRoarInADirectoryTheyCannotList() throws Exception {
        // as the launcher does: HotSpot's perf data, set up in /tmp/hsperfdata_USER, cannot return to a working directory
        // it may not read (it saves it as open(".")) and leaves the JVM there
        RoarProcess roar = victim(users.base().resolve("victim")).jvmOption("-XX:-UsePerfData");
        Path project = ownedBy(Files.createDirectories(users.base().resolve("p711")), OTHER, "rwx--x--x");
        Path roarDir = Files.createDirectory(project.resolve(".roar"));
        Files.writeString(roarDir.resolve("config.toml"), "# kept\n");
        chownTree(roarDir, NOBODY);
        for (List<String> args : List.of(List.of("reset", "--yes"), List.of("reset", "--yes", "--path", project.toString()))) {
            ownedBy(Files.writeString(roarDir.resolve("state"), "x\n"), NOBODY, "rw-r--r--");
            RoarProcess.Result reset = Faults.run(roar.cwd(project), AS_NOBODY, args.toArray(String[]::new));
            Faults.assertNoStackTrace(reset, "reset");
            assertEquals(0, reset.exitCode(), args + ": " + reset.stdout() + reset.stderr());
            assertEquals("Cleared 1 item(s) from " + roarDir + "\n", reset.stdout(), args.toString());
            assertTrue(Files.exists(roarDir.resolve("config.toml")));
        }
    }

    /**
     * A {@code .roar/} others can write, without config.toml: another user exchanges the config.toml init creates with
     * a FIFO, in a loop. Under umask 077 init sets the new file's mode, through an open that waits for ever on a FIFO.
     */
    @Test
    void initEndsWhenAnotherUserSwapsTheNewConfigForAFifo() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path project = ownedBy(Files.createDirectories(users.base().resolve("proj")), NOBODY, "rwxr-xr-x");
        Path roarDir = ownedBy(Files.createDirectory(project.resolve(".roar")), NOBODY, "rwxrwxrwx");
        List<String> underUmask = new ArrayList<>(AS_NOBODY);
        underUmask.addAll(List.of("sh", "-c", "umask 077 && exec \"$@\"", "sh"));
        List<String> outcomes = new ArrayList<>();
        Process swapper = startFifoSwapper(roarDir);
        try {
            for (int i = 0; i < FIFO_RACES; i++) {
                RoarProcess.Result init = Faults.run(roar.cwd(project), underUmask, "init", "--no-gitignore");
                Faults.assertNoStackTrace(init, "init");
                outcomes.add(init.exitCode() + " " + init.stderr().strip());
                assertTrue(init.exitCode() == 0 || init.stderr().contains("config.toml was replaced by"), init.stdout() + init.stderr());
                Files.deleteIfExists(roarDir.resolve("config.toml"));
            }
        } finally {
            stop(swapper);
        }
        Results.row("init while another user exchanges the new config.toml with a FIFO (umask 077)", FIFO_RACES,
                "every init ends (done, or refused in words)", 0, 0);
    }

    private static final int FIFO_RACES = 20;

    private static Process startFifoSwapper(Path dir) throws IOException, InterruptedException {
        String loop = """
                import ctypes, os, sys
                libc = ctypes.CDLL(None, use_errno=True)
                os.chdir(sys.argv[1])
                while True:
                    if not os.path.lexists("fifo"):
                        try:
                            os.mkfifo("fifo", 0o666)
                        except OSError:
                            pass
                    for _ in range(2000):
                        libc.renameat2(-100, b"config.toml", -100, b"fifo", 2)
                """;
        Process swapper = new ProcessBuilder("setpriv", "--reuid=" + OTHER, "--regid=" + OTHER, "--clear-groups",
                "/usr/bin/python3", "-c", loop, dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(100);
        assertTrue(swapper.isAlive(), "the FIFO swap loop did not start");
        return swapper;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
