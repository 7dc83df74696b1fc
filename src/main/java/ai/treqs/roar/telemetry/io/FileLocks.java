package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Exclusive advisory locks on lock files, with a bounded wait. */
public final class FileLocks {

    private FileLocks() {}

    /** A held lock; closing it releases the lock and the file handle. */
    public record Held(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Tries to take the lock for at most {@code maxWait}; empty when another holder kept it that long.
     * A zero wait tries once.
     */
    public static Optional<Held> acquire(Path lockFile, Duration maxWait) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pauseMillis = 1;
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return Optional.of(new Held(channel, lock));
                }
                if (System.nanoTime() >= deadline) {
                    channel.close();
                    return Optional.empty();
                }
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(pauseMillis * 2, 16);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another thread of this JVM: wait like for another process
        }
    }
}
