package ai.treqs.roar.telemetry.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the user ran the command: the start of the project-file search and of {@code roar run}. Java decodes the
 * working directory's name as text; when the name is not valid in the encoding it decodes file names with (a
 * Latin-1 {@code é} under UTF-8), the text names another directory or none, and Java resolves even relative paths
 * against that text. The path is then {@link #OWN}, the kernel's own name for the process' working directory.
 */
public interface WorkingDirectory {
    /** Linux's name for the working directory of the process that opens it: the real one, whatever its bytes. */
    Path OWN = Path.of("/proc/self/cwd");

    Path path();

    /**
     * How the file system is asked for this directory without its name as text, which whoever owns a directory
     * above it can point elsewhere at any moment: the kernel's own name for the process' working directory.
     */
    default Path reached() {
        return Files.isDirectory(OWN) ? OWN : Path.of(".");
    }

    /**
     * {@code decoded} when it is the directory the kernel calls the working directory (or when there is no
     * {@link #OWN} to ask, as on macOS, whose file names are always UTF-8), else {@link #OWN}.
     */
    static Path baseFor(Path decoded) {
        try {
            if (!Files.isDirectory(OWN) || Files.isSameFile(decoded, OWN)) {
                return decoded;
            }
        } catch (IOException | SecurityException e) {
            // the text names nothing there
        }
        return OWN;
    }

    /**
     * {@code start} and the directories above it, nearest first: its parents when it is an ordinary path, else
     * {@code start/..}, {@code start/../..} and so on up to the root, which the kernel resolves from the real
     * directory (decoding a name keeps its slashes, so Java's text of the working directory has the right
     * number of levels even when it names other directories).
     */
    static List<Path> upward(Path start) {
        List<Path> dirs = new ArrayList<>();
        if (!start.startsWith(OWN)) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                dirs.add(dir);
            }
            return dirs;
        }
        Path dir = start;
        for (int level = Path.of("").toAbsolutePath().getNameCount(); level >= 0; level--) {
            dirs.add(dir);
            dir = dir.resolve("..");
        }
        return dirs;
    }
}
