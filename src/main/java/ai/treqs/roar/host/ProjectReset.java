package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code roar reset}: clears the project's local roar state under {@code .roar/}, keeping config.toml. Everything
 * is done through open directory handles ({@link OpenDirectories}): the project directory or {@code .roar/} may be
 * writable by another user, who could swap a name there for a link to a directory of the user's at any moment
 * (docs/security.md#a-project-directory-another-user-can-write). A {@code .roar/} that is not the user's own is
 * refused before anything is asked or deleted.
 */
@ApplicationScoped
public class ProjectReset {
    private static final Path ROAR_DIR = Path.of(".roar");
    private static final String KEPT = "config.toml";

    /** A {@code .roar/} reset will not clear; the message is the whole reason, in words. */
    public static final class Refused extends IOException {
        Refused(String why) {
            this(why, "roar reset deletes only in a .roar/ of your own");
        }

        Refused(String why, String rule) {
            super(why + ": " + rule + "; nothing was deleted");
        }
    }

    /**
     * The project's {@code .roar/}, opened once and held from the count, through the question, to the deletion: the
     * directory cleared is the one counted and shown, whatever its names lead to meanwhile.
     */
    public static final class Opened implements AutoCloseable {
        private final SecureDirectoryStream<Path> roar;
        private final Path shownAs;

        private Opened(SecureDirectoryStream<Path> roar, Path shownAs) {
            this.roar = roar;
            this.shownAs = shownAs;
        }

        /** Whether there is a {@code .roar/} directory. */
        public boolean exists() {
            return roar != null;
        }

        /** What a reset would clear: how many entries besides config.toml; -1 when there is no {@code .roar/}. */
        public int entriesToClear() throws IOException {
            if (roar == null) {
                return -1;
            }
            int entries = 0;
            try (SecureDirectoryStream<Path> listing = OpenDirectories.listAgain(roar)) {
                for (Path entry : listing) {
                    entries += entry.getFileName().toString().equals(KEPT) ? 0 : 1;
                }
            }
            return entries;
        }

        /** Clears it: how many entries were removed; -1 when there is no {@code .roar/}. */
        public int clear() throws IOException {
            if (roar == null) {
                return -1;
            }
            int removed = 0;
            try (SecureDirectoryStream<Path> listing = OpenDirectories.listAgain(roar)) {
                for (Path entry : listing) {
                    Path name = entry.getFileName();
                    if (!name.toString().equals(KEPT)) {
                        OpenDirectories.deleteEntry(roar, name, shownAs.resolve(name));
                        removed++;
                    }
                }
            }
            return removed;
        }

        @Override
        public void close() throws IOException {
            if (roar != null) {
                roar.close();
            }
        }
    }

    /**
     * Opens the {@code .roar/} of {@code where} (see {@link Opened}).
     * @throws Refused when {@code .roar/} is not the user's own, or {@code where} is not safe to reach by name
     */
    public Opened open(ProjectLocation where) throws IOException {
        Path shownAs = where.shown().resolve(ROAR_DIR);
        SecureDirectoryStream<Path> project;
        try {
            project = where.open();
        } catch (ProjectLocation.Unsafe e) {
            throw new Refused(e.getMessage(), "roar reset clears only a directory whose name nobody else can redirect");
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new Opened(null, shownAs);
        } catch (AccessDeniedException e) {
            return new Opened(openRoarDirByName(where), shownAs); // a directory one may enter but not list (0711)
        }
        try (project) {
            return new Opened(openOwnRoarDir(project, where), shownAs);
        }
    }

    /** {@link #open}'s count alone (one handle, closed again). */
    public int entriesToClear(Path dir) throws IOException {
        try (Opened roar = open(ProjectLocation.named(dir))) {
            return roar.entriesToClear();
        }
    }

    /** {@link #open} and {@link Opened#clear} at once. */
    public int reset(Path dir) throws IOException {
        try (Opened roar = open(ProjectLocation.named(dir))) {
            return roar.clear();
        }
    }

    /** {@code .roar} in the open project directory, opened without following a link; null when there is no such directory. */
    private static SecureDirectoryStream<Path> openOwnRoarDir(SecureDirectoryStream<Path> project, ProjectLocation where)
            throws IOException {
        Optional<PosixFileAttributes> attrs = OpenDirectories.attributes(project, ROAR_DIR);
        if (attrs.isEmpty() || !attrs.get().isDirectory()) {
            return null; // absent, a file, or a link (never followed): no .roar/ directory here
        }
        return own(OpenDirectories.openChild(project, ROAR_DIR), where);
    }

    /**
     * {@code .roar} of a project directory that cannot be listed, opened by its name under the directory as reached
     * (a link there would be followed, so what was opened counts only when it is the real directory named
     * {@code .roar} there, and the user's: {@link OpenDirectories#notOwn}); null when there is no such directory.
     */
    private static SecureDirectoryStream<Path> openRoarDirByName(ProjectLocation where) throws IOException {
        Path path = where.reach().resolve(ROAR_DIR);
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            return own(OpenDirectories.open(path), where);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return null;
        }
    }

    /** {@code roar} when it is the user's own directory named {@code .roar} in {@code where}; closed and refused otherwise. */
    private static SecureDirectoryStream<Path> own(SecureDirectoryStream<Path> roar, ProjectLocation where) throws IOException {
        try {
            Optional<String> notOwn = OpenDirectories.notOwn(roar, where.reach().resolve(ROAR_DIR), where.shown().resolve(ROAR_DIR));
            if (notOwn.isPresent()) {
                throw new Refused(notOwn.get());
            }
            return roar;
        } catch (IOException | RuntimeException e) {
            roar.close();
            throw e;
        }
    }
}
