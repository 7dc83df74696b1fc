package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
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

import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.TerminalText;

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
        Path config = roarDir.resolve("config.toml");
        expectDirectoryOnTheWay(dir);
        // everything init will touch is checked before anything is written: a refusal leaves the project as it was
        boolean roarDirExists = expect(roarDir, true);
        boolean gitignoreExists = gitignore && expect(gitignoreFile, false);
        GitignoreLine.Scan scan = gitignoreExists ? GitignoreLine.scan(gitignoreFile) : null;
        boolean addEntry = gitignore && (scan == null || !scan.present());
        // DIR and its missing parents are created, as git init DIR does: the nearest existing one must be writable
        Path existing = nearestExisting(dir);
        if (!roarDirExists || (addEntry && !gitignoreExists)) {
            expectWritableDirectory(existing);
        }
        if (roarDirExists && !Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
            expectWritableDirectory(roarDir);
        }
        // opened (for appending, never through a link) before anything is written: a .gitignore that cannot
        // be written stops init here, not after .roar/config.toml exists
        try (SeekableByteChannel append = addEntry && gitignoreExists ? openForAppend(gitignoreFile) : null) {
            if (!existing.equals(normal(dir))) {
                Files.createDirectories(dir);
            }
            if (!roarDirExists) {
                try {
                    Files.createDirectory(roarDir);
                    Files.setPosixFilePermissions(roarDir, DIR_MODE);
                } catch (FileAlreadyExistsException e) {
                    expect(roarDir, true); // another roar init made it meanwhile: still only a real directory will do
                }
            }
            if (!Files.exists(config, LinkOption.NOFOLLOW_LINKS) && createdNew(config, CONFIG_TEMPLATE.getBytes(StandardCharsets.UTF_8))) {
                out.append("Created ").append(TerminalText.inert(config.toString())).append('\n');
            } else {
                out.append("Kept existing ").append(TerminalText.inert(config.toString())).append('\n');
            }
            if (addEntry && (append != null ? appendTo(append, GitignoreLine.appended(scan))
                    : createdNew(gitignoreFile, GitignoreLine.newFile()))) {
                out.append(GitTree.isTracked(processes, dir, ".gitignore")
                        ? "Added .roar/ to .gitignore: commit it before roar run"
                        : "Added .roar/ to " + TerminalText.inert(gitignoreFile.toString())).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The nearest existing path on the way to {@code dir} must be a directory (a link to one is fine, as a user's
     * home or project often is): a file or a dangling link there is refused in words before anything is written.
     */
    private static void expectDirectoryOnTheWay(Path dir) throws IOException {
        Path existing = nearestExisting(dir);
        if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(existing)) {
            throw new Refused(existing, Files.isSymbolicLink(existing) && !Files.exists(existing)
                    ? "is a symbolic link to nothing" : "is not a directory");
        }
    }

    private static Path nearestExisting(Path dir) {
        Path existing = normal(dir);
        while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        return existing;
    }

    /**
     * {@code dir} absolute and normalized; under the kernel's name for the working directory as it is (see
     * {@link WorkingDirectory#OWN}: there {@code ..} is the real directory's parent, which normalizing would lose).
     */
    private static Path normal(Path dir) {
        return dir.startsWith(WorkingDirectory.OWN) ? dir : dir.toAbsolutePath().normalize();
    }

    /** Absent, or a real directory / regular file: never a link (it may point at ~/.ssh) nor a FIFO. */
    private static boolean expect(Path path, boolean directory) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (attrs.isSymbolicLink()) {
            throw new Refused(path, "is a symbolic link, and roar init does not write through links");
        }
        if (directory ? !attrs.isDirectory() : !attrs.isRegularFile()) {
            throw new Refused(path, directory ? "is not a directory" : "is not a regular file");
        }
        return true;
    }

    /** A directory init will create something in: it must exist and be writable, checked before any write. */
    private static void expectWritableDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new Refused(dir, Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? "is not a directory" : "does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new Refused(dir, "cannot be written (permission denied or a read-only file system)");
        }
    }

    private static SeekableByteChannel openForAppend(Path file) throws IOException {
        try {
            return Files.newByteChannel(file, Set.of(StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new Refused(file, "cannot be written: " + IoMessages.why(e));
        }
    }

    private static boolean appendTo(SeekableByteChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return true;
    }

    /** Whether {@code file} was created here; false when another process (a concurrent roar init) made it first. */
    private static boolean createdNew(Path file, byte[] content) throws IOException {
        try {
            createFile(file, content);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void createFile(Path file, byte[] content) throws IOException {
        try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS))) {
            appendTo(channel, content);
        }
        Files.setPosixFilePermissions(file, FILE_MODE);
    }
}
