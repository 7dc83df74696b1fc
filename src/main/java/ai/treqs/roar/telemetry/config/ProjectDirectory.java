package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import ai.treqs.roar.telemetry.io.GuardedOpen;
import ai.treqs.roar.telemetry.io.IoMessages;

/**
 * The {@code .roar} directory a project file is in, judged like the file itself
 * (docs/security.md#files-another-user-can-swap): a symbolic link is followed only when it is the user's own (a link
 * another user made, even to a {@code .roar} of the user's, is foreign), and the directory it comes to must be the
 * user's own too. Whoever owns a directory decides what its names hold, so a project file in another user's
 * {@code .roar} is another user's, whoever owns the file.
 */
final class ProjectDirectory {
    /** Links followed from {@code .roar} to the directory, as the kernel allows in a path. */
    private static final int MAX_LINKS = 40;

    private ProjectDirectory() {}

    /** What the {@code .roar} name leads to. */
    sealed interface Outcome {}

    /** A directory of the user's, reached through the user's own links only; {@code fileKey} is its device and inode. */
    record Own(Path dir, Object fileKey) implements Outcome {}

    /** The name, or a link on the way, or the directory, is another user's. */
    record Foreign() implements Outcome {}

    /** Nothing there, a dangling link of the user's, or something other than a directory (then no file is below it). */
    record Gone() implements Outcome {}

    /** It cannot be looked at; {@code why} is words for a warning. */
    record Unchecked(String why) implements Outcome {}

    /** Follows {@code dotRoar} without letting another user's link or directory decide where it leads. */
    static Outcome resolve(Path dotRoar) {
        Path dir = dotRoar;
        try {
            for (int links = 0; ; links++) {
                Optional<GuardedOpen.Stat> stat = GuardedOpen.stat(dir, LinkOption.NOFOLLOW_LINKS);
                if (stat.isEmpty()) {
                    return new Gone();
                }
                if (!stat.get().ownedByCurrentUser()) {
                    return new Foreign();
                }
                if (stat.get().attributes().isDirectory()) {
                    return new Own(dir, stat.get().attributes().fileKey());
                }
                if (!stat.get().attributes().isSymbolicLink()) {
                    return new Gone();
                }
                if (links == MAX_LINKS) {
                    return new Unchecked("too many levels of symbolic links");
                }
                dir = dir.resolveSibling(Files.readSymbolicLink(dir));
            }
        } catch (IOException e) {
            return new Unchecked(IoMessages.why(e));
        } catch (SecurityException e) {
            return new Unchecked("permission denied");
        }
    }

    /** Whether {@code dotRoar} still leads, the same way, to the directory {@code own} found (no file key: no). */
    static boolean unchanged(Path dotRoar, Own own) {
        return own.fileKey() != null && resolve(dotRoar) instanceof Own now
                && now.dir().equals(own.dir()) && Objects.equals(now.fileKey(), own.fileKey());
    }
}
