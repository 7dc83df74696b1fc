package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/security.md#state-files-locks-and-the-queue: lock files are opened without following links and without blocking. */
class FileLocksTest {
    @TempDir Path root;

    @Test
    void aFifoAtTheLockPathIsRefusedAtOnceInsteadOfBlockingTheOpen() throws Exception {
        Path fifo = root.resolve("stats.lock");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, mkfifo.exitValue());
        StateFiles.NotOursException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(StateFiles.NotOursException.class, () -> FileLocks.acquire(fifo, Duration.ofSeconds(2))));
        assertTrue(e.getMessage().endsWith("is a special file (FIFO, socket or device)"), e.getMessage());
    }

    @Test
    void aSymlinkedLockIsRefusedAndNothingIsCreatedThroughIt() throws Exception {
        Path target = root.resolve("elsewhere/created-through-link");
        Files.createDirectories(target.getParent());
        Path link = Files.createSymbolicLink(root.resolve(".lock"), target);
        assertThrows(StateFiles.NotOursException.class, () -> FileLocks.acquire(link, Duration.ZERO));
        assertFalse(Files.exists(target), "nothing created through the link");
        Path dangling = Files.createSymbolicLink(root.resolve("other.lock"), root.resolve("missing/x"));
        assertThrows(StateFiles.NotOursException.class, () -> FileLocks.acquire(dangling, Duration.ZERO));
    }

    @Test
    void aRegularLockFileIsCreatedPrivateAndTaken() throws Exception {
        Path lock = root.resolve("stats.lock");
        Optional<FileLocks.Held> held = FileLocks.acquire(lock, Duration.ZERO);
        assertTrue(held.isPresent());
        held.get().close();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)));
        try (FileLocks.Held again = FileLocks.acquire(lock, Duration.ZERO).orElseThrow()) {
            assertTrue(again.lock().isValid());
        }
    }
}
