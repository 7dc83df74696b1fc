package ai.treqs.roar.faults;

import static ai.treqs.roar.testing.TwoUsers.chownTree;
import static ai.treqs.roar.testing.TwoUsers.ownedBy;
import static ai.treqs.roar.testing.TwoUsers.succeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;
import ai.treqs.roar.testing.TwoUsers;

/**
 * Group write by the user's private group (named as the user, gid = uid: umask 002 makes {@code ~/.config} and
 * {@code ~/.cache} 0775) is the user's only while nobody else is in that group
 * (docs/security.md#names-in-shared-directories-and-directories-another-user-made): once another account
 * ({@code nobody}) is a member, it could rename {@code ~/.config/roar} away, and the user's opt-out with it, or swap
 * the launcher's start-up cache. Acts as a user made for the test, with a private group, and removes both after.
 * Needs root, {@code useradd} and {@code gpasswd}; skipped with a message otherwise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@NativeSkips.JvmOnly("about the launcher's start-up cache as well; the rule alone is PrivateGroupTest's")
class PrivateGroupIT {
    /** The user made for the test; uid and the gid of its private group. */
    private static final String VICTIM = "roarprivgrp";
    private static final int ID = 23456;
    private static final List<String> AS_VICTIM = List.of("setpriv", "--reuid=" + ID, "--regid=" + ID, "--clear-groups");

    @RegisterExtension final TwoUsers users = new TwoUsers("private-group-");

    @Test
    void aPrivateGroupWithAMemberIsNotTheUsersAlone() throws Exception {
        makeVictim();
        try {
            Path root = users.base().resolve("victim");
            RoarProcess roar = new RoarProcess(root).launcher(HostRig.launcher(root.resolve("install")))
                    .env("JAVA_HOME", System.getProperty("java.home")).without("DO_NOT_TRACK")
                    .env("ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/unused")
                    .env("ROAR_NO_JVM_CACHE", "1"); // CACHE_HOME/roar/jvm/ is still made when it is safe: no training
            Path config = Files.createDirectories(root.resolve("config"));
            Files.createDirectories(root.resolve("cache"));
            chownTree(root, ID);
            // umask 002 under the private-group convention
            ownedBy(config, ID, "rwxrwxr-x");
            Path cache = ownedBy(Files.createDirectory(root.resolve("cache-alone")), ID, "rwxrwxr-x");

            // nobody else in the group: 0775 is the user's own
            RoarProcess alone = roar.env("XDG_CACHE_HOME", cache.toString());
            RoarProcess.Result status = Faults.run(alone, AS_VICTIM, "telemetry", "--status");
            Faults.assertNoStackTrace(status, "--status");
            assertTrue(status.stdout().startsWith("Telemetry: enabled") && !status.stdout().contains("cannot record"),
                    status.stdout() + status.stderr());
            RoarProcess.Result version = Faults.run(alone, AS_VICTIM, "--version");
            assertEquals(0, version.exitCode(), version.stdout() + version.stderr());
            assertTrue(Files.isDirectory(cache.resolve("roar/jvm")), "a private group's 0775 CACHE_HOME got no start-up cache");

            // nobody is a member of the victim's group (usermod -aG): the group is no longer the user's alone
            assertTrue(succeeds("gpasswd", "-a", "nobody", VICTIM), "gpasswd -a nobody " + VICTIM);
            Path shared = ownedBy(Files.createDirectory(root.resolve("cache-shared")), ID, "rwxrwxr-x");
            RoarProcess member = roar.env("XDG_CACHE_HOME", shared.toString());
            status = Faults.run(member, AS_VICTIM, "telemetry", "--status");
            Faults.assertNoStackTrace(status, "--status");
            assertTrue(status.stdout().startsWith("Telemetry: enabled (cannot record: " + config + " is writable by others)"),
                    status.stdout() + status.stderr());
            version = Faults.run(member, AS_VICTIM, "--version");
            assertEquals(0, version.exitCode(), version.stdout() + version.stderr());
            assertEquals("", version.stderr());
            assertFalse(Files.exists(shared.resolve("roar/jvm")), "a start-up cache directory was made where a member of the group can write");
        } finally {
            succeeds("gpasswd", "-d", "nobody", VICTIM);
            succeeds("userdel", VICTIM);
            succeeds("groupdel", VICTIM);
        }
    }

    /** The victim user and its private group (gid = uid, no members); left over from an earlier run is fine. */
    private static void makeVictim() {
        if (succeeds("getent", "passwd", VICTIM)) {
            succeeds("gpasswd", "-d", "nobody", VICTIM);
        } else {
            Assumptions.assumeTrue(!succeeds("getent", "passwd", Integer.toString(ID)) && !succeeds("getent", "group", Integer.toString(ID)),
                    "uid or gid " + ID + " is taken here");
            Assumptions.assumeTrue(succeeds("groupadd", "-g", Integer.toString(ID), VICTIM)
                    && succeeds("useradd", "-u", Integer.toString(ID), "-g", Integer.toString(ID), "-M", "-N", "-d", "/nonexistent",
                            "-s", "/usr/sbin/nologin", VICTIM), "cannot make the user " + VICTIM + " (useradd, groupadd)");
        }
        Assumptions.assumeTrue(succeeds("getent", "group", VICTIM), "no group " + VICTIM);
    }
}
