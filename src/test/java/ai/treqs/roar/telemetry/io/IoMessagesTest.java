package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class IoMessagesTest {

    @Test
    void whatFailedAndWhyInWordsNeverABarePath() {
        assertEquals("cannot write /c/.lock: read-only file system",
                IoMessages.describe(new FileSystemException("/c/.lock", null, "Read-only file system")));
        assertEquals("cannot write /c/q/x.json: no space left on device",
                IoMessages.describe(new FileSystemException("/c/q/x.json", null, "No space left on device")));
        // the JDK gives a permission refusal no reason: its message is the bare path
        assertEquals("cannot access /c/.lock: permission denied", IoMessages.describe(new AccessDeniedException("/c/.lock")));
        assertEquals("cannot find /c/stats.json: no such file or directory", IoMessages.describe(new NoSuchFileException("/c/stats.json")));
    }

    @Test
    void aFailureWithoutAFileIsNamedByTheFileTheCallerKnows() {
        IOException write = new IOException("No space left on device");
        assertEquals("no space left on device", IoMessages.describe(write));
        assertEquals("cannot write /u/global.toml: no space left on device", IoMessages.describe(write, Path.of("/u/global.toml")));
        assertEquals("cannot write /u/global.toml: read-only file system", IoMessages.describe(
                new FileSystemException("/u/.tmp-1234", null, "Read-only file system"), Path.of("/u/global.toml")));
        assertEquals("input/output error", IoMessages.describe(new IOException()));
    }

    @Test
    void aFileWhereADirectoryOnTheWayMustBeIsNamed() {
        Path global = Path.of("/u/cfg/roar/global.toml");
        assertEquals("/u/cfg is not a directory", IoMessages.whyWriting(new FileAlreadyExistsException("/u/cfg"), global));
        assertEquals("it already exists", IoMessages.whyWriting(new FileAlreadyExistsException(global.toString()), global));
        assertEquals("read-only file system",
                IoMessages.whyWriting(new FileSystemException("/u/cfg", null, "Read-only file system"), global));
    }

    @Test
    void eloopSaysItIsALoop() {
        assertEquals("a symbolic link loop (too many levels of symbolic links)",
                IoMessages.why(new FileSystemException("/u/loop.toml", null, "Too many levels of symbolic links")));
    }
}
