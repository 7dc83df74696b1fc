package ai.treqs.roar.telemetry.stats;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.io.OwnDirectory;
import ai.treqs.roar.telemetry.io.StateFiles;

/**
 * The one rule every reader and writer of telemetry state applies first (docs/security.md): roar's config, cache,
 * telemetry and queue directories belong to the user and nobody else can write them, and the queue
 * directory, stats, ledger, last-attempt and the two locks are each absent or the kind of file roar
 * makes there; CONFIG_HOME, CACHE_HOME and every directory above CACHE_HOME are root's or the user's (and not links another user made), and {@code roar/} and {@code roar/telemetry/} are not links.
 * Otherwise that run's telemetry is skipped and {@code --status} says why.
 */
public final class TelemetryState {

    private TelemetryState() {}

    /** Why roar cannot record here, in words; empty when every state path is ours or absent. */
    public static Optional<String> notOurs(RoarPaths paths) {
        return foreignDirectory(paths).or(() -> notOurFile(paths));
    }

    /** Which state path is not the kind of file roar makes there (a link, a FIFO, a directory), if one is. */
    public static Optional<String> notOurFile(RoarPaths paths) {
        return StateFiles.problem(List.of(paths.queueDir()),
                List.of(paths.stats(), paths.statsLock(), paths.uploaderLock(), paths.ledger(), paths.lastAttempt()));
    }

    /** Which of roar's config, cache, telemetry and queue directories another user owns or can write, if one is. */
    public static Optional<String> foreignDirectory(RoarPaths paths) {
        // CONFIG_HOME too: whoever can rename roar/ away there makes an opt-out in global.toml vanish
        return OwnDirectory.homeProblem(paths.configHome()).or(() -> OwnDirectory.problem(paths.roarConfigDir()))
                .or(() -> foreignCacheDirectory(paths));
    }

    /**
     * Which of roar's cache, telemetry and queue directories another user owns or can write, if one is: where
     * the local telemetry data lives, so nothing there is read, written or deleted ({@code --disable} too).
     */
    public static Optional<String> foreignCacheDirectory(RoarPaths paths) {
        // an XDG_CACHE_HOME roar cannot name: nothing is recorded anywhere else in its place; and every
        // directory above CACHE_HOME, as the launcher checks it: its owner could swap the tree below
        Optional<String> home = paths.unnamed().cache().or(() -> OwnDirectory.homePathProblem(paths.cacheHome()));
        if (home.isPresent()) {
            return home;
        }
        // a link there is never followed (as the launcher does): whoever made it chooses what roar deletes through it
        for (Path dir : List.of(paths.cacheHome().resolve("roar"), paths.telemetryDir(), paths.queueDir())) {
            Optional<String> why = OwnDirectory.linkProblem(dir).or(() -> OwnDirectory.problem(dir));
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }
}
