package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens for reading a file another user may be able to replace at any moment: a project file below a directory
 * someone else owns, a repository's {@code .gitignore}. Checking a path and then opening it are two lookups, and a
 * FIFO put in its place between them makes the open wait for a writer for ever (docs/security.md#files-another-user-can-swap).
 * So here the open itself is the check: it is made on a daemon thread and given up after a bound; what it opened
 * must be seekable (a FIFO or a terminal is not, so no read can wait either); and the name must have held the same
 * file (device and inode, owner) just before and just after the open, of the size the open file has, so a caller's
 * decision on owner and kind concerns the file read. Java has no {@code O_NONBLOCK} and reads no device and inode
 * from an open file without reflection: a file swapped in and back out between the two looks, of the same size,
 * is not noticed; the caller's owner check on the name (a file of the user's own) is what leaves that to nobody else.
 */
public final class GuardedOpen {
    /** Far longer than opening a regular file takes, short enough that a command waiting on it stays prompt. */
    public static final Duration BOUND = Duration.ofSeconds(2);

    private GuardedOpen() {}

    /** A file's attributes, read once; {@code uid} empty where the file system has none to give. */
    public record Stat(BasicFileAttributes attributes, Optional<Integer> uid) {
        /** Whether it belongs to the user roar runs as (unknown: no). */
        public boolean ownedByCurrentUser() {
            return uid.isPresent() && uid.equals(FileOwner.currentUid());
        }

        /** "a symbolic link", "a directory", "not a regular file" (a FIFO, socket or device): words for a warning. */
        public String kind() {
            return attributes.isSymbolicLink() ? "a symbolic link" : attributes.isDirectory() ? "a directory" : "not a regular file";
        }
    }

    /** What opening gave. */
    public sealed interface Outcome {}

    /** Nothing at the path. */
    public record Missing() implements Outcome {}

    /** Something other than a regular file; not opened. */
    public record NotRegular(Stat stat) implements Outcome {}

    /** It could not be opened, or was not what it was before; {@code why} is words for a warning. */
    public record Failed(String why) implements Outcome {}

    /** The open file and the attributes of the file that was opened; the caller closes it. */
    public record Opened(SeekableByteChannel channel, Stat stat) implements Outcome, AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }

        /** At most {@code limit} bytes from the start (more shows as {@code limit} bytes read). */
        public byte[] readAtMost(int limit) throws IOException {
            InputStream in = Channels.newInputStream(channel);
            return in.readNBytes(limit);
        }
    }

    /** The raw open, a seam for tests: one that is handed a FIFO after the check stands for a file swapped in between. */
    interface RawOpen {
        SeekableByteChannel open(Path file, LinkOption... options) throws IOException;
    }

    static final RawOpen FILE_SYSTEM = (file, options) -> {
        boolean follow = !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
        return follow ? Files.newByteChannel(file, StandardOpenOption.READ)
                : Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    };

    /** The attributes of {@code file} ({@code NOFOLLOW_LINKS}: of a link itself); empty when nothing is there. */
    public static Optional<Stat> stat(Path file, LinkOption... options) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, options);
            return Optional.of(new Stat(attributes, uid(file, options)));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        }
    }

    /** Opens {@code file} within {@link #BOUND}; {@code NOFOLLOW_LINKS}: a link in the last component is not opened. */
    public static Outcome open(Path file, LinkOption... options) {
        return open(file, BOUND, FILE_SYSTEM, options);
    }

    static Outcome open(Path file, Duration bound, RawOpen raw, LinkOption... options) {
        Stat before;
        try {
            Optional<Stat> found = stat(file, options);
            if (found.isEmpty()) {
                return new Missing();
            }
            before = found.get();
        } catch (IOException e) {
            return new Failed("cannot be checked: " + IoMessages.why(e));
        } catch (SecurityException e) {
            return new Failed("cannot be checked: permission denied");
        }
        if (!before.attributes().isRegularFile()) {
            return new NotRegular(before);
        }
        SeekableByteChannel channel;
        try {
            channel = openWithin(file, bound, raw, options);
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (TimeoutException e) {
            return new Failed("did not open within " + bound.toSeconds() + " s (something that waits for a writer, such as a FIFO, took its place)");
        } catch (IOException e) {
            return new Failed("cannot be read: " + IoMessages.why(e));
        }
        Outcome verified = verified(file, channel, before, options);
        if (!(verified instanceof Opened)) {
            try {
                channel.close();
            } catch (IOException e) {
                // it is given up either way
            }
        }
        return verified;
    }

    /** The opened file is seekable and the one the attributes before and after the open describe. */
    private static Outcome verified(Path file, SeekableByteChannel channel, Stat before, LinkOption... options) {
        long openedSize;
        try {
            channel.position(); // a FIFO, socket or terminal cannot seek: "Illegal seek"
            openedSize = channel.size(); // the one attribute Java reads from the open file itself (fstat)
        } catch (IOException e) {
            return new Failed("not a regular file (it changed while it was opened)");
        }
        try {
            Optional<Stat> after = stat(file, options);
            if (after.isEmpty() || !after.get().attributes().isRegularFile() || before.attributes().fileKey() == null
                    || !before.attributes().fileKey().equals(after.get().attributes().fileKey())
                    || !before.uid().equals(after.get().uid()) || openedSize != after.get().attributes().size()) {
                return new Failed("changed while it was opened");
            }
            return new Opened(channel, after.get());
        } catch (IOException e) {
            return new Failed("cannot be checked: " + IoMessages.why(e));
        } catch (SecurityException e) {
            return new Failed("cannot be checked: permission denied");
        }
    }

    /** The open on a daemon thread: one that never returns is abandoned (its channel closed should it ever open). */
    private static SeekableByteChannel openWithin(Path file, Duration bound, RawOpen raw, LinkOption... options)
            throws IOException, TimeoutException {
        CompletableFuture<SeekableByteChannel> opened = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                SeekableByteChannel channel = raw.open(file, options);
                if (!opened.complete(channel)) {
                    channel.close(); // given up on: nobody will read it
                }
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
            }
        }, "roar-guarded-open");
        opener.setDaemon(true);
        opener.start();
        try {
            opened.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (opened.cancel(false)) {
                throw e;
            }
            // it finished just now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opened.cancel(false);
            throw new TimeoutException("interrupted");
        } catch (ExecutionException e) {
            // answered below
        }
        return result(file, opened);
    }

    /** The channel of a finished open, or what stopped it. */
    private static SeekableByteChannel result(Path file, CompletableFuture<SeekableByteChannel> opened) throws IOException {
        try {
            return opened.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof SecurityException) {
                throw new FileSystemException(file.toString(), null, "Permission denied");
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static Optional<Integer> uid(Path file, LinkOption... options) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:uid", options);
            return Optional.ofNullable((Integer) unix.get("uid"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
