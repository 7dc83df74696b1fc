package ai.treqs.roar.telemetry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One TOML config file as read: absent, invalid (fails closed, docs/configuration.md#warnings-and-fail-closed-behaviour) or valid. */
public sealed interface ConfigFile {

    Path path();

    record Absent(Path path) implements ConfigFile {}

    /** A file that exists but cannot be trusted; {@code problem} is one line for the warning. */
    record Invalid(Path path, String problem) implements ConfigFile {}

    /**
     * A file roar does not read because another user could have put it there: a project file the user does not
     * own, or a global file in a config directory that is not the user's own; {@code why} ends the warning.
     */
    record Foreign(Path path, String why) implements ConfigFile {
        public static final String NOT_OWNED = "it is not owned by the current user";

        public Foreign(Path path) {
            this(path, NOT_OWNED);
        }
    }

    /** {@code unknownKeys}: dotted names roar does not read (a misspelled {@code enable = false}), for a warning. */
    record Valid(Path path, Optional<Boolean> enabled, Optional<String> endpoint, IntegrationSwitches integrations,
                 List<String> unknownKeys) implements ConfigFile {
        public Valid(Path path, Optional<Boolean> enabled, Optional<String> endpoint, IntegrationSwitches integrations) {
            this(path, enabled, endpoint, integrations, List.of());
        }
    }

    /**
     * What one file sets for roar's own integrations ({@code [proxy]}, {@code [ray]}, {@code [osmo]}
     * {@code enabled}); empty where it says nothing. The resolved ones are {@link EffectiveConfig.Integrations}.
     */
    record IntegrationSwitches(Optional<Boolean> proxy, Optional<Boolean> ray, Optional<Boolean> osmo) {
        public static final IntegrationSwitches NONE = new IntegrationSwitches(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
