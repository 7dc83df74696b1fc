package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.treqs.roar.telemetry.config.ConfigFile.IntegrationSwitches;
import ai.treqs.roar.telemetry.io.GuardedOpen;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.Utf8;
import ai.treqs.roar.telemetry.config.ConfigFile.Invalid;
import ai.treqs.roar.telemetry.config.ConfigFile.Valid;

/** Reads a roar config file; every way a file can be wrong is an {@link Invalid}, never an exception. */
public final class ConfigFileReader {
    public static final int MAX_BYTES = 64 * 1024;
    /** Links followed from a project file to the file read, as the kernel allows in a path. */
    private static final int MAX_LINKS = 40;

    private ConfigFileReader() {}

    /** A system or global file: a link is followed (dotfile managers link {@code global.toml}), the open is bounded. */
    public static ConfigFile read(Path path) {
        PathCheck.Answer answer = PathCheck.check(path);
        return unreadable(path, answer).orElseGet(() -> readOpened(path, GuardedOpen.open(path)));
    }

    /**
     * The project file, given what the file system said about it ({@code answer}, following links). Another user
     * may control a directory above it and swap the name at any moment, so what is read is decided again here
     * on the file actually opened (docs/security.md#files-another-user-can-swap): its {@code .roar} directory, and
     * then the file, are followed through symbolic links only when they are the user's own (a link another user
     * made, even to a {@code .roar} or file of the user's, is foreign), the directory must be the user's own, the
     * file itself is opened without following a link, within {@link GuardedOpen#BOUND}, and read only when it is
     * a regular file the user owns, in the directory that was judged (the same one after the open as before).
     */
    static ConfigFile read(Path path, PathCheck.Answer answer) {
        ProjectDirectory.Outcome where = ProjectDirectory.resolve(path.getParent());
        if (where instanceof ProjectDirectory.Foreign) {
            return new ConfigFile.Foreign(path);
        }
        Optional<ConfigFile> unreadable = unreadable(path, answer);
        if (unreadable.isPresent()) {
            return unreadable.get();
        }
        if (where instanceof ProjectDirectory.Unchecked unchecked) {
            return new Invalid(path, "cannot be checked: " + unchecked.why());
        }
        if (!(where instanceof ProjectDirectory.Own dir)) {
            return new ConfigFile.Absent(path); // gone since it was checked
        }
        Path file = dir.dir().resolve(path.getFileName());
        try {
            for (int links = 0; ; links++) {
                Optional<GuardedOpen.Stat> stat = GuardedOpen.stat(file, LinkOption.NOFOLLOW_LINKS);
                if (stat.isEmpty()) {
                    return new ConfigFile.Absent(path); // gone since it was checked
                }
                if (!stat.get().ownedByCurrentUser()) {
                    return new ConfigFile.Foreign(path);
                }
                if (!stat.get().attributes().isSymbolicLink()) {
                    break;
                }
                if (links == MAX_LINKS) {
                    return new Invalid(path, "cannot be checked: too many levels of symbolic links");
                }
                file = file.resolveSibling(Files.readSymbolicLink(file));
            }
        } catch (IOException e) {
            return new Invalid(path, "cannot be checked: " + IoMessages.why(e));
        } catch (SecurityException e) {
            return new Invalid(path, "cannot be checked: permission denied");
        }
        GuardedOpen.Outcome opened = GuardedOpen.open(file, LinkOption.NOFOLLOW_LINKS);
        if (opened instanceof GuardedOpen.Opened o && !o.stat().ownedByCurrentUser()) {
            closeQuietly(o);
            return new ConfigFile.Foreign(path);
        }
        if (opened instanceof GuardedOpen.Opened o && !ProjectDirectory.unchanged(path.getParent(), dir)) {
            closeQuietly(o);
            return new Invalid(path, "changed while it was opened");
        }
        return readOpened(path, opened);
    }

