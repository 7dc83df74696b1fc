package ai.treqs.roar.telemetry.config;

import ai.treqs.roar.telemetry.io.FileOwner;
import ai.treqs.roar.telemetry.io.Ownership;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * docs/security.md#another-user-who-can-write-a-directory-in-xdg_config_dirs: a system file speaks for the
 * administrator, so it counts only when nobody but root or the user roar runs as could have written or replaced
 * it: the file and every directory above it (links resolved) belong to root or the user, and neither group nor
 * others can write them (a directory others can write counts when it is sticky, like {@code /tmp}: they cannot
 * rename what is not theirs there; group write by the user's private group is the user's): {@link Ownership}'s
 * rule. Otherwise the file is ignored with a warning and the next {@code XDG_CONFIG_DIRS} entry is looked at. The user's own global.toml obeys the same rule, and fails closed
 * (docs/security.md#the-global-file).
 */
public final class SystemFileTrust {
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
        return Ownership.chain(file, me, options).map(SystemFileTrust::words);
    }

    /** The rule for one path alone ({@link Ownership#judge}, no private group); pure. */
    static Optional<String> problem(Path p, int owner, int mode, boolean directory, int me) {
        return Ownership.judge(p, owner, mode, directory, false, me).map(SystemFileTrust::words);
    }

    /** A file that speaks for the administrator: another owner is named as "not root". */
    private static String words(Ownership.Finding finding) {
        return finding instanceof Ownership.OwnedByAnother ? finding.words() + ", not by root" : finding.words();
    }
}
