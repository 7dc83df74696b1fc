package ai.treqs.roar.telemetry.control;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigFile;
import ai.treqs.roar.telemetry.config.ConfigFileReader;
import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.io.StateFiles;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.TelemetryState;
import ai.treqs.roar.telemetry.upload.Ledger;

/**
 * {@code --disable}, {@code --enable}, {@code --endpoint}: edits of the user's global.toml (docs/telemetry.md#opt-out-controls).
 * Each returns what happened; cli/SettingsReport words it and chooses the exit code.
 */
@ApplicationScoped
public class TelemetrySettings {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    @Inject ConfigLoader configLoader;
    @Inject EventQueue queue;
    @Inject Clock clock;

    /** How one edit of {@code global} came out. */
    public sealed interface Edit {
        /** Written; {@code stillOffHere} is the configuration where the command runs, when it still keeps telemetry off there. */
        record Saved(Path global, Optional<EffectiveConfig> stillOffHere) implements Edit {}
        /** The config directory is another user's or others can write it: nothing written ({@code why} in words). */
        record ForeignDirectory(String why) implements Edit {}
        /** The file is in the way (unreadable, a link to another user's file, ...) or the result would not say what was asked. */
        record Refused(Path global, String why) implements Edit {}
        /** The write itself failed ({@code why} from IoMessages). */
        record WriteFailed(Path global, String why) implements Edit {}
        /** {@code --enable} against the administrator's file: it says {@code enabled = false}, or is invalid and so keeps telemetry off. */
        record AdministratorOff(Path system, boolean invalid) implements Edit {}
        /** No absolute home (no_home): there is no global file to edit; {@code why} in words. */
        record NoHome(String why) implements Edit {}
        /** {@code --endpoint} with a URL that breaks the endpoint rule. */
        record InvalidEndpoint(String problem) implements Edit {}
    }

    /** What became of the local telemetry state on {@code --disable}. */
    public sealed interface Forgotten {
        /** The cache directory is not the user's own: nothing deleted. */
        record NotOurDirectory(String why) implements Forgotten {}
        /** Done: {@code identity} says whether there was an install ID; {@code untouched} names a file that is not roar's own. */
        record Deleted(int events, boolean identity, Optional<String> untouched) implements Forgotten {}
        record DeleteFailed(String why) implements Forgotten {}
    }

    /**
     * {@code --disable}: {@code notSaved} is why the file could not be made to say {@code enabled = false}
     * ({@link Edit.ForeignDirectory}, {@link Edit.Refused} or {@link Edit.WriteFailed}); {@code movedAside} where an
     * unreadable file went so that it could.
     */
    public record Disabled(Path global, boolean wasOff, Optional<Path> movedAside, Optional<Edit> notSaved, Forgotten forgotten) {}

    public Disabled disable() throws IOException {
        RoarPaths paths = configLoader.paths();
        if (paths.noHome()) {
            // off already, nothing stored: but a later shell with a usable HOME would be on again
            return new Disabled(paths.globalConfig(), false, Optional.empty(), Optional.of(new Edit.NoHome(paths.homeless().get())),
                    new Forgotten.Deleted(0, false, Optional.empty()));
        }
        Path global = paths.globalConfig();
        Optional<Path> movedAside = Optional.empty();
        Edit failure = null;
        Optional<String> foreign = unnamedConfig(paths).or(() -> GlobalFileEdit.foreignDirectory(global));
        boolean wasOff = foreign.isEmpty()
                && ConfigFileReader.read(global) instanceof ConfigFile.Valid v && v.enabled().equals(Optional.of(false));
        try {
            if (foreign.isPresent()) {
                failure = new Edit.ForeignDirectory(foreign.get());
            } else {
                GlobalFileEdit.set(global, "enabled", false);
            }
        } catch (GlobalFileEdit.Refused refused) {
            if (refused.obstacle) {
                // the user wants telemetry off: keep whatever is in the way aside and write a file that says so
                Path aside = global.resolveSibling("global.toml.invalid-" + STAMP.format(clock.instant()));
                try {
                    Files.move(global, aside, StandardCopyOption.ATOMIC_MOVE);
                    GlobalFileEdit.set(global, "enabled", false);
                    movedAside = Optional.of(aside);
                } catch (IOException | GlobalFileEdit.Refused e) {
                    failure = new Edit.Refused(global, refused.getMessage());
                }
            } else {
                failure = new Edit.Refused(global, refused.getMessage());
            }
        } catch (IOException e) {
            failure = new Edit.WriteFailed(global, IoMessages.whyWriting(e, global));
        }
        // an opt-out holds even when the file cannot say so: the identity goes in any case (docs/telemetry.md#opt-out-controls)
        Forgotten forgotten;
        try {
            forgotten = forgetInstall(paths);
        } catch (IOException e) {
            forgotten = new Forgotten.DeleteFailed(IoMessages.describe(e));
        }
        return new Disabled(global, wasOff, movedAside, Optional.ofNullable(failure), forgotten);
    }

