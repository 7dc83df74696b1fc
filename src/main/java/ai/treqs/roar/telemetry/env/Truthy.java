package ai.treqs.roar.telemetry.env;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** docs/configuration.md#environment-variables: a truthy value is any value except empty, 0, false, no, off (trimmed, case-insensitive). */
public final class Truthy {
    private static final Set<String> FALSY = Set.of("", "0", "false", "no", "off");

    private Truthy() {}

    public static boolean test(String value) {
        return value != null && !FALSY.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    public static boolean test(Optional<String> value) {
        return value.map(Truthy::test).orElse(false);
    }
}
