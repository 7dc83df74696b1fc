package ai.treqs.roar.host;

import java.io.IOException;
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
            super(why + ": roar reset deletes only in a .roar/ of your own; nothing was deleted");
        }
    }

    /**
     * What a reset would clear, asked before the user is: how many entries besides config.toml;
     * -1 when {@code dir} has no {@code .roar/} directory.
     * @throws Refused when {@code .roar/} is not the user's own
     */
    public int entriesToClear(Path dir) throws IOException {
        try (SecureDirectoryStream<Path> project = openProject(dir);
             SecureDirectoryStream<Path> roar = openOwnRoarDir(project, dir)) {
            if (roar == null) {
                return -1;
            }
            int entries = 0;
            for (Path entry : roar) {
                entries += entry.getFileName().toString().equals(KEPT) ? 0 : 1;
            }
            return entries;
        }
    }

    /**
     * @return how many entries were removed; -1 when {@code dir} has no {@code .roar/}
     * @throws Refused when {@code .roar/} is not the user's own
     */
    public int reset(Path dir) throws IOException {
        try (SecureDirectoryStream<Path> project = openProject(dir);
             SecureDirectoryStream<Path> roar = openOwnRoarDir(project, dir)) {
            if (roar == null) {
                return -1;
            }
            int removed = 0;
            for (Path entry : roar) {
                Path name = entry.getFileName();
                if (!name.toString().equals(KEPT)) {
                    OpenDirectories.deleteEntry(roar, name, dir.resolve(ROAR_DIR).resolve(name));
                    removed++;
                }
            }
            return removed;
        }
    }

    /** The project directory as a handle; null when there is none (no .roar/ there either). */
    private static SecureDirectoryStream<Path> openProject(Path dir) throws IOException {
        try {
            return OpenDirectories.open(dir);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return null;
        }
    }

    /** {@code .roar} in the open project directory, opened without following a link; null when there is no such directory. */
    private static SecureDirectoryStream<Path> openOwnRoarDir(SecureDirectoryStream<Path> project, Path dir) throws IOException {
        if (project == null) {
            return null;
        }
        Optional<PosixFileAttributes> attrs = OpenDirectories.attributes(project, ROAR_DIR);
        if (attrs.isEmpty() || !attrs.get().isDirectory()) {
            return null; // absent, a file, or a link (never followed): no .roar/ directory here
        }
        SecureDirectoryStream<Path> roar = OpenDirectories.openChild(project, ROAR_DIR);
        try {
            Optional<String> notOwn = OpenDirectories.notOwn(roar, dir.resolve(ROAR_DIR));
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
