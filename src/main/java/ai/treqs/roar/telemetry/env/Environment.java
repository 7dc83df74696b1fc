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

    static Environment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return new Environment() {
            @Override public Optional<String> get(String name) { return Optional.ofNullable(copy.get(name)); }
            @Override public Map<String, String> all() { return copy; }
        };
    }
}
