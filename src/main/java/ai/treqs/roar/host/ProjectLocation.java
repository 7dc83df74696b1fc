package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.FileOwner;
import ai.treqs.roar.telemetry.io.Ownership;

/**
 * The project directory of {@code roar init} and {@code roar reset}, and how it is reached
 * (docs/security.md#a-project-directory-another-user-can-write). The working directory is reached through the
 * kernel's own name for it ({@link WorkingDirectory#OWN}), never by its name as text: whoever owns a directory above
 * it could point that name at another directory of the user's at any moment. A directory named with {@code --path}
 * is reached by that name, which is used only when no other user can change what it names.
 *
 * @param shown the directory as the user knows it, for messages
 * @param named whether the user named it ({@code --path}); otherwise it is the working directory
 * @param reached how the file system is asked for it: the name the user gave, or the working directory's
 *        {@link WorkingDirectory#reached()} (the kernel's own name)
 */
public record ProjectLocation(Path shown, boolean named, Path reached) {
    public ProjectLocation {
        Objects.requireNonNull(shown);
        Objects.requireNonNull(reached);
    }

    /** A directory the user named. */
    public static ProjectLocation named(Path dir) {
        return new ProjectLocation(dir, true, dir);
    }

    /** The working directory, known to the user as its {@link WorkingDirectory#path()}. */
    public static ProjectLocation workingDirectory(WorkingDirectory cwd) {
        return new ProjectLocation(cwd.path(), false, cwd.reached());
    }

    /** A project directory roar will not work in; the message is the whole reason, in words. */
    public static final class Unsafe extends IOException {
        Unsafe(String why) {
            super(why);
        }
    }

    /** The path the file system is asked by: the kernel's working directory, or the name the user gave. */
    public Path reach() {
        return reached;
    }

    /** {@code other} (a path under {@link #reach}) as the user knows it. */
    public Path shownAs(Path other) {
        Path reach = reach();
        return other.startsWith(reach) ? shown.resolve(reach.relativize(other)) : other;
    }

    /**
     * The project directory as one handle, held for the whole command. A named directory is refused when another
     * user could change what its name leads to (a directory above it, or a link on the way, not root's or the
     * user's, or writable by others), and when the directory opened is not the one the name leads to a moment later.
     */
    public SecureDirectoryStream<Path> open() throws IOException {
        if (!named) {
            return OpenDirectories.open(reach());
        }
        checkName();
        SecureDirectoryStream<Path> dir = OpenDirectories.open(shown);
        try {
            Object opened = OpenDirectories.attributes(dir).fileKey();
            if (opened == null || !opened.equals(Files.readAttributes(shown, BasicFileAttributes.class).fileKey())) {
                throw new Unsafe(shown + " was replaced while roar opened it");
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** Refuses a named directory whose name another user could point elsewhere (see {@link #open}); nothing for the working directory. */
    public void checkName() throws Unsafe {
        Optional<String> problem = named ? nameProblem() : Optional.empty();
        if (problem.isPresent()) {
            throw new Unsafe(problem.get() + ", so another user could point " + shown + " at another directory; cd into"
                    + " the project directory and leave out --path");
        }
    }

    /** Why another user could change what the name {@link #shown} leads to, in words; empty when nobody can. */
    Optional<String> nameProblem() {
        Optional<Integer> me = FileOwner.currentUid();
        if (me.isEmpty()) {
            return Optional.empty(); // no owner to ask here: the handles and the checks below them still apply
        }
        Path dir = shown.toAbsolutePath();
        Optional<Ownership.Finding> finding = Ownership.linkProblem(dir, me.get());
        if (finding.isEmpty() && dir.getParent() != null) {
            finding = Ownership.pathProblem(dir.getParent(), me.get());
        }
        if (finding.isEmpty() && Files.isSymbolicLink(dir)) {
            try { // where the user's own link leads: the directories above that
                Path real = dir.toRealPath().getParent();
                finding = real == null ? Optional.empty() : Ownership.chain(real, me.get(), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | SecurityException e) {
                // leads nowhere: opening it fails in words
            }
        }
        return finding.map(Ownership.Finding::words);
    }
}
