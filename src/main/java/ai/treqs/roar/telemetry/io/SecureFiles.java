package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Private, atomic file writes (docs/telemetry.md#where-state-lives): directories 0700, files 0600, and every write goes to
 * a temp file in the same directory, is fsynced, then renamed over the target.
 */
public final class SecureFiles {
    public static final String TEMP_PREFIX = ".tmp-";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final Duration STALE_TEMP_AGE = Duration.ofMinutes(1);

    private SecureFiles() {}

    /**
     * Creates {@code dir} and missing parents with mode 0700 (existing directories are left as they are); never in a
     * directory another user owns ({@link OwnDirectory#notOursToMakeIn}).
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            ensureDirectory(parent);
            Optional<String> why = OwnDirectory.notOursToMakeIn(parent);
            if (why.isPresent()) {
                throw new StateFiles.NotOursException(dir, "was not made: " + why.get());
            }
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Creates {@code dir} (0700) when missing; an existing one must be a real directory, not a link to
     * one: a state directory that is anything else is not ours (docs/security.md). Parents may be links.
     */
    public static void ensureOwnDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        ensureDirectory(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new StateFiles.NotOursException(dir, "is not a directory roar made");
        }
    }

    /**
     * Writes {@code bytes} to {@code target} atomically, replacing what was there. As the next writer of
     * that directory it also removes temp files a killed process left (docs/telemetry.md#where-state-lives); "now" is the
     * file system's clock, read from the fresh temp file.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = writeTemp(target.getParent(), bytes);
        removeStaleTemps(target.getParent(), Files.getLastModifiedTime(temp).toInstant());
        try {
            // rename is atomic on POSIX; the fsync before it means a crash never leaves an empty target
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} atomically unless {@code target} already exists.
     * A hard link fails when the name is taken, so two writers can never both succeed.
     *
     * @return false when the target already existed
     */
    public static boolean writeAtomicallyIfAbsent(Path target, byte[] bytes) throws IOException {
        Path temp = writeTemp(target.getParent(), bytes);
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path writeTemp(Path dir, byte[] bytes) throws IOException {
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), FILE_ATTR)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** Removes temp files older than a minute, left by a process killed mid-write. */
    public static void removeStaleTemps(Path dir, Instant now) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            temps.forEach(found::add);
        } catch (IOException | RuntimeException e) {
            // best effort: the next writer tries again
        }
        removeStaleTemps(found, now);
    }

    /** As above, for temp files already listed. */
    public static void removeStaleTemps(List<Path> temps, Instant now) {
        for (Path temp : temps) {
            try {
                FileTime modified = Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS);
                if (modified.toInstant().isBefore(now.minus(STALE_TEMP_AGE))) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException | RuntimeException e) {
                // best effort: the next writer tries again
            }
        }
    }

    /** Reads a regular file (never through a symlink) of at most {@code maxBytes}; null when it is not one. */
    public static byte[] readRegularFile(Path file, int maxBytes) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > maxBytes) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size + 1);
            while (channel.read(buffer) > 0 && buffer.position() <= maxBytes) {
                // keep reading: a file may grow while it is read
            }
            if (buffer.position() > maxBytes) {
                return null;
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }
}
