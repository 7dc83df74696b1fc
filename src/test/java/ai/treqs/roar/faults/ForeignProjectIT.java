package ai.treqs.roar.faults;

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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * {@code roar reset} and {@code roar init} in a project directory another user can write
 * (docs/security.md#a-project-directory-another-user-can-write): while the victim's roar works there, the other user
 * swaps a name for a symbolic link to a directory of the victim's, thousands of times a second (renameat2
 * RENAME_EXCHANGE, from python3's ctypes). roar deleted by full path, so it followed the link and deleted the victim's
 * files elsewhere; init set modes and created config.toml by path, so it made a private directory of the victim's
 * readable by all. Needs root (to be two users) and /usr/bin/python3; skipped with a message otherwise.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
        + "which the unprivileged user of this test cannot read (exit 127 before main)")
class ForeignProjectIT {
    static final int RACES = 20;
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /**
     * The other user's loop: in {@code dir}, exchange {@code name} and {@code link} (one a directory, the other a link to
     * {@code target}) for ever; with {@code refill}, make the directory again when roar removed it, holding files of theirs named as the victim's
     * (names are easy to guess: {@code .bashrc}, {@code id_rsa}), so that roar, having listed theirs, deletes the victim's by path.
     */
    private static final String SWAPPER = """
            import ctypes, os, stat, sys
            libc = ctypes.CDLL(None, use_errno=True)
            d, name, link, target, refill = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "refill"
            os.chdir(d)
            def kind(p):
                try:
                    return "link" if stat.S_ISLNK(os.lstat(p).st_mode) else "dir"
                except OSError:
                    return None
            while True:
                try:
                    kinds = [kind(name), kind(link)]
                    if refill and "dir" not in kinds:
                        slot = name if kinds[0] != "link" else link
                        if kind(slot) is None:
                            os.mkdir(slot)
                            os.chmod(slot, 0o777)
                            for i in range(10):
                                open(slot + "/important-" + str(i), "w").close()
                    kinds = [kind(name), kind(link)]
                    if "link" not in kinds:
                        os.symlink(target, link if kinds[1] is None else name)
                except OSError:
                    pass
                for _ in range(2000):
                    libc.renameat2(-100, name.encode(), -100, link.encode(), 2)
            """;

    @RegisterExtension final TwoUsers users = new TwoUsers("foreign-project-");

