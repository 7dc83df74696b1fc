package ai.treqs.roar.faults;

import static ai.treqs.roar.testing.TwoUsers.AS_NOBODY;
import static ai.treqs.roar.testing.TwoUsers.NOBODY;
import static ai.treqs.roar.testing.TwoUsers.OTHER;
import static ai.treqs.roar.testing.TwoUsers.ownedBy;
import static ai.treqs.roar.testing.TwoUsers.victim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.Fifos;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * What another user who owns a directory above the victim's work (a {@code .roar/} of theirs in a shared 1777
 * parent, like {@code /tmp/.roar}) can put at the project file, or at the {@code .gitignore} of a directory both can
 * write (docs/security.md#files-another-user-can-swap): a FIFO, or a link to a FIFO or to one of the victim's own
 * files. None of it is read, none of it makes roar wait, and none of it switches the victim's telemetry off. The
 * victim, {@code nobody}, runs roar; needs root (to be two users), skipped with a message otherwise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
        + "which the unprivileged user of this test cannot read (exit 127 before main)")
class SwappedProjectFileIT {
    @RegisterExtension final TwoUsers users = new TwoUsers("swapped-project-file-");

    @Test
    void whatAnotherUserPutsAtTheProjectFileIsIgnoredAtOnce() throws Exception {
        Path shared = Files.createDirectories(users.base().resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path dotRoar = ownedBy(Files.createDirectory(shared.resolve(".roar")), OTHER, "rwxr-xr-x");
        Path work = ownedBy(Files.createDirectory(shared.resolve("work")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = victim(users.base().resolve("victim")).cwd(work);
        // the victim's own files, somewhere the other user can name but not change: a dotfile and a FIFO
        Path bashrc = ownedBy(Files.writeString(roar.root().resolve("bashrc"), "export PS1='$ '\n"), NOBODY, "rw-r--r--");
        Path victimsFifo = ownedBy(Fifos.mkfifo(roar.root().resolve("fifo")), NOBODY, "rw-r--r--");
        Path file = dotRoar.resolve("config.toml");

        Map<String, PlantedAs> plants = new LinkedHashMap<>();
        plants.put("their FIFO", () -> ownedBy(Fifos.mkfifo(file), OTHER, "rw-r--r--"));
        plants.put("their link to the victim's dotfile", () -> theirLink(file, bashrc));
        plants.put("their link to the victim's FIFO", () -> theirLink(file, victimsFifo));
        for (Map.Entry<String, PlantedAs> plant : plants.entrySet()) {
            Files.deleteIfExists(file);
            plant.getValue().plant();
            RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
            String what = plant.getKey() + ": " + status.stdout() + status.stderr();
            assertEquals(0, status.exitCode(), what);
            assertTrue(status.stdout().contains("Telemetry: enabled"), what);
            assertFalse(status.stdout().contains("project_config_invalid"), what);
            assertTrue(status.stderr().contains(file + ": ignored, it is not owned by the current user"), what);
            Faults.assertNoStackTrace(status, plant.getKey());
        }
        Results.row("another uid's .roar/config.toml above the work: a FIFO, their link to the victim's dotfile or FIFO",
                plants.size(), "ignored with a warning at once; the victim's telemetry stays as set (not project_config_invalid)", 0, 0);
    }

    @Test
    void initNeverWaitsOnAFifoAnotherUserPutAtTheGitignore() throws Exception {
        // a directory both can write (sticky, the other user's), with their FIFO as .gitignore
        Path team = ownedBy(Files.createDirectories(users.base().resolve("team")), OTHER, "rwxrwxrwx");
        Files.setAttribute(team, "unix:mode", 01777);
        ownedBy(Fifos.mkfifo(team.resolve(".gitignore")), OTHER, "rw-rw-rw-");
        RoarProcess roar = victim(users.base().resolve("victim")).cwd(team);

        RoarProcess.Result init = Faults.run(roar, AS_NOBODY, "init");
        assertEquals(1, init.exitCode(), init.stdout() + init.stderr());
        assertEquals(1, init.stderr().strip().lines().count(), init.stderr());
        assertTrue(init.stderr().contains(team.resolve(".gitignore") + " is not a regular file"), init.stderr());
        assertFalse(Files.exists(team.resolve(".roar"), LinkOption.NOFOLLOW_LINKS), "a refusal writes nothing");
        Faults.assertNoStackTrace(init, "init with another user's FIFO .gitignore");
        Results.row("another uid's FIFO as .gitignore where roar init runs", 1, "refused in one line (exit 1) at once, nothing written", 0, 0);
    }

    @Test
    void anotherUsersRoarLinkDecidesNothing() throws Exception {
        Path shared = Files.createDirectories(users.base().resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path work = ownedBy(Files.createDirectory(shared.resolve("work")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = victim(users.base().resolve("victim")).cwd(work);
        Path victimsRoar = victimsProject(roar.root().resolve("project"), "[telemetry]\nenabled = false\n");
        Path victimsFifoDir = ownedBy(Files.createDirectory(roar.root().resolve("fifo-dir")), NOBODY, "rwxr-xr-x");
        ownedBy(Fifos.mkfifo(victimsFifoDir.resolve("config.toml")), NOBODY, "rw-r--r--");
        Path dotRoar = shared.resolve(".roar");

        Map<String, Path> targets = new LinkedHashMap<>();
        targets.put("their .roar link to the victim's own .roar (enabled = false)", victimsRoar);
        targets.put("their .roar link to a directory of the victim's holding the victim's FIFO config.toml", victimsFifoDir);
        for (Map.Entry<String, Path> target : targets.entrySet()) {
            Files.deleteIfExists(dotRoar);
            theirLink(dotRoar, target.getValue());
            RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
            assertIgnoredAtOnce(status, dotRoar.resolve("config.toml"), target.getKey());
        }
        Results.row("another uid's .roar link above the work, to the victim's own .roar or to a directory with the victim's FIFO",
                targets.size(), "ignored with a warning at once; the victim's telemetry stays as set (before: project_disabled, project_config_invalid)", 0, 0);
    }

    @Test
    void anotherUsersRoarLinkSwappedToAFifoNeverMakesRoarWait() throws Exception {
        Path shared = Files.createDirectories(users.base().resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path work = ownedBy(Files.createDirectory(shared.resolve("work")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = victim(users.base().resolve("victim")).cwd(work);
        Path victimsRoar = victimsProject(roar.root().resolve("project"), "[telemetry]\nenabled = false\n");
        Path alt = ownedBy(Files.createDirectory(shared.resolve("alt")), OTHER, "rwxr-xr-x");
        ownedBy(Fifos.mkfifo(alt.resolve("config.toml")), OTHER, "rw-rw-rw-");
        Path dotRoar = theirLink(shared.resolve(".roar"), victimsRoar);
        // the other user points their .roar at the victim's .roar and at their FIFO's directory, in turn, all along
        AtomicBoolean swapping = new AtomicBoolean(true);
        Thread swapper = new Thread(() -> {
            for (int i = 0; swapping.get(); i++) {
                try {
                    Path next = theirLink(shared.resolve(".roar-next"), i % 2 == 0 ? alt : victimsRoar);
                    Files.move(next, dotRoar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "swapper");
        swapper.setDaemon(true);
        swapper.start();
        int runs = 6;
        try {
            for (int run = 0; run < runs; run++) {
                RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
                assertIgnoredAtOnce(status, dotRoar.resolve("config.toml"), "run " + run);
            }
        } finally {
            swapping.set(false);
            swapper.join();
        }
        Results.row("another uid's .roar link above the work, swapped between the victim's .roar and a directory with their FIFO",
                runs, "ignored with a warning every time, never a wait (before: did not open within 2 s, or project_disabled)", 0, 0);
    }

    /** Telemetry as the victim set it (on), one "not owned" warning for {@code file}, no bound reached. */
    private static void assertIgnoredAtOnce(RoarProcess.Result status, Path file, String what) {
        String all = what + ": " + status.stdout() + status.stderr();
        assertEquals(0, status.exitCode(), all);
        assertTrue(status.stdout().contains("Telemetry: enabled"), all);
        assertFalse(status.stdout().contains("project_disabled") || status.stdout().contains("project_config_invalid"), all);
        assertFalse(status.stderr().contains("did not open within"), all);
        assertTrue(status.stderr().contains(file + ": ignored, it is not owned by the current user"), all);
        Faults.assertNoStackTrace(status, what);
    }

    /** The victim's own {@code .roar} (directory and file theirs) with {@code content}; the {@code .roar} returned. */
    private static Path victimsProject(Path project, String content) throws Exception {
        Path dir = Files.createDirectories(project.resolve(".roar"));
        Files.writeString(dir.resolve("config.toml"), content);
        TwoUsers.chownTree(project, NOBODY);
        return dir;
    }

    /** A link made by the other user (the link itself is theirs) to {@code target}. */
    private static Path theirLink(Path link, Path target) throws Exception {
        Files.createSymbolicLink(link, target);
        Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(link, "unix:gid", OTHER, LinkOption.NOFOLLOW_LINKS);
        return link;
    }

    private interface PlantedAs {
        Path plant() throws Exception;
    }
}
