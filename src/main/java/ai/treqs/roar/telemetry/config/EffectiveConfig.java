package ai.treqs.roar.telemetry.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The telemetry settings in force for one command (docs/telemetry.md#precedence), with where each came from.
 * {@code statsEnabled} is the "Telemetry:" of {@code --status}.
 */
public record EffectiveConfig(
        boolean statsEnabled,
        boolean uploadsEnabled,
        String endpoint,
        EndpointSource endpointSource,
        Optional<String> suppression,
        Optional<String> disabledReason,
        Optional<String> uploadsReason,
        Optional<Path> systemConfig,
        Path globalConfig,
        Optional<Path> projectConfig,
        Integrations integrations,
        Optional<Path> projectRestriction) {

    /** {@code projectRestriction}: the project file whose {@code enabled = false}, {@code endpoint = ""} or fault applies, when one does. */
    public EffectiveConfig(boolean statsEnabled, boolean uploadsEnabled, String endpoint, EndpointSource endpointSource,
                           Optional<String> suppression, Optional<String> disabledReason, Optional<String> uploadsReason,
                           Optional<Path> systemConfig, Path globalConfig, Optional<Path> projectConfig, Integrations integrations) {
        this(statsEnabled, uploadsEnabled, endpoint, endpointSource, suppression, disabledReason, uploadsReason, systemConfig,
                globalConfig, projectConfig, integrations, Optional.empty());
    }

    public enum EndpointSource {
        ENV, GLOBAL, SYSTEM, DEFAULT, PROJECT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** roar's own integrations switched on in the effective config (feature capabilities, docs/telemetry.md#what-is-collected). */
    public record Integrations(boolean proxy, boolean ray, boolean osmo) {}

    /** Why nothing would be uploaded: the suppression, else the disabled reason, else the endpoint's. */
    public Optional<String> noUploadReason() {
        if (uploadsEnabled) {
            return Optional.empty();
        }
        return suppression.or(() -> disabledReason).or(() -> uploadsReason);
    }
}