    /**
     * A shared project whose {@code .roar/} is the victim's but writable by all (umask 000, a team directory): the
     * other user swaps {@code .roar/sub} for a link to the victim's own directory while the victim resets.
     */
    @Test
    void resetNeverDeletesThroughALinkAnotherUserSwapsIntoTheProject() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path important = victimsFiles(roar.root().resolve("important"));
        List<String> before = listing(important);
        Path project = ownedBy(Files.createDirectories(users.base().resolve("project")), OTHER, "rwxrwxrwx");
        Path roarDir = ownedBy(Files.createDirectory(project.resolve(".roar")), NOBODY, "rwxrwxrwx");
        ownedBy(Files.writeString(roarDir.resolve("config.toml"), "# kept\n"), NOBODY, "rw-r--r--");

        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < RACES; i++) {
            // inside .roar/, then .roar itself exchanged with a link (the project directory is the other user's)
            boolean inside = i % 2 == 0;
            if (!inside) {
                ownedBy(Files.writeString(roarDir.resolve("state-" + i), "the victim's own state\n"), NOBODY, "rw-r--r--");
            }
            Process swapper = swap(inside ? roarDir : project, inside ? "sub" : ".roar", inside ? "sublink" : "roarlink", important,
                    inside);
            RoarProcess.Result reset;
            try {
                reset = Faults.run(roar, AS_NOBODY, "reset", "--yes", "--path", project.toString());
            } finally {
                stop(swapper);
            }
            Faults.assertNoStackTrace(reset, "reset");
            outcomes.add(reset.exitCode() + " " + (reset.stdout() + reset.stderr()).strip());
            assertEquals(before, listing(important), "reset deleted the victim's files through the other user's link (race " + i
                    + "): " + reset.stdout() + reset.stderr());
            if (!inside && Files.isSymbolicLink(project.resolve(".roar"))) {
                Files.move(project.resolve(".roar"), project.resolve("roarlink.tmp")); // the real .roar back in its place
                Files.move(project.resolve("roarlink"), project.resolve(".roar"));
                Files.move(project.resolve("roarlink.tmp"), project.resolve("roarlink"));
            }
        }
        Results.row("reset while another user exchanges .roar/sub, or .roar, with a link to the victim's directory", RACES,
                "none of the victim's files deleted", 0, 0);
        assertTrue(outcomes.stream().anyMatch(o -> o.startsWith("0 Cleared")), "no reset went through: " + outcomes);
    }

    @Test
    void resetRefusesADotRoarAnotherUserOwnsAndDeletesNothing() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path important = victimsFiles(roar.root().resolve("important"));
        Path project = ownedBy(Files.createDirectories(users.base().resolve("project")), OTHER, "rwxr-xr-x");
        Path roarDir = ownedBy(Files.createDirectory(project.resolve(".roar")), OTHER, "rwxrwxrwx");
        ownedBy(Files.writeString(roarDir.resolve("state.db"), "theirs\n"), OTHER, "rw-rw-rw-");
        Path link = Files.createSymbolicLink(roarDir.resolve("data"), important);
        Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);
        List<String> theirs = listing(roarDir);
        List<String> mine = listing(important);

        RoarProcess.Result reset = Faults.run(roar, AS_NOBODY, "reset", "--yes", "--path", project.toString());
        Faults.assertNoStackTrace(reset, "reset");
        assertEquals(1, reset.exitCode(), reset.stdout() + reset.stderr());
        assertEquals("roar: reset refused: " + roarDir + " is owned by uid " + OTHER
                + ": roar reset deletes only in a .roar/ of your own; nothing was deleted\n", reset.stderr());
        assertEquals("", reset.stdout());
        assertEquals(theirs, listing(roarDir), "reset changed another user's .roar/");
        assertEquals(mine, listing(important));
    }

    /**
     * The other user's project: the victim runs roar init there while the other user exchanges the {@code .roar} the
     * victim just made with a link to a private (0700) directory of the victim's.
     */
    @Test
    void initNeitherWritesNorChangesModesThroughALinkAnotherUserSwapsIn() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path secret = victimsFiles(roar.root().resolve("secret"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
        List<String> before = listing(secret);
        Path project = ownedBy(Files.createDirectories(users.base().resolve("project")), OTHER, "rwxrwxrwx");
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < RACES; i++) {
            Process swapper = swap(project, ".roar", "roarlink", secret, false);
            RoarProcess.Result init;
            try {
                init = Faults.run(roar, AS_NOBODY, "init", "--no-gitignore", "--path", project.toString());
            } finally {
                stop(swapper);
            }
            Faults.assertNoStackTrace(init, "init");
            outcomes.add(init.exitCode() + " " + init.stderr().strip());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                    "init changed the mode of the victim's directory through the other user's link (race " + i + ")");
            assertEquals(before, listing(secret), "init wrote into the victim's directory (race " + i + ")");
            for (String name : List.of(".roar", "roarlink")) {
                Path p = project.resolve(name);
                if (Files.isSymbolicLink(p)) {
                    Files.delete(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> all = Files.list(p)) {
                        for (Path f : all.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(p);
                }
            }
        }
        Results.row("init while another user exchanges the new .roar with a link to a 0700 directory of the victim's", RACES,
                "no mode changed, nothing written there", 0, 0);
    }

    /** Ten files of the victim's in {@code dir}, which the victim owns. */
    static Path victimsFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("important-" + i), "the victim's own file " + i + "\n");
        }
        chownTree(dir, NOBODY);
        return dir;
    }

    /** Starts the other user's exchange loop; it runs until {@link #stop}. */
    static Process swap(Path dir, String name, String link, Path target, boolean refill) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON + " for the other user's renameat2 loop");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + OTHER, "--regid=" + OTHER, "--clear-groups",
                PYTHON.toString(), "-c", SWAPPER, dir.toString(), name, link, target.toString(), refill ? "refill" : "once"));
        Process swapper = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(100); // under way before roar starts
        assertTrue(swapper.isAlive(), "the swap loop did not start");
        return swapper;
    }

    static void stop(Process swapper) throws InterruptedException {
        swapper.destroyForcibly();
        swapper.waitFor(10, TimeUnit.SECONDS);
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.sorted().map(p -> {
                try {
                    String what = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p).strip()
                            : Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : "dir";
                    return dir.relativize(p) + " uid=" + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + " " + what;
                } catch (IOException e) {
                    return dir.relativize(p) + " unreadable";
                }
            }).toList();
        }
    }
}
