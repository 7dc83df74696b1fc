package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {
    @TempDir Path dir;

    private Path file(String name, String mode) throws Exception {
        Path f = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private Optional<Integer> exit(String command, String path) {
        return Executables.problem(command, Optional.ofNullable(path), dir).map(Executables.Problem::exitCode);
    }

    @Test
    void aPathIsJudgedByTheFileItself() throws Exception {
        file("runs", "rwxr-xr-x");
        file("plain", "rw-r--r--");
        Files.createDirectory(dir.resolve("sub"));
        assertEquals(Optional.empty(), exit("./runs", null));
        assertEquals(Optional.of(126), exit("./plain", null));
        assertEquals(Optional.of(126), exit("./sub", null));
        assertEquals(Optional.of(127), exit("./missing", null));
        assertEquals(Optional.of(127), exit(dir + "/missing/deeper", null));
    }

    @Test
    void aNameIsLookedUpOnTheChildsPathAndALaterExecutableWins() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/tool"), "");
        Files.setPosixFilePermissions(dir.resolve("a/tool"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(Optional.of(126), exit("tool", dir + "/a:" + dir + "/b"));
        Files.writeString(dir.resolve("b/tool"), "");
        Files.setPosixFilePermissions(dir.resolve("b/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Optional.empty(), exit("tool", dir + "/a:" + dir + "/b"));
        assertEquals(Optional.of(127), exit("tool", "/nonexistent"));
        assertEquals(Optional.of(127), exit("", dir + "/b"));
    }

    @Test
    void anEmptyPathEntryIsTheWorkingDirectory() throws Exception {
        file("here", "rwxr-xr-x");
        assertEquals(Optional.empty(), exit("here", "/nonexistent:"));
        assertEquals(Optional.of(127), exit("here", "/nonexistent"));
    }
}
