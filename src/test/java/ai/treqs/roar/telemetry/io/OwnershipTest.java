package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule for "nobody but root or the user can change this path", alone and along a path. */
class OwnershipTest {
    private static final Path P = Path.of("/c");

    @TempDir Path root;

    @Test
    void theRuleAlone() {
        assertEquals(Optional.empty(), Ownership.judge(P, 1000, 0755, true, false, 1000));
        assertEquals(Optional.empty(), Ownership.judge(P, 0, 01777, true, false, 1000));
        assertEquals(Optional.of(new Ownership.OwnedByAnother(P, 1001)), Ownership.judge(P, 1001, 0700, true, false, 1000));
        assertEquals(Optional.of(new Ownership.WritableByOthers(P)), Ownership.judge(P, 0, 0777, true, false, 1000));
        // sticky counts for a directory only: a file others can write is theirs to rewrite
        assertEquals(Optional.of(new Ownership.WritableByOthers(P)), Ownership.judge(P, 0, 01666, false, false, 1000));
        // group write by the user's private group is the user's; others' write is not
        assertEquals(Optional.empty(), Ownership.judge(P, 1000, 0775, true, true, 1000));
        assertEquals(Optional.of(new Ownership.WritableByOthers(P)), Ownership.judge(P, 1000, 0775, true, false, 1000));
        assertEquals(Optional.of(new Ownership.WritableByOthers(P)), Ownership.judge(P, 1000, 0777, true, true, 1000));
        assertEquals("/c is owned by uid 1001", new Ownership.OwnedByAnother(P, 1001).words());
        assertEquals("/c is a symbolic link owned by uid 1001", new Ownership.LinkOfAnother(P, 1001).words());
    }

    @Test
    void aDirectoryAboveTheHomeThatOthersCanWriteCountsAsWrittenAndAsResolved() throws IOException {
        int me = FileOwner.currentUid().orElseThrow();
        Path open = Files.createDirectory(root.resolve("open"));
        Path home = Files.createDirectories(open.resolve("user/cache"));
        assertEquals(Optional.empty(), Ownership.pathProblem(home, me));
        assertEquals(Optional.empty(), Ownership.pathProblem(home.resolve("not-yet/made"), me));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.of(new Ownership.WritableByOthers(open)), Ownership.pathProblem(home, me));
        assertEquals(Optional.of(new Ownership.WritableByOthers(open)), Ownership.pathProblem(home.resolve("not-yet"), me));
        // reached through a link of the user's: the resolved path still passes through it
        Path link = Files.createSymbolicLink(root.resolve("link"), home);
        assertEquals(Optional.of(new Ownership.WritableByOthers(open)), Ownership.pathProblem(link, me));
        // sticky, as /tmp: others cannot rename what is the user's in it
        Files.setAttribute(open, "unix:mode", 01777);
        assertEquals(Optional.empty(), Ownership.pathProblem(link, me));
    }
}
