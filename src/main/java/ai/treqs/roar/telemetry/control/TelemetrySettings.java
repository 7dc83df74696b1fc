package ai.treqs.roar.telemetry.control;

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
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.io.Utf8;
import ai.treqs.roar.telemetry.queue.EventQueue;

/** {@code --disable}, {@code --enable}, {@code --endpoint}: edits of the user's global.toml (contract §8). */
@ApplicationScoped
public class TelemetrySettings {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Inject ConfigLoader configLoader;
    @Inject EventQueue queue;
    @Inject Clock clock;

    public ActionResult disable() throws IOException {
        RoarPaths paths = configLoader.paths();
        Path global = paths.globalConfig();
        String note = "";
        try {
            try {
                write(global, TomlEditor.set(currentText(global), "enabled", false));
            } catch (TomlEditor.EditException | CharacterCodingException e) {
                // the user wants telemetry off: keep their old content aside and write a file that says so
                Path aside = global.resolveSibling("global.toml.invalid-" + STAMP.format(clock.instant()));
                Files.move(global, aside, StandardCopyOption.ATOMIC_MOVE);
                write(global, "[telemetry]\nenabled = false\n");
                note = "The unreadable " + global + " was moved to " + aside + "\n";
            }
        } catch (IOException e) {
            // an atomic write fails on its temporary file: name the file the user knows
            return ActionResult.failed("roar: telemetry is not disabled: " + IoMessages.describe(e, global) + "\n");
        }
        String done = note + "Telemetry disabled globally in " + global + "\n";
        try {
            forgetInstall(paths);
        } catch (IOException e) {
            return new ActionResult(ActionResult.FAILED, done,
                    "roar: the local telemetry data could not be deleted: " + IoMessages.describe(e) + "\n");
        }
        return ActionResult.ok(done);
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

    /** An opted-out install keeps nothing that identifies it: queue, stats and leftovers, ledger, last attempt. */
    private void forgetInstall(RoarPaths paths) throws IOException {
        queue.deleteAll(paths.queueDir());
        Files.deleteIfExists(paths.stats());
        Path dir = paths.telemetryDir();
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "stats.json.*")) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
        Files.deleteIfExists(paths.ledger());
        Files.deleteIfExists(paths.lastAttempt());
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
