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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * Config files another local user wrote (docs/security.md#another-user-who-can-write-a-directory-in-xdg_config_dirs):
 * an {@code XDG_CONFIG_DIRS} entry of theirs is not the administrator's system file, and their dangling
 * {@code .roar/config.toml} link in a shared parent is not the victim's project file. The victim, {@code nobody},
 * runs roar. Needs root (to be two users); skipped with a message otherwise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@NativeSkips.LinkStandIn("the linked executable loads its stand-in libjvm.so from root's ~/.cache/native-check/link/lib, "
        + "which the unprivileged user of this test cannot read (exit 127 before main)")
class ForeignConfigIT {
    @RegisterExtension final TwoUsers users = new TwoUsers("foreign-config-");

    @Test
    void anXdgConfigDirsEntryAnotherUserOwnsNeitherRedirectsNorOverridesTheAdministrator() throws Exception {
        // the other user's "team" entry, listed first: telemetry on, events to their collector
        Path team = Files.createDirectories(users.base().resolve("team-xdg/roar"));
        Path teamFile = Files.writeString(team.resolve("global.toml"),
                "[telemetry]\nenabled = true\nendpoint = \"http://127.0.0.1:9/stolen\"\n");
        for (Path p : List.of(team.getParent(), team, teamFile)) {
            ownedBy(p, OTHER, Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--");
        }
        // the administrator's entry (root's): off for everyone
        Path admin = Files.createDirectories(users.base().resolve("admin-xdg/roar"));
        Path adminFile = Files.writeString(admin.resolve("global.toml"), "[telemetry]\nenabled = false\n");
        RoarProcess roar = victim(users.base().resolve("victim"))
                .env("XDG_CONFIG_DIRS", team.getParent() + ":" + admin.getParent());

        RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("Disabled reason: system_disabled"), status.stdout());
        assertTrue(status.stdout().contains("System config: " + adminFile), status.stdout());
        assertFalse(status.stdout().contains("stolen"), status.stdout());
        assertTrue(status.stderr().contains(teamFile + ": ignored, " + team.getParent() + " is owned by uid " + OTHER)
                || status.stderr().contains(teamFile + ": ignored, " + teamFile + " is owned by uid " + OTHER), status.stderr());

        // alone, it sets no endpoint either: the build's default stands
        RoarProcess.Result alone = Faults.run(roar.env("XDG_CONFIG_DIRS", team.getParent().toString()), AS_NOBODY,
                "telemetry", "--status");
        assertFalse(alone.stdout().contains("stolen"), alone.stdout());
        assertFalse(alone.stdout().contains("(system)"), alone.stdout());
        Faults.assertNoStackTrace(alone, "--status");
        Results.row("XDG_CONFIG_DIRS entry owned by another uid (endpoint, enabled = true) before the administrator's", 2,
                "ignored with a warning; the administrator's enabled = false applies", 0, 0);
    }

    @Test
    void anotherUsersDanglingProjectFileInASharedParentIsIgnored() throws Exception {
        Path shared = Files.createDirectories(users.base().resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path dotRoar = ownedBy(Files.createDirectory(shared.resolve(".roar")), OTHER, "rwxr-xr-x");
        Path link = Files.createSymbolicLink(dotRoar.resolve("config.toml"), Path.of("/nonexistent"));
        Files.setAttribute(link, "unix:uid", OTHER, LinkOption.NOFOLLOW_LINKS);
        Path work = ownedBy(Files.createDirectory(shared.resolve("work")), NOBODY, "rwxr-xr-x");
        RoarProcess roar = victim(users.base().resolve("victim")).cwd(work);

        RoarProcess.Result status = Faults.run(roar, AS_NOBODY, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertFalse(status.stdout().contains("project_config_invalid"), status.stdout());
        assertTrue(status.stdout().contains("Telemetry: enabled"), status.stdout());
        assertTrue(status.stderr().contains(link + ": ignored, it is not owned by the current user"), status.stderr());
        Results.row("another uid's dangling .roar/config.toml link in a shared parent", 1,
                "ignored with a warning, telemetry stays as the victim set it", 0, 0);
    }
}
