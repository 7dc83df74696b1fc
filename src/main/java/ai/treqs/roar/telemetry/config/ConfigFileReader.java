package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.treqs.roar.telemetry.config.ConfigFile.IntegrationSwitches;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.Utf8;
import ai.treqs.roar.telemetry.config.ConfigFile.Invalid;
import ai.treqs.roar.telemetry.config.ConfigFile.Valid;

/** Reads a roar config file; every way a file can be wrong is an {@link Invalid}, never an exception. */
public final class ConfigFileReader {
    public static final int MAX_BYTES = 64 * 1024;

    private ConfigFileReader() {}

    public static ConfigFile read(Path path) {
        return read(path, PathCheck.check(path));
    }

    /** Reads {@code path} given what the file system said about it (only "does not exist" is absent, docs/configuration.md#warnings-and-fail-closed-behaviour). */
    static ConfigFile read(Path path, PathCheck.Answer answer) {
        if (answer instanceof PathCheck.Missing) {
            return new ConfigFile.Absent(path);
        }
        if (answer instanceof PathCheck.Unchecked unchecked) {
            return new Invalid(path, "cannot be checked: " + unchecked.why());
        }
        // a symlink to a dotfile is fine; one to /dev/zero, /dev/stdin or a FIFO (a cloned repository
        // can hold such a .roar/config.toml) would read forever or block: only regular files are read
        if (!((PathCheck.Present) answer).attributes().isRegularFile()) {
            return new Invalid(path, ((PathCheck.Present) answer).attributes().isDirectory()
                    ? "is a directory, not a file" : "not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // bounded even if the file grows while it is read
        } catch (NoSuchFileException e) {
            return new ConfigFile.Absent(path);
        } catch (IOException e) {
            return new Invalid(path, "cannot be read: " + IoMessages.why(e));
        } catch (SecurityException e) {
            return new Invalid(path, "cannot be read: permission denied");
        }
        return interpret(path, bytes);
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
