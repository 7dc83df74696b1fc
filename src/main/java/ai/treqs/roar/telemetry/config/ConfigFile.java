package ai.treqs.roar.telemetry.config;

import java.nio.file.Path;
import java.util.Optional;

/** One TOML config file as read: absent, invalid (fails closed, docs/configuration.md#warnings-and-fail-closed-behaviour) or valid. */
public sealed interface ConfigFile {

    Path path();

    record Absent(Path path) implements ConfigFile {}

    /** A file that exists but cannot be trusted; {@code problem} is one line for the warning. */
    record Invalid(Path path, String problem) implements ConfigFile {}

    /** A project file not owned by the current user: ignored with a warning. */
    record Foreign(Path path) implements ConfigFile {}

    record Valid(Path path, Optional<Boolean> enabled, Optional<String> endpoint, IntegrationSwitches integrations)
            implements ConfigFile {}

    /**
     * What one file sets for roar's own integrations ({@code [proxy]}, {@code [ray]}, {@code [osmo]}
     * {@code enabled}); empty where it says nothing. The resolved ones are {@link EffectiveConfig.Integrations}.
     */
    record IntegrationSwitches(Optional<Boolean> proxy, Optional<Boolean> ray, Optional<Boolean> osmo) {
        public static final IntegrationSwitches NONE = new IntegrationSwitches(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
