package ai.treqs.roar.telemetry.control;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.config.TomlEditor;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.io.StateFiles;
import ai.treqs.roar.telemetry.io.Utf8;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.TelemetryState;
import ai.treqs.roar.telemetry.upload.Ledger;

/** {@code --disable}, {@code --enable}, {@code --endpoint}: edits of the user's global.toml (contract §8). */
@ApplicationScoped
public class TelemetrySettings {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    @Inject ConfigLoader configLoader;
    @Inject EventQueue queue;
    @Inject Clock clock;

    public ActionResult disable() throws IOException {
        RoarPaths paths = configLoader.paths();
        Path global = paths.globalConfig();
        String note = "";
        try {
            write(global, TomlEditor.set(currentText(global), "enabled", false));
        } catch (TomlEditor.EditException | CharacterCodingException e) {
            // the user wants telemetry off: keep their old content aside and write a file that says so
            Path aside = global.resolveSibling("global.toml.invalid-" + STAMP.format(clock.instant()));
            Files.move(global, aside, StandardCopyOption.ATOMIC_MOVE);
            write(global, "[telemetry]\nenabled = false\n");
            note = "The unreadable " + global + " was moved to " + aside + "\n";
        }
        String removed = forgetInstall(paths);
        return ActionResult.ok(note + "Telemetry disabled globally in " + global + "\n" + removed);
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
        return edit(paths.globalConfig(), "enabled", true, "Telemetry enabled globally in ");
    }

    public ActionResult endpoint(String url) throws IOException {
        Optional<String> problem = EndpointRule.problem(url);
        if (problem.isPresent()) {
            return ActionResult.usage("roar: invalid --endpoint: " + problem.get() + "\n");
        }
        return edit(configLoader.paths().globalConfig(), "endpoint", url, "Telemetry endpoint saved in ");
    }

    private ActionResult edit(Path global, String key, Object value, String message) throws IOException {
        try {
            write(global, TomlEditor.set(currentText(global), key, value));
        } catch (TomlEditor.EditException e) {
            return ActionResult.failed("roar: cannot edit " + global + ": " + e.getMessage() + "\n");
        } catch (CharacterCodingException e) {
            return ActionResult.failed("roar: cannot edit " + global + ": not valid UTF-8\n");
        }
        return ActionResult.ok(message + global + "\n");
    }

    /**
     * An opted-out install keeps nothing that identifies it: queue, stats and leftovers, ledger (replaced
     * by its anonymous summary), last attempt. Done under the stats and uploader locks (bounded waits): a
     * command or uploader finishing now re-checks "enabled" under them and writes nothing back. A lock that
     * cannot be had in time does not stop the opt-out. Paths that are not roar's own are left as they are.
     */
    private String forgetInstall(RoarPaths paths) throws IOException {
        Path dir = paths.telemetryDir();
        if (!Files.isDirectory(dir)) {
            return "Deleted 0 queued events, the install ID and the upload history.\n";
        }
        try (Closeable stats = lockQuietly(paths.statsLock()); Closeable uploader = lockQuietly(paths.uploaderLock())) {
            int events = queue.deleteAll(paths.queueDir());
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
            String untouched = TelemetryState.notOurs(paths).map(why -> "Left untouched (not roar's own file): " + why + "\n")
                    .orElse("");
            return "Deleted " + events + " queued events, the install ID and the upload history.\n" + untouched;
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

    private static String currentText(Path file) throws IOException, CharacterCodingException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return "";
        }
        return Utf8.decodeStrict(bytes);
    }

    private static void write(Path file, String text) throws IOException {
        SecureFiles.ensureDirectory(file.getParent());
        SecureFiles.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
