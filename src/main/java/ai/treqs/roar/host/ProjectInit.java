package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code roar init}: makes {@code DIR/.roar/} with a commented config.toml; running it again is harmless.
 * It returns what it did; the command adds {@link #PRIVACY_NOTE}.
 */
@ApplicationScoped
public class ProjectInit {
    static final String CONFIG_TEMPLATE = """
            # roar project configuration.
            #
            # Product telemetry: a project can only restrict it, never turn it on or redirect it.
            # To opt every command run inside this project out of telemetry, uncomment:
            # [telemetry]
            # enabled = false
            #
            # To keep local counters but forbid uploads from this project, uncomment instead:
            # [telemetry]
            # endpoint = ""
            """;

    /** What init says about telemetry, in lines of at most 80 columns; left out when the one-time notice was shown. */
    public static final String PRIVACY_NOTE = """
            Telemetry payloads never include commands, paths, git remotes, artifact hashes,
            stdout/stderr, or API keys/secrets. Turn telemetry off with
            `roar telemetry --disable` or DO_NOT_TRACK=1.
            """;

    /** A directory and its files the user owns and commits: readable by all, whatever the umask (docs/security.md#state-files-locks-and-the-queue). */
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    @Inject ChildProcesses processes;

    /** A path init will not write through; the message is the whole reason, in words. */
    public static final class Refused extends IOException {
        Refused(Path path, String why) {
            super(path + " " + why + "; nothing was written");
        }
    }

    public String init(Path dir, boolean gitignore) throws IOException {
        StringBuilder out = new StringBuilder();
        Path roarDir = dir.resolve(".roar");
        Path gitignoreFile = dir.resolve(".gitignore");
        // both checked before anything is written: a refusal leaves the project as it was
        makeProjectDirectory(dir);
        expect(roarDir, true);
        if (gitignore) {
            expect(gitignoreFile, false);
        }
        if (!Files.exists(roarDir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(roarDir);
                Files.setPosixFilePermissions(roarDir, DIR_MODE);
            } catch (FileAlreadyExistsException e) {
                expect(roarDir, true); // another roar init made it meanwhile: still only a real directory will do
            }
        }
        Path config = roarDir.resolve("config.toml");
        if (!Files.exists(config, LinkOption.NOFOLLOW_LINKS) && createdNew(config, CONFIG_TEMPLATE)) {
            out.append("Created ").append(config).append('\n');
        } else {
            out.append("Kept existing ").append(config).append('\n');
        }
        if (gitignore && addToGitignore(gitignoreFile)) {
            out.append(GitTree.isTracked(processes, dir, ".gitignore")
                    ? "Added .roar/ to .gitignore: commit it before roar run"
                    : "Added .roar/ to " + gitignoreFile).append('\n');
        }
        return out.toString();
    }

    /**
     * {@code dir} and its missing parents, as {@code git init DIR} makes them (with the umask's mode). An
     * existing path on the way may be a link to a directory, as a user's home or project often is; a
     * file there is refused in words ({@code <path> is not a directory}) before anything is written.
     */
    static void makeProjectDirectory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new Refused(existing, Files.isSymbolicLink(existing) && !Files.exists(existing)
                    ? "is a symbolic link to nothing" : "is not a directory");
        }
        if (existing == null || existing.equals(absolute)) {
            return;
        }
        for (Path missing = existing.resolve(absolute.getName(existing.getNameCount())); ;
                missing = missing.resolve(absolute.getName(missing.getNameCount()))) {
            try {
                Files.createDirectory(missing);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(missing)) { // made meanwhile, and not as a directory
                    throw new Refused(missing, "is not a directory");
                }
            }
            if (missing.equals(absolute)) {
                return;
            }
        }
    }

    /** Absent, or a real directory / regular file: never a link (it may point at ~/.ssh) nor a FIFO. */
    private static void expect(Path path, boolean directory) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attrs.isSymbolicLink()) {
            throw new Refused(path, "is a symbolic link, and roar init does not write through links");
        }
        if (directory ? !attrs.isDirectory() : !attrs.isRegularFile()) {
            throw new Refused(path, directory ? "is not a directory" : "is not a regular file");
        }
    }

    /** Whether {@code file} was created here; false when another process (a concurrent roar init) made it first. */
    private static boolean createdNew(Path file, String text) throws IOException {
        try {
            createFile(file, text);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void createFile(Path file, String text) throws IOException {
        try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS))) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
        Files.setPosixFilePermissions(file, FILE_MODE);
    }

    private static boolean addToGitignore(Path gitignore) throws IOException {
        boolean exists = Files.exists(gitignore, LinkOption.NOFOLLOW_LINKS);
        String current = exists ? Files.readString(gitignore, StandardCharsets.UTF_8) : "";
        for (String line : current.split("\\R")) {
            String entry = line.trim();
            if (entry.equals(".roar/") || entry.equals(".roar") || entry.equals("/.roar/") || entry.equals("/.roar")) {
                return false;
            }
        }
        if (!exists) {
            createFile(gitignore, ".roar/\n");
            return true;
        }
        String prefix = current.isEmpty() || current.endsWith("\n") ? "" : "\n";
        try (var channel = Files.newByteChannel(gitignore, Set.of(StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS))) {
            channel.write(ByteBuffer.wrap((prefix + ".roar/\n").getBytes(StandardCharsets.UTF_8)));
        }
        return true;
    }
}
