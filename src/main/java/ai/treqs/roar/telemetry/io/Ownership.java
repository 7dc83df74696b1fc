package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for "nobody but root or the user roar runs as can change this path" (docs/security.md): it is owned by
 * root or the user, and neither group nor others can write it, unless it is a sticky directory (as {@code /tmp}: they
 * cannot rename or delete what is not theirs in it) or the group that can write it is the user's private group (gid =
 * uid and named as the user, the convention under which Debian's and Ubuntu's pam_umask give umask 002, so
 * {@code ~/.cache} is 0775) and nobody else is in it ({@link PrivateGroup}). {@code CACHE_HOME} and every directory
 * above it, {@code CONFIG_HOME}, and a system or global config file and the directories above it obey it; the
 * launcher's {@code safe_path} is the same rule in bash.
 */
public final class Ownership {
    private static final int ROOT = 0;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final int STICKY = 01000;

    private Ownership() {}

    /** What lets someone else change a path. */
    public sealed interface Finding {
        String words();
    }

    /** Another user owns it. */
    public record OwnedByAnother(Path path, int uid) implements Finding {
        @Override
        public String words() {
            return path + " is owned by uid " + uid;
        }
    }

    /** Group (not the user's private one) or others can write it, and it is not a sticky directory. */
    public record WritableByOthers(Path path) implements Finding {
        @Override
        public String words() {
            return path + " is writable by others";
        }
    }

    /** A symbolic link on the way that another user made: theirs to re-aim. */
    public record LinkOfAnother(Path path, int uid) implements Finding {
        @Override
        public String words() {
            return path + " is a symbolic link owned by uid " + uid;
        }
    }

    /** The rule for one path alone; pure. {@code privateGroup}: its group is the user's private group. */
    public static Optional<Finding> judge(Path p, int owner, int mode, boolean directory, boolean privateGroup, int me) {
        if (owner != ROOT && owner != me) {
            return Optional.of(new OwnedByAnother(p, owner));
        }
        int othersWrite = mode & (privateGroup ? OTHER_WRITE : GROUP_WRITE | OTHER_WRITE);
        if (othersWrite != 0 && !(directory && (mode & STICKY) != 0)) {
            return Optional.of(new WritableByOthers(p));
        }
        return Optional.empty();
    }

    /**
     * The rule for {@code p} as it is on disk ({@code options}: whether a link is judged itself or what it points to);
     * empty when it is absent or cannot be asked. A link's own mode means nothing: only who made it.
     */
    public static Optional<Finding> onDisk(Path p, int me, LinkOption... options) {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(p, "unix:uid,gid,mode,isDirectory,isSymbolicLink", options);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
        boolean link = Boolean.TRUE.equals(attrs.get("isSymbolicLink"));
        int mode = link ? 0 : (Integer) attrs.get("mode");
        boolean privateGroup = (mode & GROUP_WRITE) != 0 && Integer.valueOf(me).equals(attrs.get("gid"))
                && PrivateGroup.oursAlone(me);
        return judge(p, (Integer) attrs.get("uid"), mode, Boolean.TRUE.equals(attrs.get("isDirectory")), privateGroup, me);
    }

    /** The first of {@code start} and the directories above it (as {@code options} says) that fails {@link #onDisk}. */
    public static Optional<Finding> chain(Path start, int me, LinkOption... options) {
        for (Path p = start; p != null; p = p.getParent()) {
            Optional<Finding> finding = onDisk(p, me, options);
            if (finding.isPresent()) {
                return finding;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code dir} and every directory above it, as written and as it resolves, as the launcher's {@code safe_path}
     * judges {@code CACHE_HOME}: a link on the way (as written) is root's or the user's, and each directory, written
     * or resolved, obeys {@link #judge}. Another user who owns a directory above could rename what is below it away
     * and put a tree of theirs in its place. Parts that do not exist yet are skipped (roar makes them, in a directory
     * of the user's or root's only).
     */
    public static Optional<Finding> pathProblem(Path dir, int me) {
        for (Path written = dir; written != null; written = written.getParent()) {
            Path p = written;
            Optional<Finding> finding = linkProblem(p, me).or(() -> onDisk(p, me));
            if (finding.isPresent()) {
                return finding;
            }
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        try {
            return chain(existing.toRealPath(), me, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone meanwhile: what is written was judged
        }
    }

    /** When {@code p} itself is a symbolic link another user made, that finding. */
    public static Optional<Finding> linkProblem(Path p, int me) {
        try {
            if (!Files.isSymbolicLink(p)) {
                return Optional.empty();
            }
            int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return owner == ROOT || owner == me ? Optional.empty() : Optional.of(new LinkOfAnother(p, owner));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
