package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A system file counts only when nobody but root or the user could have written or replaced it. */
class SystemFileTrustTest {
    private static final Path FILE = Path.of("/x/roar/global.toml");

    @TempDir Path root;

    @Test
    void theRuleForOnePath() {
        assertEquals(Optional.empty(), SystemFileTrust.problem(FILE, 0, 0644, false, 1000));
        assertEquals(Optional.empty(), SystemFileTrust.problem(FILE, 1000, 0600, false, 1000));
        assertEquals(Optional.of(FILE + " is owned by uid 1001, not by root"), SystemFileTrust.problem(FILE, 1001, 0644, false, 1000));
        assertEquals(Optional.of(FILE + " is writable by others"), SystemFileTrust.problem(FILE, 0, 0666, false, 1000));
        assertEquals(Optional.of(FILE + " is writable by others"), SystemFileTrust.problem(FILE, 0, 01666, false, 1000));
        Path dir = FILE.getParent();
        assertEquals(Optional.empty(), SystemFileTrust.problem(dir, 0, 01777, true, 1000));
        assertEquals(Optional.of(dir + " is writable by others"), SystemFileTrust.problem(dir, 0, 0775, true, 1000));
    }

    @Test
    void aFileOfOursInDirectoriesOfOursIsReadFromWhereItReallyIs() throws IOException {
        Path dir = Files.createDirectories(root.resolve("etc/roar"));
        Path file = Files.writeString(dir.resolve("global.toml"), "[telemetry]\n");
        Path link = Files.createSymbolicLink(root.resolve("link"), root.resolve("etc"));
        SystemFileTrust.Verdict verdict = SystemFileTrust.judge(link.resolve("roar/global.toml"));
        assertEquals(new SystemFileTrust.Trusted(file.toRealPath()), verdict);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertInstanceOf(SystemFileTrust.Untrusted.class, SystemFileTrust.judge(file));
    }
}
