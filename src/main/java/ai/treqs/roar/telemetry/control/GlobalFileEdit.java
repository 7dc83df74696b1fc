package ai.treqs.roar.telemetry.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

import ai.treqs.roar.telemetry.config.ConfigFile;
import ai.treqs.roar.telemetry.config.ConfigFileReader;
import ai.treqs.roar.telemetry.config.PathCheck;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.config.TomlEditor;
import ai.treqs.roar.telemetry.io.FileOwner;
import ai.treqs.roar.telemetry.io.OwnDirectory;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.io.Utf8;

/**
 * One edit of {@code global.toml} (docs/configuration.md#keys, docs/security.md): the result is checked by the same reader that will
 * read it and must mean exactly what was asked; a symlinked file (dotfile managers) is edited where the
 * link points, when that file belongs to the user, and the link is kept.
 */
final class GlobalFileEdit {

    /** Why an edit was not made; {@code obstacle} is true when moving the file aside would clear the way. */
    static final class Refused extends Exception {
        final boolean obstacle;

        Refused(String message, boolean obstacle) {
            super(message);
            this.obstacle = obstacle;
        }
    }

    private GlobalFileEdit() {}

    /** Sets {@code [telemetry] key = value} in {@code global} (or the file it links to) and returns the file written. */
    static Path set(Path global, String key, Object value) throws Refused, IOException {
        if (global.startsWith(RoarPaths.NO_HOME)) {
            throw new Refused("HOME is not an absolute path and no absolute XDG_CONFIG_HOME is set, so roar keeps "
                    + "no files of yours (telemetry is off here: no_home)", false);
        }
        Optional<String> foreign = foreignDirectory(global);
        if (foreign.isPresent()) {
            // the reader ignores a file there (ConfigLoader), and a link there may point at any file of the user's
            throw new Refused(foreign.get(), false);
        }
        Path target = target(global);
        String text = currentText(global, target);
        String edited;
        try {
            edited = TomlEditor.set(text, key, value);
        } catch (TomlEditor.EditException e) {
            throw new Refused(e.getMessage(), true);
        }
        byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
        ConfigFile result = ConfigFileReader.interpret(global, bytes);
        if (!(result instanceof ConfigFile.Valid valid)) {
            throw new Refused("the edited file would be invalid: " + ((ConfigFile.Invalid) result).problem(), true);
        }
        Optional<?> now = key.equals("enabled") ? valid.enabled() : valid.endpoint();
        if (!Objects.equals(now, Optional.of(value))) {
            throw new Refused("the edited file would not say " + key + " = " + value, true);
        }
        SecureFiles.ensureDirectory(target.getParent());
        SecureFiles.writeAtomically(target, bytes);
        return target;
    }

    /**
     * Why the directory of {@code global} ({@code CONFIG_HOME/roar}) may not be written, in words: another user
     * owns it or can write it, so a {@code global.toml} there (or a link there) may be theirs (docs/security.md).
     */
    static Optional<String> foreignDirectory(Path global) {
        return OwnDirectory.problem(global.getParent());
    }

    /** Where the rewrite goes: {@code global} itself, or the user's own file its symlink points to. */
    private static Path target(Path global) throws Refused {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(global, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            PathCheck.Answer answer = PathCheck.check(global);
            if (answer instanceof PathCheck.Missing) {
                return global;
            }
            throw new Refused(answer instanceof PathCheck.Unchecked u ? "cannot be checked: " + u.why() : "cannot be checked", true);
        }
        if (!own.isSymbolicLink()) {
            if (!own.isRegularFile()) {
                throw new Refused(own.isDirectory() ? "it is a directory, not a file" : "it is not a regular file", true);
            }
            return global;
        }
        PathCheck.Answer answer = PathCheck.check(global);
        if (answer instanceof PathCheck.Unchecked u) {
            throw new Refused("cannot be checked: " + u.why(), true);
        }
        if (answer instanceof PathCheck.Missing) {
            throw new Refused("it is a symbolic link to something that does not exist", true);
        }
        Path real;
        try {
            real = global.toRealPath();
        } catch (IOException e) {
            throw new Refused("cannot follow the symbolic link", true);
        }
        if (!((PathCheck.Present) answer).attributes().isRegularFile()) {
            throw new Refused("it is a symbolic link to " + real + ", which is not a regular file", true);
        }
        if (!FileOwner.isCurrentUser(real)) {
            // a link into someone else's file: writing there would change their settings (docs/security.md)
            throw new Refused("it is a symbolic link to " + real + ", which belongs to another user", false);
        }
        return real;
    }

    private static String currentText(Path global, Path target) throws Refused, IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return "";
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(target)) {
            bytes = in.readNBytes(ConfigFileReader.MAX_BYTES + 1);
        }
        if (bytes.length > ConfigFileReader.MAX_BYTES) {
            throw new Refused("larger than 64 KiB", true);
        }
        try {
            return Utf8.decodeStrict(bytes);
        } catch (CharacterCodingException e) {
            throw new Refused("not valid UTF-8", true);
        }
    }
}
