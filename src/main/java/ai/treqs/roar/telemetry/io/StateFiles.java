package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * docs/security.md#state-files-locks-and-the-queue, "state paths are ours or untouched": a state path that is a symlink, or not the kind of
 * file expected there, is never read, written or deleted through. Only "does not exist" is absent.
 */
public final class StateFiles {
    /** What {@link #regularFileKeyOrAbsent} answers for a path that does not exist. */
    public static final Object ABSENT = new Object();

    private StateFiles() {}

    /** A state path that is not ours: a link, a FIFO, a directory where a file belongs, ... */
    public static final class NotOursException extends IOException {
        public NotOursException(Path path, String why) {
            super(path + " " + why);
        }
    }

    /** The identity of the regular file at {@code path}, or {@link #ABSENT}; anything else is not ours. */
    public static Object regularFileKeyOrAbsent(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return ABSENT;
        }
        if (!attrs.isRegularFile()) {
            throw new NotOursException(path, kind(attrs));
        }
        return attrs.fileKey() != null ? attrs.fileKey() : path;
    }

    /**
     * Why one of these paths is not ours (directories must be real directories, files regular files; any
     * may be absent), or empty when all are. A path that cannot even be looked at is not ours either.
     */
    public static Optional<String> problem(List<Path> directories, List<Path> regularFiles) {
        for (Path dir : directories) {
            Optional<String> why = check(dir, true);
            if (why.isPresent()) {
                return why;
            }
        }
        for (Path file : regularFiles) {
            Optional<String> why = check(file, false);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> check(Path path, boolean directory) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot look at " + path + ": " + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()));
        }
        boolean expected = directory ? attrs.isDirectory() : attrs.isRegularFile();
        return expected ? Optional.empty() : Optional.of(path + " " + kind(attrs));
    }

    static String kind(BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return "is a symbolic link";
        }
        if (attrs.isDirectory()) {
            return "is a directory";
        }
        if (attrs.isRegularFile()) {
            return "is not a directory";
        }
        return "is a special file (FIFO, socket or device)";
    }
}
