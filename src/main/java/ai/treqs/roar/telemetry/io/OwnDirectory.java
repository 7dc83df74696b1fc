package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * roar's own directories (config, telemetry, start-up cache) are used only when the user roar runs as owns
 * them and neither group nor others can write them: in a shared (1777) {@code CACHE_HOME}, another user could
 * have made {@code roar/telemetry/} first and planted an identity or events (docs/security.md).
 */
public final class OwnDirectory {
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private OwnDirectory() {}

    /** Why {@code dir} (following links) may not be used, in words; empty when it is ours or absent. */
    public static Optional<String> problem(Path dir) {
        Map<String, Object> attrs;
        Object me;
        try {
            attrs = Files.readAttributes(dir, "unix:uid,mode");
            me = FileOwner.currentUid().orElseThrow(() -> new UnsupportedOperationException("no /proc"));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty(); // absent: roar makes it 0700 when it needs it
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty(); // no owner to ask here: the kind checks of StateFiles still apply
        }
        return judge(dir, (Integer) attrs.get("uid"), (Integer) attrs.get("mode"), (Integer) me);
    }

    /**
     * Why {@code home} (CONFIG_HOME, following links) may not hold roar's directories, in words: another user
     * who owns it, or can write it without the sticky bit, can rename roar's directory away and put a link or
     * a directory of theirs in its place; empty when it is root's or the user's, or absent. The rule is
     * {@link Ownership}'s; a link named as the home (XDG_CONFIG_HOME=/tmp/name) is whoever made it's to re-aim.
     */
    public static Optional<String> homeProblem(Path home) {
        Optional<Integer> me = FileOwner.currentUid();
        if (me.isEmpty()) {
            return Optional.empty(); // no owner to ask: the checks of its roar/ still apply
        }
        return Ownership.linkProblem(home, me.get()).or(() -> Ownership.onDisk(home, me.get())).map(Ownership.Finding::words);
    }

    /**
     * {@link #homeProblem} for {@code home} and every directory above it, as written and as it resolves (what the
     * launcher's {@code safe_path} checks for CACHE_HOME): whoever owns a directory above it, or can write one that is
     * not sticky, can rename CACHE_HOME's parent away and put theirs, with an identity and a queue of their choosing,
     * in its place.
     */
    public static Optional<String> homePathProblem(Path home) {
        return FileOwner.currentUid().flatMap(me -> Ownership.pathProblem(home, me)).map(Ownership.Finding::words);
    }

    /** Why {@code dir} itself (not what it points to) may not be used: a symbolic link, which whoever made it can re-aim. */
    public static Optional<String> linkProblem(Path dir) {
        return Files.isSymbolicLink(dir) ? Optional.of(dir + " is a symbolic link") : Optional.empty();
    }

    /** The rule for a home alone ({@link Ownership#judge}): group write by the user's private group (gid = uid) is the user's. */
    static Optional<String> judgeHome(Path home, int owner, int group, int mode, int me) {
        return Ownership.judge(home, owner, mode, true, group == me, me).map(Ownership.Finding::words);
    }

    /**
     * Why roar may not make a directory in {@code parent}, in words; empty when {@code parent} is the user's or root's
     * (root's shared {@code /tmp} included). Root running with another user's {@code HOME} (sudo keeping it) must not
     * leave that user a {@code ~/.cache} or {@code ~/.config} owned by root that they cannot use.
     */
    public static Optional<String> notOursToMakeIn(Path parent) {
        try {
            int owner = (Integer) Files.getAttribute(parent, "unix:uid");
            return judgeMaker(parent, owner, FileOwner.currentUid().orElseThrow(() -> new UnsupportedOperationException("no /proc")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty(); // no owner to ask here: the directory is made as before
        }
    }

    /** The rule alone: a directory is made only in one {@code me} or root owns. */
    static Optional<String> judgeMaker(Path parent, int owner, int me) {
        return owner == me || owner == 0 ? Optional.empty() : Optional.of(parent + " is owned by uid " + owner);
    }

    /**
     * Why a directory owned by {@code owner} (asked of an open handle, so it is the one roar works in) is not the
     * user's own, in words; empty when it is, or when there is no uid to compare with.
     */
    public static Optional<String> ownerProblem(Path shownAs, int owner) {
        return FileOwner.currentUid().flatMap(me -> judgeOwner(shownAs, owner, me));
    }

    /** The owner half of {@link #judge}: owned by {@code me}. */
    static Optional<String> judgeOwner(Path dir, int owner, int me) {
        return owner == me ? Optional.empty() : Optional.of(dir + " is owned by uid " + owner);
    }

    /** The rule alone: owned by {@code me}, no write bit for group or others. */
    static Optional<String> judge(Path dir, int owner, int mode, int me) {
        Optional<String> notOwned = judgeOwner(dir, owner, me);
        if (notOwned.isPresent()) {
            return notOwned;
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            return Optional.of(dir + " is writable by others");
        }
        return Optional.empty();
    }
}
