package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Exclusive advisory locks on lock files, with a bounded wait. */
public final class FileLocks {

    private static final FileAttribute<Set<PosixFilePermission>> LOCK_FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

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
     *
     * <p>Held by another process, the lock is waited for in the kernel, which wakes the waiter as soon
     * as the holder lets go. Sleeping between tries instead loses to a process that records in a tight
     * loop: it takes the lock again before a sleeper wakes, so a sleeper could starve past the bound
     * (eight loops of 100 recordings on one install lost 5 that way on a loaded machine).
     */
    public static Optional<Held> acquire(Path lockFile, Duration maxWait) throws IOException {
        FileChannel channel = openLockFile(lockFile);
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pauseMillis = 1;
        try {
            while (true) {
                FileLock lock;
                boolean heldInThisJvm = false;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                    heldInThisJvm = true;
                }
                if (lock != null) {
                    return Optional.of(new Held(channel, lock));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    channel.close();
                    return Optional.empty();
                }
                if (heldInThisJvm) {
                    // another thread of this JVM: the kernel does not arbitrate between them, so poll
                    Thread.sleep(Math.max(1, Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left))));
                    pauseMillis = Math.min(pauseMillis * 2, 16);
                    continue;
                }
                lock = lockWithin(channel, left);
                if (lock != null) {
                    return Optional.of(new Held(channel, lock));
                }
                if (!channel.isOpen()) {
                    return Optional.empty(); // the wait timed out
                }
                // a thread of this JVM took it meanwhile: try again
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

    /**
     * Opens a lock file without following a link and without blocking (docs/security.md). A FIFO opened for
     * write only waits for a reader, so the kind is checked before the open; the open is read-write, which
     * Linux never blocks on a FIFO even if one was swapped in meanwhile; and afterwards the path must still
     * be the same regular file and the channel seekable (a pipe is not).
     */
    static FileChannel openLockFile(Path lockFile) throws IOException {
        Object before = StateFiles.regularFileKeyOrAbsent(lockFile);
        FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), LOCK_FILE_MODE);
        try {
            Object after = StateFiles.regularFileKeyOrAbsent(lockFile);
            if (after == StateFiles.ABSENT || before != StateFiles.ABSENT && !before.equals(after)) {
                throw new StateFiles.NotOursException(lockFile, "changed while it was opened");
            }
            channel.position(); // lseek(2): fails on a pipe or socket
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A blocking lock on a helper thread, given up after {@code nanos} by closing the channel (closing
     * ends the kernel wait). Null when it timed out (the channel is then closed) or when a thread of this
     * JVM holds the lock.
     */
    private static FileLock lockWithin(FileChannel channel, long nanos) throws IOException, InterruptedException {
        CompletableFuture<FileLock> granted = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                granted.complete(channel.lock());
            } catch (Throwable t) {
                granted.completeExceptionally(t);
            }
        }, "roar-lock-wait");
        waiter.setDaemon(true);
        waiter.start();
        try {
            return granted.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            channel.close(); // a lock granted at this very moment is released with the channel
            return null;
        } catch (InterruptedException e) {
            channel.close();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OverlappingFileLockException) {
                return null;
            }
            if (!channel.isOpen()) {
                return null;
            }
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
    }
}
