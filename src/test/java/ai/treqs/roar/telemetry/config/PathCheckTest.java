package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/configuration.md#warnings-and-fail-closed-behaviour: only "does not exist" is absent; every other answer of the file system fails closed. */
class PathCheckTest {
    @TempDir Path dir;

    @Test
    void onlyANonexistentPathIsMissing() throws IOException {
        assertInstanceOf(PathCheck.Missing.class, PathCheck.check(dir.resolve("a/b/global.toml")));
        Path file = Files.writeString(dir.resolve("global.toml"), "");
        assertInstanceOf(PathCheck.Present.class, PathCheck.check(file));
        Path notDir = file.resolve("global.toml"); // a path "through" a regular file does not exist either
        assertInstanceOf(PathCheck.Missing.class, PathCheck.check(notDir));
    }

    @Test
    void loopsAndDanglingLinksCannotBeChecked() throws IOException {
        Path loop = Files.createSymbolicLink(dir.resolve("loop.toml"), Path.of("loop.toml"));
        assertEquals(new PathCheck.Unchecked("a symbolic link loop (too many levels of symbolic links)"), PathCheck.check(loop));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.toml"), dir.resolve("gone"));
        assertEquals(new PathCheck.Unchecked("it is a symbolic link to something that does not exist"), PathCheck.check(dangling));
        Path danglingDir = Files.createSymbolicLink(dir.resolve("roar"), dir.resolve("gone-dir"));
        assertEquals(new PathCheck.Unchecked(danglingDir + " is a symbolic link to something that does not exist"),
                PathCheck.check(danglingDir.resolve("global.toml")));
        Path linkedDir = Files.createSymbolicLink(dir.resolve("linked"), Files.createDirectories(dir.resolve("real")));
        assertInstanceOf(PathCheck.Missing.class, PathCheck.check(linkedDir.resolve("global.toml")));
    }

    /** Root ignores permission bits here, so "cannot enter" is the file system's answer given by the probe. */
    @Test
    void aDirectoryThatCannotBeEnteredIsNotAbsent() {
        Path file = dir.resolve("locked/global.toml");
        PathCheck.Probe denied = (path, options) -> {
            throw new AccessDeniedException(path.toString());
        };
        assertEquals(new PathCheck.Unchecked("permission denied"), PathCheck.check(file, denied));
        PathCheck.Probe io = (path, options) -> {
            throw new FileSystemException(path.toString(), null, "Input/output error");
        };
        assertEquals(new PathCheck.Unchecked("input/output error"), PathCheck.check(file, io));
        PathCheck.Probe deniedOnLstatOnly = new PathCheck.Probe() {
            @Override
            public BasicFileAttributes stat(Path path, LinkOption... options) throws IOException {
                if (options.length == 0) {
                    throw new java.nio.file.NoSuchFileException(path.toString());
                }
                throw new AccessDeniedException(path.toString());
            }
        };
        assertEquals(new PathCheck.Unchecked("permission denied"), PathCheck.check(file, deniedOnLstatOnly));
    }

    @Test
    void theReaderTurnsAnUncheckablePathIntoAnInvalidFile() {
        Path file = dir.resolve("locked/global.toml");
        ConfigFile read = ConfigFileReader.read(file, new PathCheck.Unchecked("permission denied"));
        assertEquals(new ConfigFile.Invalid(file, "cannot be checked: permission denied"), read);
    }
}
