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

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.config.ConfigFile;
import ai.treqs.roar.telemetry.config.ConfigFileReader;
import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.CommandLineText;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.io.StateFiles;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.TelemetryState;
import ai.treqs.roar.telemetry.upload.Ledger;

/** {@code --disable}, {@code --enable}, {@code --endpoint}: edits of the user's global.toml (docs/telemetry.md#opt-out-controls). */
@ApplicationScoped
public class TelemetrySettings {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    private static final String NOTHING_TO_DELETE = "There was no queued event and no install ID to delete.\n";
    /** What still keeps telemetry off when the opt-out could not be saved (docs/telemetry.md). */
    static final String KEEP_IT_OFF = "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1"
            + " in your environment (e.g. export DO_NOT_TRACK=1 in your shell profile)\n";

    @Inject ConfigLoader configLoader;
    @Inject EventQueue queue;
    @Inject Clock clock;
    @Inject Environment env;

    public ActionResult disable() throws IOException {
        RoarPaths paths = configLoader.paths();
        if (paths.noHome()) {
            // off already, nothing stored: but a later shell with a usable HOME would be on again
            return ActionResult.failed(noFilesOfYours(paths.homeless().get()) + KEEP_IT_OFF);
        }
        Path global = paths.globalConfig();
        String note = "";
        String failure = null;
        Optional<String> foreign = GlobalFileEdit.foreignDirectory(global);
        boolean wasOff = foreign.isEmpty()
                && ConfigFileReader.read(global) instanceof ConfigFile.Valid v && v.enabled().equals(Optional.of(false));
        try {
            if (foreign.isPresent()) {
                failure = cannotSave(foreign.get());
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
                    note = "The unreadable " + global + " was moved to " + aside + "\n";
                } catch (IOException | GlobalFileEdit.Refused e) {
                    failure = "cannot write " + global + ": " + refused.getMessage();
                }
            } else {
                failure = "cannot write " + global + ": " + refused.getMessage();
            }
        } catch (IOException e) {
            failure = "cannot write " + global + ": " + IoMessages.whyWriting(e, global);
        }
        // an opt-out holds even when the file cannot say so: the identity goes in any case (docs/telemetry.md#opt-out-controls)
        String removed = "";
        StringBuilder err = new StringBuilder();
        if (failure != null) {
            // the data goes below, but nothing on disk says "off" now: the next command would start again
            err.append(foreign.isPresent() ? failure : "roar: " + failure + "; telemetry is not switched off in that file\n")
                    .append(KEEP_IT_OFF);
        }
        try {
            removed = forgetInstall(paths);
        } catch (IOException e) {
            err.append("roar: the local telemetry data could not be deleted: ").append(IoMessages.describe(e)).append('\n');
        }
        String done = wasOff ? "Telemetry was already disabled globally in " : "Telemetry disabled globally in ";
        String out = (failure == null ? note + done + global + "\n" : "") + removed;
        return new ActionResult(err.isEmpty() ? ExitCode.SUCCESS.code() : ExitCode.FAILURE.code(), out, err.toString());
    }

    public ActionResult enable() throws IOException {
        RoarPaths paths = configLoader.paths();
        Optional<ConfigFile> system = paths.systemConfig().map(ConfigFileReader::read);
        if (system.isPresent() && system.get() instanceof ConfigFile.Valid v && v.enabled().equals(Optional.of(false))) {
            return ActionResult.failed("roar: telemetry was disabled by an administrator in " + system.get().path()
                    + "; nothing changed\n");
        }
        if (system.isPresent() && system.get() instanceof ConfigFile.Invalid) {
            // the administrator's file fails closed (system_config_invalid): a user --enable cannot undo that
            return ActionResult.failed("roar: the administrator's " + system.get().path()
                    + " is invalid, so telemetry stays off until it is fixed; nothing changed\n");
        }
        ActionResult result = edit(paths.globalConfig(), "enabled", true, "Telemetry enabled globally in ");
        if (result.exitCode() != ExitCode.SUCCESS.code()) {
            return result;
        }
        // written as asked; say what still keeps it off where the command runs (docs/telemetry.md#precedence)
        EffectiveConfig here = configLoader.forCommand();
        Optional<String> why = here.suppression().map(r -> ReasonText.suppression(r, env))
                .or(() -> here.disabledReason().map(r -> ReasonText.disabled(r, here, configLoader.paths())));
        return why.map(w -> ActionResult.ok(result.out() + "Telemetry is still off here: " + w + ".\n")).orElse(result);
    }

    public ActionResult endpoint(String typed) throws IOException {
        Optional<String> exact = CommandLineText.asTyped(typed);
        if (exact.isEmpty()) {
            return ActionResult.usage("roar: invalid --endpoint: it contains characters this locale cannot read"
                    + " (set LANG to a UTF-8 locale, e.g. C.UTF-8)\n");
        }
        String url = exact.get();
        Optional<String> problem = EndpointRule.problem(url);
        if (problem.isPresent()) {
            return ActionResult.usage("roar: invalid --endpoint: " + problem.get() + "\n");
        }
        return edit(configLoader.paths().globalConfig(), "endpoint", url, "Telemetry endpoint saved in ");
    }

    private ActionResult edit(Path global, String key, Object value, String message) throws IOException {
        Optional<String> homeless = configLoader.paths().homeless();
        if (homeless.isPresent()) {
            return ActionResult.failed(noFilesOfYours(homeless.get()));
        }
        Optional<String> foreign = GlobalFileEdit.foreignDirectory(global);
        if (foreign.isPresent()) {
            return ActionResult.failed(cannotSave(foreign.get()));
        }
        try {
            GlobalFileEdit.set(global, key, value);
        } catch (GlobalFileEdit.Refused e) {
            return ActionResult.failed("roar: cannot edit " + global + ": " + e.getMessage() + "; nothing changed\n");
        } catch (IOException e) {
            return ActionResult.failed("roar: cannot write " + global + ": " + IoMessages.whyWriting(e, global) + "; nothing changed\n");
        }
        return ActionResult.ok(message + global + "\n");
    }

    /** The one line when there is no global file at all (no_home): the reason in words, never a made-up path. */
    private static String noFilesOfYours(String homeless) {
        return "roar: cannot save the setting: " + TerminalText.inert(homeless)
                + ", so roar keeps no files of yours (telemetry is off here: no_home); nothing changed\n";
    }

    /** The one line for a config directory another user owns or can write: nothing is written there. */
    private static String cannotSave(String why) {
        return "roar: cannot save the setting: " + TerminalText.inert(why) + "\n";
    }

    /**
     * An opted-out install keeps nothing that identifies it: queue, stats and leftovers, ledger (replaced
     * by its anonymous summary), last attempt. Done under the stats and uploader locks (bounded waits): a
     * command or uploader finishing now re-checks "enabled" under them and writes nothing back. A lock that
     * cannot be had in time does not stop the opt-out. Paths that are not roar's own are left as they are.
     */
    private String forgetInstall(RoarPaths paths) throws IOException {
        Path dir = paths.telemetryDir();
        Optional<String> foreign = TelemetryState.foreignCacheDirectory(paths);
        if (foreign.isPresent()) {
            // another user's directory, or one others can change: whatever is there (or a link there points to) is not ours
            return "Deleted nothing: " + TerminalText.inert(foreign.get())
                    + ", so roar left it untouched (it is not your own directory).\n";
        }
        if (!Files.isDirectory(dir)) {
            return NOTHING_TO_DELETE;
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
            String untouched = TelemetryState.notOurFile(paths).map(why -> "Left untouched (not roar's own file): " + TerminalText.inert(why) + "\n")
                    .orElse("");
            // a second --disable finds no identity: saying it deleted one would not be true
            return (events == 0 && !identity ? NOTHING_TO_DELETE
                    : "Deleted " + events + " queued events, the install ID and the upload history.\n") + untouched;
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

}
