package ai.treqs.roar.telemetry.env;

import java.util.Map;
import java.util.Optional;

/**
 * The process environment, behind a seam: production reads the real one, tests pass a map.
 * Nothing else in the code base calls {@code System.getenv}.
 */
public interface Environment {

    /** The value of {@code name}; present but empty when the variable is set to the empty string. */
    Optional<String> get(String name);

    /** Every variable, for building a child's environment. */
    Map<String, String> all();

    /**
     * Whether {@code name}'s text names exactly the bytes the user set: false when the bytes were not valid in the
     * encoding Java decodes the environment with (a Latin-1 {@code é} under UTF-8 becomes U+FFFD), so that a path
     * made of the text would name a file the user never named. A map of text given by a test is always exact.
     */
    default boolean isExactText(String name) {
        return true;
    }

    /** The encoding Java decoded the environment and file names with ({@code sun.jnu.encoding}), for messages. */
    default String textEncoding() {
        return "UTF-8";
    }

    static Environment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return new Environment() {
            @Override public Optional<String> get(String name) { return Optional.ofNullable(copy.get(name)); }
            @Override public Map<String, String> all() { return copy; }
        };
    }
}