    /** What a path that cannot be opened at all is: absent or invalid; empty when there is something to open. */
    private static Optional<ConfigFile> unreadable(Path path, PathCheck.Answer answer) {
        if (answer instanceof PathCheck.Missing) {
            return Optional.of(new ConfigFile.Absent(path));
        }
        if (answer instanceof PathCheck.Unchecked unchecked) {
            return Optional.of(new Invalid(path, "cannot be checked: " + unchecked.why()));
        }
        return Optional.empty();
    }

    /** Reads an opened file, at most 64 KiB + 1 bytes; a link to /dev/zero or a FIFO is "not a regular file". */
    private static ConfigFile readOpened(Path path, GuardedOpen.Outcome outcome) {
        if (outcome instanceof GuardedOpen.Missing) {
            return new ConfigFile.Absent(path);
        }
        if (outcome instanceof GuardedOpen.NotRegular notRegular) {
            return new Invalid(path, notRegular.stat().attributes().isDirectory() ? "is a directory, not a file" : "not a regular file");
        }
        if (outcome instanceof GuardedOpen.Failed failed) {
            return new Invalid(path, failed.why());
        }
        byte[] bytes;
        try (GuardedOpen.Opened opened = (GuardedOpen.Opened) outcome) {
            bytes = opened.readAtMost(MAX_BYTES + 1); // bounded even if the file grows while it is read
        } catch (IOException e) {
            return new Invalid(path, "cannot be read: " + IoMessages.why(e));
        }
        return interpret(path, bytes);
    }

    private static void closeQuietly(GuardedOpen.Opened opened) {
        try {
            opened.close();
        } catch (IOException e) {
            // not read either way
        }
    }

    /** Decodes and interprets file content; pure. */
    public static ConfigFile interpret(Path path, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return new Invalid(path, "larger than 64 KiB");
        }
        String text;
        try {
            text = Utf8.decodeStrict(bytes);
        } catch (CharacterCodingException e) {
            return new Invalid(path, "not valid UTF-8");
        }
        Map<String, Object> root;
        try {
            root = Toml.parse(text);
        } catch (Toml.TomlSyntaxException e) {
            return new Invalid(path, e.getMessage());
        }
        Object telemetry = root.get("telemetry");
        if (telemetry != null && !(telemetry instanceof Map)) {
            return new Invalid(path, "'telemetry' must be a table");
        }
        Map<?, ?> table = telemetry == null ? Map.of() : (Map<?, ?>) telemetry;
        Object enabled = table.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
            return new Invalid(path, "'telemetry.enabled' must be true or false");
        }
        Object endpoint = table.get("endpoint");
        if (endpoint != null && !(endpoint instanceof String)) {
            return new Invalid(path, "'telemetry.endpoint' must be a string");
        }
        return new Valid(path, Optional.ofNullable((Boolean) enabled), Optional.ofNullable((String) endpoint),
                new IntegrationSwitches(flag(root, "proxy"), flag(root, "ray"), flag(root, "osmo")), unknownKeys(root));
    }

    /** The keys roar reads, by table; keys are case-sensitive. */
    private static final Map<String, Set<String>> KNOWN = Map.of("telemetry", Set.of("enabled", "endpoint"),
            "proxy", Set.of("enabled"), "ray", Set.of("enabled"), "osmo", Set.of("enabled"));

    /** Every key or table roar does not read, dotted ({@code telemetry.enable}, {@code Telemetry}), in file order. */
    static List<String> unknownKeys(Map<String, Object> root) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Object> entry : root.entrySet()) {
            Set<String> known = KNOWN.get(entry.getKey());
            if (known == null) {
                unknown.add(entry.getKey());
            } else if (entry.getValue() instanceof Map<?, ?> table) {
                for (Object key : table.keySet()) {
                    if (!known.contains(key)) {
                        unknown.add(entry.getKey() + "." + key);
                    }
                }
            }
        }
        return List.copyOf(unknown);
    }

    private static Optional<Boolean> flag(Map<String, Object> root, String table) {
        if (root.get(table) instanceof Map<?, ?> map && map.get("enabled") instanceof Boolean b) {
            return Optional.of(b);
        }
        return Optional.empty();
    }
}
