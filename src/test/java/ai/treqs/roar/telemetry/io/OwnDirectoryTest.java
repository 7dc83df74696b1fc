package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** roar's directories: the user's own and writable by nobody else, or not used. */
class OwnDirectoryTest {
    private static final Path DIR = Path.of("/c/roar");

    @TempDir Path root;

    @Test
    void theRuleAlone() {
        assertEquals(Optional.empty(), OwnDirectory.judge(DIR, 1000, 0700, 1000));
        assertEquals(Optional.empty(), OwnDirectory.judge(DIR, 1000, 0755, 1000));
        assertEquals(Optional.of("/c/roar is owned by uid 1001"), OwnDirectory.judge(DIR, 1001, 0700, 1000));
        assertEquals(Optional.of("/c/roar is writable by others"), OwnDirectory.judge(DIR, 1000, 0775, 1000));
        assertEquals(Optional.of("/c/roar is writable by others"), OwnDirectory.judge(DIR, 1000, 01777, 1000));
    }

    @Test
    void theOwnerHalfAlone() {
        assertEquals(Optional.empty(), OwnDirectory.judgeOwner(DIR, 1000, 1000));
        assertEquals(Optional.of("/c/roar is owned by uid 1001"), OwnDirectory.judgeOwner(DIR, 1001, 1000));
        // root's directory is not the user's either (roar reset deletes only in a .roar/ of the user's own)
        assertEquals(Optional.of("/c/roar is owned by uid 0"), OwnDirectory.judgeOwner(DIR, 0, 1000));
    }

    @Test
    void directoriesAreMadeOnlyInOnesTheUserOrRootOwns() {
        assertEquals(Optional.empty(), OwnDirectory.judgeMaker(DIR, 1000, 1000));
        assertEquals(Optional.empty(), OwnDirectory.judgeMaker(DIR, 0, 1000));
        assertEquals(Optional.empty(), OwnDirectory.judgeMaker(DIR, 0, 0));
        // root with another user's HOME
        assertEquals(Optional.of("/c/roar is owned by uid 1000"), OwnDirectory.judgeMaker(DIR, 1000, 0));
        assertEquals(Optional.of("/c/roar is owned by uid 1001"), OwnDirectory.judgeMaker(DIR, 1001, 1000));
    }

    @Test
    void aRealDirectoryOfOursIsFineAndAbsentIsFine() throws IOException {
        Path own = Files.createDirectory(root.resolve("own"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(Optional.empty(), OwnDirectory.problem(own));
        assertEquals(Optional.empty(), OwnDirectory.problem(root.resolve("absent/roar")));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.of(own + " is writable by others"), OwnDirectory.problem(own));
    }

    @Test
    void aCacheHomeIsRootsOrOursAndWritableByOthersOnlyWhenSticky() {
        Path home = Path.of("/c");
        assertEquals(Optional.empty(), OwnDirectory.judgeHome(home, 1000, 1000, 0700, 1000));
        assertEquals(Optional.empty(), OwnDirectory.judgeHome(home, 0, 0, 01777, 1000));
        assertEquals(Optional.of("/c is owned by uid 1001"), OwnDirectory.judgeHome(home, 1001, 1001, 01777, 1000));
        assertEquals(Optional.of("/c is writable by others"), OwnDirectory.judgeHome(home, 0, 0, 0777, 1000));
        // umask 002 under a user-private group: the group is the user alone
        assertEquals(Optional.empty(), OwnDirectory.judgeHome(home, 1000, 1000, 0775, 1000));
        assertEquals(Optional.of("/c is writable by others"), OwnDirectory.judgeHome(home, 1000, 100, 0775, 1000));
        assertEquals(Optional.of("/c is writable by others"), OwnDirectory.judgeHome(home, 1000, 1000, 0777, 1000));
    }

    @Test
    void aLinkIsNamedAsOneAndARealDirectoryIsNot() throws IOException {
        Path real = Files.createDirectory(root.resolve("real"));
        Path link = Files.createSymbolicLink(root.resolve("roar"), real);
        assertEquals(Optional.of(link + " is a symbolic link"), OwnDirectory.linkProblem(link));
        assertEquals(Optional.empty(), OwnDirectory.linkProblem(real));
        assertEquals(Optional.empty(), OwnDirectory.linkProblem(root.resolve("absent")));
    }
}