    public Edit enable() throws IOException {
        RoarPaths paths = configLoader.paths();
        ConfigFile administrators = ConfigLoader.systemFile(paths);
        Optional<ConfigFile> system = administrators instanceof ConfigFile.Absent ? Optional.empty() : Optional.of(administrators);
        if (system.isPresent() && system.get() instanceof ConfigFile.Valid v && v.enabled().equals(Optional.of(false))) {
            return new Edit.AdministratorOff(system.get().path(), false);
        }
        if (system.isPresent() && system.get() instanceof ConfigFile.Invalid) {
            // the administrator's file fails closed (system_config_invalid): a user --enable cannot undo that
            return new Edit.AdministratorOff(system.get().path(), true);
        }
        Edit result = edit(paths.globalConfig(), "enabled", true);
        if (!(result instanceof Edit.Saved saved)) {
            return result;
        }
        // written as asked; say what still keeps it off where the command runs (docs/telemetry.md#precedence)
        EffectiveConfig here = configLoader.forCommand();
        boolean stillOff = here.suppression().isPresent() || here.disabledReason().isPresent();
        return stillOff ? new Edit.Saved(saved.global(), Optional.of(here)) : saved;
    }

    /** {@code url} as the user typed it (cli recovers it from the command line). */
    public Edit endpoint(String url) throws IOException {
        Optional<String> problem = EndpointRule.problem(url);
        if (problem.isPresent()) {
            return new Edit.InvalidEndpoint(problem.get());
        }
        return edit(configLoader.paths().globalConfig(), "endpoint", url);
    }

    private Edit edit(Path global, String key, Object value) throws IOException {
        Optional<String> homeless = configLoader.paths().homeless();
        if (homeless.isPresent()) {
            return new Edit.NoHome(homeless.get());
        }
        Optional<String> foreign = unnamedConfig(configLoader.paths()).or(() -> GlobalFileEdit.foreignDirectory(global));
        if (foreign.isPresent()) {
            return new Edit.ForeignDirectory(foreign.get());
        }
        try {
            GlobalFileEdit.set(global, key, value);
        } catch (GlobalFileEdit.Refused e) {
            return new Edit.Refused(global, e.getMessage());
        } catch (IOException e) {
            return new Edit.WriteFailed(global, IoMessages.whyWriting(e, global));
        }
        return new Edit.Saved(global, Optional.empty());
    }

    /**
     * An opted-out install keeps nothing that identifies it: queue, stats and leftovers, ledger (replaced
     * by its anonymous summary), last attempt. Done under the stats and uploader locks (bounded waits): a
     * command or uploader finishing now re-checks "enabled" under them and writes nothing back. A lock that
     * cannot be had in time does not stop the opt-out. Paths that are not roar's own are left as they are.
     */
    private Forgotten forgetInstall(RoarPaths paths) throws IOException {
        Path dir = paths.telemetryDir();
        Optional<String> foreign = TelemetryState.foreignCacheDirectory(paths);
        if (foreign.isPresent()) {
            // another user's directory, or one others can change: whatever is there (or a link there points to) is not ours
            return new Forgotten.NotOurDirectory(foreign.get());
        }
        if (!Files.isDirectory(dir)) {
            return new Forgotten.Deleted(0, false, Optional.empty());
        }
        try (Closeable stats = lockQuietly(paths.statsLock()); Closeable uploader = lockQuietly(paths.uploaderLock())) {
            int events = queue.deleteAll(paths.queueDir());
            boolean identity = Files.isRegularFile(paths.stats(), LinkOption.NOFOLLOW_LINKS);
            deleteRegularFile(paths.stats());
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "stats.json.*")) {
                for (Path leftover : leftovers) {
                    deleteRegularFile(leftover);
                }
            }
            if (isRegularOrAbsent(paths.ledger())) {
                Ledger.replaceBySummary(paths.ledger(), clock.instant());
            }
            deleteRegularFile(paths.lastAttempt());
            return new Forgotten.Deleted(events, identity, TelemetryState.notOurFile(paths));
        }
    }

    private static Closeable lockQuietly(Path lockFile) {
        try {
            Optional<FileLocks.Held> held = FileLocks.acquire(lockFile, LOCK_WAIT);
            return held.isPresent() ? held.get()::close : () -> {};
        } catch (IOException e) {
            return () -> {}; // a lock file that is not ours: the opt-out goes on without it
        }
    }

    private static boolean isRegularOrAbsent(Path file) {
        try {
            StateFiles.regularFileKeyOrAbsent(file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a regular file; a link, directory or special file there is not ours and stays. */
    private static void deleteRegularFile(Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(file);
        }
    }


    /** Why the global file cannot be written: an XDG_CONFIG_HOME roar cannot name (nothing is written elsewhere instead). */
    private static Optional<String> unnamedConfig(RoarPaths paths) {
        return paths.unnamed().config().map(ConfigFile.Invalid::problem);
    }
}
