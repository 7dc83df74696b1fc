package ai.treqs.roar.telemetry.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.Environment;

/**
 * One base directory variable ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code XDG_CACHE_HOME}): the absolute path it
 * names, or why it names none, in words ({@code HOME is a relative path}). An absolute value whose bytes Java could
 * not decode (docs/host-commands.md#what-roar-reads-of-home) names no directory either, since the text would name one
 * the user never named; unlike a relative one it is {@code unnamed}: the user did name a directory, roar cannot
 * reach it, and what it holds (an opt-out) must not be replaced by another directory's (docs/security.md#undecodable-base-directories).
 */
record BaseDirectory(Optional<Path> dir, String why, boolean unnamed) {

    BaseDirectory(Optional<Path> dir, String why) {
        this(dir, why, false);
    }

    static BaseDirectory of(Environment env, String name) {
        Optional<String> value = env.get(name);
        if (value.isEmpty()) {
            return none(name + " is not set");
        }
        if (value.get().isEmpty()) {
            return none(name + " is empty");
        }
        if (!value.get().startsWith("/")) {
            return none(name + " is a relative path");
        }
        // under an ASCII locale Java cannot even make a path of the text (InvalidPathException): not text either
        Optional<Path> dir = absolute(value.get());
        if (dir.isEmpty() || !env.isExactText(name)) {
            return new BaseDirectory(Optional.empty(), notText(env, name), true);
        }
        return new BaseDirectory(dir, "", false);
    }

    /** A path to show for {@code text}, never to open: what Java cannot encode in a file name becomes {@code ?}. */
    static Path shown(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return Path.of(text.replaceAll("[^\\x20-\\x7E]", "?"));
        }
    }

    /** Why a variable's value names nothing roar can reach: its bytes are not text in the encoding Java decodes them with. */
    static String notText(Environment env, String name) {
        String encoding = env.textEncoding();
        return name + " is not valid " + encoding
                + (encoding.equals("UTF-8") ? "" : " (the encoding of this locale; is the locale installed?)");
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
