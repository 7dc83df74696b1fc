package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.GuardedOpen;
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

    private static final Path ROAR_DIR = Path.of(".roar");
    private static final Path CONFIG = Path.of("config.toml");
    private static final Path GITIGNORE = Path.of(".gitignore");

    @Inject ChildProcesses processes;

    /** A path init will not write through; the message is the whole reason, in words. */
    public static final class Refused extends IOException {
        private final Path path;
        private final String why;

        Refused(Path path, String why) {
            super(path + " " + why + "; nothing was written");
            this.path = path;
            this.why = why;
        }

        /** A directory whose name init will not use ({@link ProjectLocation#checkName}). */
        Refused(String whole) {
            super(whole + "; nothing was written");
            this.path = null;
            this.why = whole;
        }

        /** The same refusal, its path as the user knows it rather than as roar reached it. */
        Refused shownAs(ProjectLocation where) {
            return path == null || where.shownAs(path).equals(path) ? this : new Refused(where.shownAs(path), why);
        }
    }

    /** {@link #init(ProjectLocation, boolean)} in a directory the user named. */
    public String init(Path dir, boolean gitignore) throws IOException {
        return init(ProjectLocation.named(dir), gitignore);
    }

    public String init(ProjectLocation where, boolean gitignore) throws IOException {
        try {
            where.checkName();
        } catch (ProjectLocation.Unsafe e) {
            throw new Refused(e.getMessage());
        }
        try {
            return initAt(where, gitignore);
        } catch (Refused e) {
            throw e.shownAs(where);
        } catch (FileSystemException e) {
            if (e.getFile() == null || e instanceof FileAlreadyExistsException) {
                throw e;
            }
            Path file = where.shownAs(Path.of(e.getFile())); // named as the user knows it, not as roar reached it
            throw new FileSystemException(file.toString(), e.getOtherFile(), e.getReason());
        }
    }

    private String initAt(ProjectLocation where, boolean gitignore) throws IOException {
        StringBuilder out = new StringBuilder();
        Path dir = where.reach(); // the working directory through the kernel, never by its name
        Path roarDir = dir.resolve(".roar");
        Path gitignoreFile = dir.resolve(".gitignore");
        Path shownConfig = where.shownAs(roarDir.resolve("config.toml"));
        Path shownGitignore = where.shownAs(gitignoreFile);
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
        if (roarDirExists && !Files.exists(roarDir.resolve(CONFIG), LinkOption.NOFOLLOW_LINKS)) {
            expectWritableDirectory(roarDir);
        }
        if (!existing.equals(normal(dir))) {
            Files.createDirectories(dir); // only when DIR was missing: then there is no .gitignore to open first
        }
        // everything below is written through handles (openat): a name another user swaps for a link meanwhile is
        // never followed, and modes are set on what was opened (docs/security.md#a-project-directory-another-user-can-write).
        // .gitignore is opened (for appending, never through a link) before anything is written: one that cannot
        // be written stops init here, not after .roar/config.toml exists
        try (SecureDirectoryStream<Path> project = openProject(where);
             SeekableByteChannel append = addEntry && gitignoreExists ? openForAppend(project, gitignoreFile) : null) {
            boolean made = false;
            if (!roarDirExists) {
                try {
                    Files.createDirectory(roarDir);
                    made = true;
                } catch (FileAlreadyExistsException e) {
                    // another roar init made it meanwhile: still only a real directory will do
                }
            }
            expectDirectory(project, roarDir);
            try (SecureDirectoryStream<Path> roar = OpenDirectories.openChild(project, ROAR_DIR)) {
                if (made) {
                    Optional<String> notOwn = OpenDirectories.notOwn(roar, roarDir, where.shownAs(roarDir));
                    if (notOwn.isPresent()) {
                        throw new Refused(roarDir, "was replaced by another directory while roar init ran (" + notOwn.get() + ")");
                    }
                    OpenDirectories.setMode(roar, DIR_MODE); // the directory opened, not whatever the name is now
                }
                if (createdNew(roar, CONFIG, shownConfig, CONFIG_TEMPLATE.getBytes(StandardCharsets.UTF_8))) {
                    out.append("Created ").append(TerminalText.inert(shownConfig.toString())).append('\n');
                } else {
                    out.append("Kept existing ").append(TerminalText.inert(shownConfig.toString())).append('\n');
                }
            }
            if (addEntry && (append != null ? appendTo(append, GitignoreLine.appended(scan))
                    : createdNew(project, GITIGNORE, shownGitignore, GitignoreLine.newFile()))) {
                out.append(GitTree.isTracked(processes, dir, ".gitignore")
                        ? "Added .roar/ to .gitignore: commit it before roar run"
                        : "Added .roar/ to " + TerminalText.inert(shownGitignore.toString())).append('\n');
            }
        }
        return out.toString();
    }

    /** The project directory as one handle ({@link ProjectLocation#open}); a name another user could redirect is refused. */
    private static SecureDirectoryStream<Path> openProject(ProjectLocation where) throws IOException {
        try {
            return where.open();
        } catch (ProjectLocation.Unsafe e) {
            throw new Refused(e.getMessage());
        }
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

    /** {@code .roar} in the open project directory must be a real directory now, as seen through the handle (never a link). */
    private static void expectDirectory(SecureDirectoryStream<Path> project, Path shownAs) throws IOException {
        Optional<PosixFileAttributes> attrs = OpenDirectories.attributes(project, ROAR_DIR);
        if (attrs.isEmpty()) {
            throw new Refused(shownAs, "disappeared while roar init ran");
        }
        if (attrs.get().isSymbolicLink()) {
            throw new Refused(shownAs, "is a symbolic link, and roar init does not write through links");
        }
        if (!attrs.get().isDirectory()) {
            throw new Refused(shownAs, "is not a directory");
        }
    }

    private static SeekableByteChannel openForAppend(SecureDirectoryStream<Path> project, Path file) throws IOException {
        try {
            return project.newByteChannel(GITIGNORE, Set.of(StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
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

    /** Whether {@code name} in {@code dir} was created here; false when another process (a concurrent roar init) made it first. */
    private static boolean createdNew(SecureDirectoryStream<Path> dir, Path name, Path shownAs, byte[] content) throws IOException {
        if (OpenDirectories.attributes(dir, name).isPresent()) {
            return false;
        }
        try (var channel = dir.newByteChannel(name, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FILE_MODE))) {
            appendTo(channel, content);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (FileSystemException e) {
            throw new FileSystemException(shownAs.toString(), null, e.getReason()); // named as the user knows it
        }
        // made 0644 unless the umask took bits away; only then is the mode set, on the file opened without following a
        // link, and within a bound: whoever can write the directory may have put a FIFO in its place, whose open waits
        Optional<PosixFileAttributes> made = OpenDirectories.attributes(dir, name);
        if (made.isEmpty() || !made.get().isRegularFile()) {
            throw new Refused(shownAs, "was replaced by something that is not a file while roar init ran");
        }
        if (!made.get().permissions().equals(FILE_MODE) && !OpenDirectories.setModeWithin(dir, name, FILE_MODE, GuardedOpen.BOUND)) {
            throw new Refused(shownAs, "was replaced by a FIFO while roar init ran (its mode could not be set within "
                    + GuardedOpen.BOUND.toSeconds() + " s)");
        }
        return true;
    }
}
