package ai.treqs.roar.host;

import java.io.IOException;
import java.time.Duration;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.OwnDirectory;

/**
 * Work inside a project directory through open directory handles ({@code openat}, {@code unlinkat}), never by
 * full path: whoever can write the project directory or {@code .roar/} can swap a name there for a symbolic link
 * at any moment, and a path resolved again later would follow it into a directory of the user's elsewhere
 * (docs/security.md#a-project-directory-another-user-can-write). A name is opened without following a link, and
 * a link is removed as a name, never followed.
 */
final class OpenDirectories {
    /** Far deeper than any state roar keeps; a deeper tree is refused in words rather than held open level by level. */
    static final int MAX_DEPTH = 64;

    private OpenDirectories() {}

    /** {@code dir} opened as a handle (links on the way are followed: the user named it); refused where there are no handles. */
    static SecureDirectoryStream<Path> open(Path dir) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("this system cannot open a directory as a handle (no openat), so roar does not write "
                + "or delete in " + dir + " (another user could redirect it)");
    }

    /** What {@code name} in {@code dir} is, the name itself (a link is not followed); empty when absent. */
    static Optional<PosixFileAttributes> attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return Optional.of(dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The open directory itself (its owner, its mode), asked of the handle: what was opened, not what the name is now. */
    static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir) throws IOException {
        return dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
    }

    /**
     * Why the open directory {@code dir}, reached as {@code shownAs}, is not the user's own, in words; empty when it is.
     * Java gives a handle's owner only as a name, so the uid is read by path together with the inode, and counts
     * only when that inode is the handle's: a name swapped meanwhile is refused, never judged by what replaced it.
     */
    static Optional<String> notOwn(SecureDirectoryStream<Path> dir, Path shownAs) throws IOException {
        return notOwn(dir, shownAs, shownAs);
    }

    /** {@link #notOwn(SecureDirectoryStream, Path)}, the uid read by {@code path} (the kernel's name for the working directory, say). */
    static Optional<String> notOwn(SecureDirectoryStream<Path> dir, Path path, Path shownAs) throws IOException {
        Object handleKey = attributes(dir).fileKey();
        Map<String, Object> byPath = Files.readAttributes(path, "unix:uid,fileKey", LinkOption.NOFOLLOW_LINKS);
        if (handleKey == null || !handleKey.equals(byPath.get("fileKey"))) {
            return Optional.of(shownAs + " was replaced while roar worked in it");
        }
        return OwnDirectory.ownerProblem(shownAs, (Integer) byPath.get("uid"));
    }

    /**
     * The directory {@code name} in {@code dir}, opened without following a link: a link, or a name swapped for one
     * after it was looked at, fails to open ({@code O_NOFOLLOW}) instead of opening what it points to.
     */
    static SecureDirectoryStream<Path> openChild(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    }

    /** A new listing of the open directory itself ({@code "."} opened from its handle): a stream lists only once. */
    static SecureDirectoryStream<Path> listAgain(SecureDirectoryStream<Path> dir) throws IOException {
        return dir.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS);
    }

    /** Sets {@code name}'s mode through a descriptor opened without following a link ({@code fchmod}). */
    static void setMode(SecureDirectoryStream<Path> dir, Path name, Set<PosixFilePermission> mode) throws IOException {
        dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(mode);
    }

    /**
     * {@link #setMode(SecureDirectoryStream, Path, Set)} on a daemon thread, given up after {@code bound}: the open
     * before {@code fchmod} waits for ever on a FIFO put in the file's place. The thread works through its own handle
     * on {@code dir} (a handle cannot be closed while a call through it waits), left open when it is given up on. False
     * when it did not finish in time (the thread is left waiting; its {@code fchmod} of another user's FIFO would fail).
     */
    static boolean setModeWithin(SecureDirectoryStream<Path> dir, Path name, Set<PosixFilePermission> mode, Duration bound)
            throws IOException {
        SecureDirectoryStream<Path> own = listAgain(dir);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread setter = new Thread(() -> {
            try (own) {
                setMode(own, name, mode);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "roar-set-mode");
        setter.setDaemon(true);
        setter.start();
        try {
            done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Sets the mode of the open directory itself ({@code fchmod} on its handle). */
    static void setMode(SecureDirectoryStream<Path> dir, Set<PosixFilePermission> mode) throws IOException {
        dir.getFileAttributeView(PosixFileAttributeView.class).setPermissions(mode);
    }

    /**
     * Deletes the entry {@code name} of {@code dir}: a file or a link as a name ({@code unlinkat}), a directory with
     * everything in it, each level through its own handle. A directory swapped for a link meanwhile fails to open or
     * to be removed; what the link points to is never touched.
     */
    static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, Path shownAs) throws IOException {
        deleteEntry(dir, name, shownAs, 0);
    }

    private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, Path shownAs, int depth) throws IOException {
        try {
            Optional<PosixFileAttributes> attrs = attributes(dir, name);
            if (attrs.isEmpty()) {
                return; // gone meanwhile
            }
            if (!attrs.get().isDirectory()) {
                dir.deleteFile(name); // a link is removed, never followed
                return;
            }
            if (depth >= MAX_DEPTH) {
                throw new IOException(shownAs + " is nested deeper than " + MAX_DEPTH + " levels, more than roar deletes");
            }
            try (SecureDirectoryStream<Path> child = openChild(dir, name)) {
                for (Path entry : child) {
                    deleteEntry(child, entry.getFileName(), shownAs.resolve(entry.getFileName()), depth + 1);
                }
            }
            dir.deleteDirectory(name); // a link in its place now is not a directory: rmdir fails, nothing followed
        } catch (FileSystemException e) {
            // the JDK names the entry relative to its handle; the user knows it by its whole path
            throw new IOException(IoMessages.describe(e, shownAs), e);
        }
    }
}
