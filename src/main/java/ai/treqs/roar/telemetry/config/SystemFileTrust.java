package ai.treqs.roar.telemetry.config;

import ai.treqs.roar.telemetry.io.FileOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * docs/security.md#another-user-who-can-write-a-directory-in-xdg_config_dirs: a system file speaks for the
 * administrator, so it counts only when nobody but root or the user roar runs as could have written or replaced
 * it: the file and every directory above it (links resolved) belong to root or the user, and neither group nor
 * others can write them (a directory others can write counts when it is sticky, like {@code /tmp}: they cannot
 * rename what is not theirs there). Otherwise the file is ignored with a warning and the next
 * {@code XDG_CONFIG_DIRS} entry is looked at. The user's own global.toml obeys the same rule, and fails closed
 * (docs/security.md#the-global-file).
 */
public final class SystemFileTrust {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final int ROOT = 0;

    private SystemFileTrust() {}

    /** A config file found where only the administrator should write, and whether it may be read. */
    public sealed interface Verdict {}

    /** Read it from {@code path}: links resolved once, so a link another user swaps afterwards changes nothing. */
    public record Trusted(Path path) implements Verdict {}

    /** Another user could have written it; {@code why} ends the warning. */
    public record Untrusted(Path path, String why) implements Verdict {}

    /** Judges {@code candidate}, which exists or cannot be checked (a dangling link is judged by who made it). */
    public static Verdict judge(Path candidate) {
        Optional<Integer> me = FileOwner.currentUid();
        if (me.isEmpty()) {
            return new Trusted(candidate); // no owners to ask here: the file is read as before
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException | SecurityException e) {
            // cannot be resolved: what exists on the way, as written, decides who made it
            return chainProblem(candidate, me.get(), LinkOption.NOFOLLOW_LINKS)
                    .<Verdict>map(why -> new Untrusted(candidate, why)).orElse(new Trusted(candidate));
        }
        return chainProblem(real, me.get())
                .<Verdict>map(why -> new Untrusted(candidate, why)).orElse(new Trusted(real));
    }

    /** The first path from {@code file} up to {@code /} that another user owns or could change, in words. */
    private static Optional<String> chainProblem(Path file, int me, LinkOption... options) {
        for (Path p = file; p != null; p = p.getParent()) {
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(p, "unix:uid,mode,isDirectory,isSymbolicLink", options);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
                continue; // not there (or not to be asked): what is above it still counts
            }
            // a link's own mode means nothing: only who made it
            int mode = Boolean.TRUE.equals(attrs.get("isSymbolicLink")) ? 0 : (Integer) attrs.get("mode");
            if ((mode & 0020) != 0 && privateGroup(p, me, options)) {
                mode &= ~0020; // group write by the user's own private group is the user's
            }
            Optional<String> why = problem(p, (Integer) attrs.get("uid"), mode, (Boolean) attrs.get("isDirectory"), me);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code p}'s group is the user's private group: gid = uid and named as the user (the convention under
     * which Debian's and Ubuntu's pam_umask give umask 002, so ~/.config is 0775).
     */
    private static boolean privateGroup(Path p, int me, LinkOption... options) {
        try {
            if (!Integer.valueOf(me).equals(Files.getAttribute(p, "unix:gid", options))) {
                return false;
            }
            return Files.readAttributes(p, PosixFileAttributes.class, options).group().getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /** The rule for one path alone; pure. */
    static Optional<String> problem(Path p, int owner, int mode, boolean directory, int me) {
        if (owner != ROOT && owner != me) {
            return Optional.of(p + " is owned by uid " + owner + ", not by root");
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !(directory && (mode & STICKY) != 0)) {
            return Optional.of(p + " is writable by others");
        }
        return Optional.empty();
    }
}
