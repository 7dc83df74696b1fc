package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import ai.treqs.roar.telemetry.io.IoMessages;

/**
 * docs/configuration.md#warnings-and-fail-closed-behaviour: only a file that does not exist is absent. {@code Files.exists} answers false for "permission
 * denied" and for symlink loops too, which would silently drop an {@code enabled = false}; this asks the
 * file system and keeps every other answer as a reason in words.
 */
public final class PathCheck {

    /** What the file system said about a config path. */
    public sealed interface Answer {}

    /** Nothing at this path (and no dangling link on the way to it). */
    public record Missing() implements Answer {}

    /** Something is there (following links); {@code attributes} describe what. */
    public record Present(BasicFileAttributes attributes) implements Answer {}

    /** The path cannot be checked; {@code why} is words for a warning. */
    public record Unchecked(String why) implements Answer {}

    /** Asks the file system; {@link Probe} is the seam tests use to give answers root cannot get here. */
    public interface Probe {
        BasicFileAttributes stat(Path path, LinkOption... options) throws IOException;
    }

    static final Probe FILE_SYSTEM = (path, options) -> Files.readAttributes(path, BasicFileAttributes.class, options);

    private PathCheck() {}

    public static Answer check(Path path) {
        return check(path, FILE_SYSTEM);
    }

    static Answer check(Path path, Probe probe) {
        try {
            return new Present(probe.stat(path));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return missingOrDangling(path, probe);
        } catch (IOException e) {
            // ENOTDIR has no exception class of its own: a regular file on the way means "not there"
            return throughAFile(path, probe) ? new Missing() : new Unchecked(IoMessages.why(e));
        } catch (SecurityException e) {
            return new Unchecked("permission denied");
        }
    }

    /** Following links found nothing: a link on the way whose target is missing makes the path unknowable. */
    private static Answer missingOrDangling(Path path, Probe probe) {
        for (Path p = path; p != null; p = p.getParent()) {
            BasicFileAttributes own;
            try {
                own = probe.stat(p, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException | NotDirectoryException e) {
                continue; // not there: look at its directory
            } catch (IOException e) {
                if (throughAFile(p, probe)) {
                    return new Missing();
                }
                return new Unchecked(IoMessages.why(e));
            }
            if (own.isSymbolicLink()) {
                try {
                    probe.stat(p);
                } catch (NoSuchFileException | NotDirectoryException e) {
                    return new Unchecked((p.equals(path) ? "it is" : p + " is") + " a symbolic link to something that does not exist");
                } catch (IOException e) {
                    return new Unchecked(IoMessages.why(e));
                }
            }
            return new Missing(); // the nearest thing that exists is real: the file simply is not there
        }
        return new Missing();
    }

    /** Whether the nearest existing ancestor of {@code path} is something other than a directory. */
    private static boolean throughAFile(Path path, Probe probe) {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            try {
                return !probe.stat(p).isDirectory();
            } catch (IOException e) {
                // keep going up
            }
        }
        return false;
    }
}
