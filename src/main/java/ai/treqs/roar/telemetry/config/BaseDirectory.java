package ai.treqs.roar.telemetry.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.Environment;

/**
 * One base directory variable ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code XDG_CACHE_HOME}): the absolute path it
 * names, or why it names none, in words ({@code HOME is a relative path}). A value whose bytes Java could not decode
 * (docs/host-commands.md#what-roar-reads-of-home) is unusable like a relative one: the text would name a directory the
 * user never named.
 */
record BaseDirectory(Optional<Path> dir, String why) {

    static BaseDirectory of(Environment env, String name) {
        Optional<String> value = env.get(name);
        if (value.isEmpty()) {
            return none(name + " is not set");
        }
        if (value.get().isEmpty()) {
            return none(name + " is empty");
        }
        if (!env.isExactText(name)) {
            return none(name + " is not valid UTF-8");
        }
        return absolute(value.get()).map(dir -> new BaseDirectory(Optional.of(dir), ""))
                .orElseGet(() -> none(name + " is a relative path"));
    }

    /** The account's home ({@code user.home}) stands in for an unset or empty HOME when it is an absolute path Java read whole. */
    static Optional<BaseDirectory> accountHome(String userHome) {
        if (userHome == null || userHome.indexOf('\uFFFD') >= 0) {
            return Optional.empty();
        }
        return absolute(userHome).map(dir -> new BaseDirectory(Optional.of(dir), ""));
    }

    static Optional<Path> absolute(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(value);
            return p.isAbsolute() ? Optional.of(p) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static BaseDirectory none(String why) {
        return new BaseDirectory(Optional.empty(), why);
    }
}
