package ai.treqs.roar.faults;

import static ai.treqs.roar.testing.TwoUsers.AS_NOBODY;
import static ai.treqs.roar.testing.TwoUsers.NOBODY;
import static ai.treqs.roar.testing.TwoUsers.OTHER;
import static ai.treqs.roar.testing.TwoUsers.chownTree;
import static ai.treqs.roar.testing.TwoUsers.ownedBy;
import static ai.treqs.roar.testing.TwoUsers.victim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code roar telemetry --disable}, {@code --enable} and {@code --endpoint} in a shared (1777) {@code CACHE_HOME}
 * or {@code CONFIG_HOME} where another user made {@code roar/} first
 * (docs/security.md#names-in-shared-directories-and-directories-another-user-made): the directory is not the
 * victim's, so nothing in it may be read, written or deleted, and nothing it points to either. Other commands
 * obey that rule ({@code OtherUserIT}); {@code --disable} does not: it follows the other user's
 * {@code roar/telemetry} link into a directory of the victim's, deletes the victim's files there and writes its
 * own, and in a planted directory it deletes the other user's queue and writes files of its own; and the three
 * commands rewrite any file of the victim's that the other user's {@code roar/global.toml} link points to.
 * Needs root (to be two users); skipped with a message otherwise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
        + "which the unprivileged user of this test cannot read (exit 127 before main)")
class SharedDirectoriesIT {

    @RegisterExtension final TwoUsers users = new TwoUsers("shared-directories-");

    @Test
    void disableNeverDeletesOrWritesThroughALinkAnotherUserPlantedInASharedCache() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        // a directory of the victim's own, holding files that happen to have the names roar uses
        Path mine = Files.createDirectories(roar.root().resolve("my-data"));
        Files.createDirectories(mine.resolve("queue"));
        for (String name : List.of("stats.json", "sent.jsonl", "last-attempt", "queue/results.json")) {
            Files.writeString(mine.resolve(name), "the victim's own " + name + "\n");
        }
        chownTree(mine, NOBODY);
        List<String> before = listing(mine);

        // the shared cache: the other user made roar/ first and put a link to the victim's directory in it
        Path shared = Files.createDirectories(users.base().resolve("shared-cache"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path planted = ownedBy(Files.createDirectory(shared.resolve("roar")), OTHER, "rwxrwxrwx");
        Path link = Files.createSymbolicLink(planted.resolve("telemetry"), mine);
        Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);

        RoarProcess.Result disable = Faults.run(roar.env("XDG_CACHE_HOME", shared.toString()), AS_NOBODY, "telemetry", "--disable");
        Faults.assertNoStackTrace(disable, "--disable");
        assertEquals(before, listing(mine), "--disable deleted or wrote files of the victim's through the other user's link: "
                + disable.stdout() + disable.stderr());
        Results.row("--disable with CACHE_HOME/roar made by another uid, roar/telemetry a link to a directory of the victim's", 5,
                "nothing deleted or written through the link", 0, 0);
    }

    /**
     * The user's opt-out cannot be made to vanish or say otherwise by another user: a CONFIG_HOME below a directory
     * they own (they could rename it away), or a global.toml that links to a file in a directory of theirs, fails
     * closed instead of reading as absent or as what they wrote.
     */
    @Test
    void anOptOutAnotherUserCouldRemoveOrRewriteFailsClosed() throws Exception {
        Path theirs = ownedBy(Files.createDirectories(users.base().resolve("theirs")), OTHER, "rwxr-xr-x");
        RoarProcess below = victim(theirs.resolve("victim"));
        RoarProcess.Result renamed = Faults.run(below, AS_NOBODY, "telemetry", "--status");
        Faults.assertNoStackTrace(renamed, "--status");
        assertTrue(renamed.stdout().startsWith("Telemetry: disabled"), "no global.toml below another user's directory: "
                + renamed.stdout());

        RoarProcess linked = victim(users.base().resolve("victim"));
        Path dot = ownedBy(Files.createDirectories(users.base().resolve("dotfiles")), OTHER, "rwxr-xr-x");
        Path target = ownedBy(Files.writeString(dot.resolve("roar.toml"),
                "[telemetry]\nenabled = true\nendpoint = \"http://127.0.0.1:9/theirs\"\n"), NOBODY, "rw-r--r--");
        Files.createDirectories(linked.globalConfig().getParent());
        chownTree(linked.root().resolve("config"), NOBODY);
        Path link = Files.createSymbolicLink(linked.globalConfig(), target);
        Files.setAttribute(link, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        RoarProcess.Result rewritten = Faults.run(linked, AS_NOBODY, "telemetry", "--status");
        Faults.assertNoStackTrace(rewritten, "--status");
        assertTrue(rewritten.stdout().startsWith("Telemetry: disabled"), rewritten.stdout());
        assertFalse(rewritten.stdout().contains("/theirs"), rewritten.stdout());
    }

    /** XDG_CACHE_HOME=/tmp/name where another user made that name a link to the victim's own cache: they can re-aim it. */
    @Test
    void aCacheHomeThatIsAnotherUsersLinkIsNotUsed() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path mine = Files.createDirectories(roar.root().resolve("my-cache"));
        chownTree(roar.root(), NOBODY);
        Path link = Files.createSymbolicLink(users.base().resolve("vic-cache"), mine);
        Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);
        RoarProcess.Result status = Faults.run(roar.env("XDG_CACHE_HOME", link.toString()), AS_NOBODY, "telemetry", "--status");
        Faults.assertNoStackTrace(status, "--status");
        assertTrue(status.stdout().contains("(cannot record: " + link + " is a symbolic link owned by uid " + OTHER + ")"),
                status.stdout());
        RoarProcess.Result run = Faults.run(roar, AS_NOBODY, "run", "--allow-dirty", "--", "true");
        assertEquals(0, run.exitCode(), run.stderr());
        try (Stream<Path> made = Files.list(mine)) {
            assertEquals(List.of(), made.toList(), "roar wrote through the other user's link");
        }
    }

    @Test
    void disableNeverDeletesThroughARoarLinkAnotherUserPlantedInACacheHome() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Files.createDirectories(roar.queue());
        Files.writeString(roar.queue().resolve("x.json"), "{}\n");
        chownTree(roar.root(), NOBODY);
        List<String> before = listing(roar.root().resolve("cache"));
        // a 1777 cache home the other user owns, and a root-owned one: in each, roar is the other user's link
        Path theirs = ownedBy(Files.createDirectories(users.base().resolve("their-cache")), OTHER, "rwxrwxrwx");
        Files.setAttribute(theirs, "unix:mode", 01777);
        Path roots = Files.createDirectories(users.base().resolve("root-cache"));
        Files.setAttribute(roots, "unix:mode", 01777);
        for (Path shared : List.of(theirs, roots)) {
            Path link = Files.createSymbolicLink(shared.resolve("roar"), roar.root().resolve("cache/roar"));
            Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);
            RoarProcess.Result disable = Faults.run(roar.env("XDG_CACHE_HOME", shared.toString()), AS_NOBODY,
                    "telemetry", "--disable");
            Faults.assertNoStackTrace(disable, "--disable");
            assertEquals(before, listing(roar.root().resolve("cache")), "--disable deleted through the link: "
                    + disable.stdout() + disable.stderr());
            assertTrue(disable.stdout().contains("Deleted nothing: "), disable.stdout());
        }
        Results.row("--disable with CACHE_HOME/roar another uid's link to the victim's cache (1777 CACHE_HOME theirs or root's)", 2,
                "nothing deleted through the link", 0, 0);
    }

    @Test
    void disableLeavesADirectoryAnotherUserPlantedInASharedCacheAsItWas() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        Path shared = Files.createDirectories(users.base().resolve("shared-cache"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path telemetry = Files.createDirectories(shared.resolve("roar/telemetry/queue"));
        Files.writeString(shared.resolve("roar/telemetry/queue/planted.json"), "{}\n");
        Files.writeString(shared.resolve("roar/telemetry/sent.jsonl"), "planted\n");
        try (Stream<Path> all = Files.walk(shared.resolve("roar"))) {
            for (Path p : all.toList()) {
                ownedBy(p, OTHER, Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-");
            }
        }
        List<String> before = listing(shared.resolve("roar"));

        RoarProcess.Result disable = Faults.run(roar.env("XDG_CACHE_HOME", shared.toString()), AS_NOBODY, "telemetry", "--disable");
        Faults.assertNoStackTrace(disable, "--disable");
        assertEquals(before, listing(shared.resolve("roar")), "--disable changed a directory another user owns: "
                + disable.stdout() + disable.stderr());
        assertEquals("planted\n", Files.readString(telemetry.getParent().resolve("sent.jsonl")));
        // what it says: nothing claims the other user's queue was deleted, and why it was left
        assertFalse(disable.stdout().contains("queued events"), disable.stdout());
        assertTrue(disable.stdout().contains("Deleted nothing: " + shared.resolve("roar") + " is owned by uid " + OTHER
                + ", so roar left it untouched"), disable.stdout());
        assertEquals(0, disable.exitCode(), disable.stderr());
    }

    @Test
    void aConfigDirectoryAnotherUserMadeIsNotWrittenButTheUsersOwnDataIsStillDeleted() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        // the victim's own telemetry data, in the victim's own cache
        Files.createDirectories(roar.queue());
        Files.writeString(roar.stats(), "{}\n");
        Files.writeString(roar.queue().resolve("one.json"), "{}\n");
        chownTree(roar.root(), NOBODY);
        // the shared config directory: the other user made roar/, the victim's own global.toml is in it
        Path shared = Files.createDirectories(users.base().resolve("shared-config"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path planted = ownedBy(Files.createDirectory(shared.resolve("roar")), OTHER, "rwxrwxrwx");
        Path global = ownedBy(Files.writeString(planted.resolve("global.toml"), "[telemetry]\nenabled = true\n"), NOBODY, "rw-r--r--");
        RoarProcess victim = roar.env("XDG_CONFIG_HOME", shared.toString());
        String why = planted + " is owned by uid " + OTHER;

        RoarProcess.Result disable = Faults.run(victim, AS_NOBODY, "telemetry", "--disable");
        Faults.assertNoStackTrace(disable, "--disable");
        assertEquals(1, disable.exitCode(), disable.stdout() + disable.stderr());
        assertTrue(disable.stderr().contains("roar: cannot save the setting: " + why + "\n"
                + "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1"), disable.stderr());
        assertEquals("[telemetry]\nenabled = true\n", Files.readString(global));
        assertFalse(Files.exists(roar.stats()), "the user's own install ID was kept: " + disable.stdout());
        assertFalse(Files.exists(roar.queue().resolve("one.json")), "the user's own queue was kept: " + disable.stdout());
        assertTrue(disable.stdout().contains("Deleted 1 queued events"), disable.stdout());

        for (List<String> args : List.of(List.of("telemetry", "--enable"), List.of("telemetry", "--endpoint", "https://collector.example.invalid/t"))) {
            RoarProcess.Result edit = Faults.run(victim, AS_NOBODY, args.toArray(String[]::new));
            assertEquals(1, edit.exitCode(), edit.stdout() + edit.stderr());
            assertTrue(edit.stderr().contains("roar: cannot save the setting: " + why + "\n"), edit.stderr());
            assertEquals("[telemetry]\nenabled = true\n", Files.readString(global));
        }

        // the reader's warning says it is the directory, not the file, that is not the user's
        RoarProcess.Result status = Faults.run(victim, AS_NOBODY, "telemetry", "--status");
        assertTrue(status.stderr().contains(global + ": ignored, it is the current user's file but in a directory others can change: "
                + why), status.stderr());
        assertFalse(status.stderr().contains("not owned by the current user"), status.stderr());
    }

    @Test
    void settingsNeverRewriteAFileOfTheVictimsThatAnotherUsersLinkPointsTo() throws Exception {
        RoarProcess roar = victim(users.base().resolve("victim"));
        // a file of the victim's in a directory only the victim can enter: the other user cannot read or write it
        Path privateDir = Files.createDirectories(roar.root().resolve("private"));
        Path mine = privateDir.resolve("pyproject.toml");
        String original = "[project]\nname = \"mine\"\n";
        Files.writeString(mine, original);
        chownTree(privateDir, NOBODY);
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));

        // the shared config directory: the other user made roar/ first, global.toml a link to the victim's file
        Path shared = Files.createDirectories(users.base().resolve("shared-config"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path planted = ownedBy(Files.createDirectory(shared.resolve("roar")), OTHER, "rwxrwxrwx");
        Path link = Files.createSymbolicLink(planted.resolve("global.toml"), mine);
        Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);

        RoarProcess victim = roar.env("XDG_CONFIG_HOME", shared.toString());
        for (List<String> args : List.of(List.of("telemetry", "--disable"), List.of("telemetry", "--enable"),
                List.of("telemetry", "--endpoint", "https://collector.example.invalid/t"))) {
            RoarProcess.Result edit = Faults.run(victim, AS_NOBODY, args.toArray(String[]::new));
            Faults.assertNoStackTrace(edit, String.join(" ", args));
            assertEquals(original, Files.readString(mine), String.join(" ", args)
                    + " rewrote the victim's file through the other user's link: " + edit.stdout() + edit.stderr());
            assertEquals(1, edit.exitCode(), edit.stdout() + edit.stderr());
            assertTrue(edit.stderr().startsWith("roar: cannot save the setting: " + planted + " is owned by uid " + OTHER + "\n"),
                    edit.stderr());
        }
        Results.row("--disable/--enable/--endpoint with CONFIG_HOME/roar made by another uid, global.toml a link to a file of the victim's", 5,
                "the victim's file is never rewritten", 0, 0);
    }

    /** Every entry under {@code dir}: its relative name, owner and contents (files). */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.sorted().map(p -> {
                try {
                    String what = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p).strip() : "dir";
                    return dir.relativize(p) + " uid=" + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + " " + what;
                } catch (IOException e) {
                    return dir.relativize(p) + " unreadable";
                }
            }).toList();
        }
    }
}
