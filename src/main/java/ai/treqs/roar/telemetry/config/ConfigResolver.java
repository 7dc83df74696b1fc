package ai.treqs.roar.telemetry.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import ai.treqs.roar.telemetry.config.ConfigFile.Foreign;
import ai.treqs.roar.telemetry.config.ConfigFile.Invalid;
import ai.treqs.roar.telemetry.config.ConfigFile.Valid;
import ai.treqs.roar.telemetry.config.EffectiveConfig.EndpointSource;
import ai.treqs.roar.telemetry.config.EffectiveConfig.Integrations;

/** docs/telemetry.md#precedence as a pure function: the sources in, the effective configuration and its warnings out. */
public final class ConfigResolver {

    private ConfigResolver() {}

    /**
     * Everything the resolution looks at. {@code envEndpoint} is present (maybe empty) when the variable is set.
     * {@code noHome}: no absolute HOME or XDG directories, so no user file exists at all. {@code project} is the
     * nearest project file; {@code enclosing} the user's own project files in the directories above it, nearest
     * first: they can only restrict (docs/configuration.md#the-project-file).
     */
    public record Sources(Optional<String> suppression, ConfigFile system, ConfigFile global, ConfigFile project,
                          Optional<String> envEndpoint, BuildDefaults build, boolean noHome, List<ConfigFile> enclosing) {
        public Sources(Optional<String> suppression, ConfigFile system, ConfigFile global, ConfigFile project,
                       Optional<String> envEndpoint, BuildDefaults build, boolean noHome) {
            this(suppression, system, global, project, envEndpoint, build, noHome, List.of());
        }

        public Sources(Optional<String> suppression, ConfigFile system, ConfigFile global, ConfigFile project,
                       Optional<String> envEndpoint, BuildDefaults build) {
            this(suppression, system, global, project, envEndpoint, build, false);
        }

        /** The nearest project file, then the enclosing ones. */
        List<ConfigFile> projects() {
            List<ConfigFile> all = new ArrayList<>(List.of(project));
            all.addAll(enclosing);
            return all;
        }
    }

    public record Resolution(EffectiveConfig config, List<String> warnings) {}

    public static Resolution resolve(Sources s) {
        List<String> warnings = new ArrayList<>();
        Optional<String> disabled = firstDisabledReason(s);
        Optional<Path> restriction = disabled.filter(r -> r.startsWith("project_")).flatMap(r -> restrictingProject(s, r));

        String endpoint;
        EndpointSource source;
        if (s.envEndpoint().isPresent()) {
            endpoint = s.envEndpoint().get();
            source = EndpointSource.ENV;
        } else if (endpointOf(s.global()).isPresent()) {
            endpoint = endpointOf(s.global()).get();
            source = EndpointSource.GLOBAL;
        } else if (endpointOf(s.system()).isPresent()) {
            endpoint = endpointOf(s.system()).get();
            source = EndpointSource.SYSTEM;
        } else {
            endpoint = s.build().endpoint();
            source = EndpointSource.DEFAULT;
        }
        Optional<String> projectEndpoint = endpointOf(s.project());
        if (projectEndpoint.isPresent() && !projectEndpoint.get().isEmpty()) {
            warnings.add(s.project().path() + ": ignoring 'endpoint' (a project may only set it to \"\" to forbid uploads)");
        }
        // endpoint = "" in the nearest project file or one around it forbids uploads from here
        Optional<ConfigFile> forbidding = s.projects().stream().filter(f -> endpointOf(f).equals(Optional.of(""))).findFirst();
        if (forbidding.isPresent()) {
            endpoint = "";
            source = EndpointSource.PROJECT;
            restriction = restriction.or(() -> Optional.of(forbidding.get().path()));
        }

        Optional<String> uploadsReason = Optional.empty();
        if (endpoint.isEmpty()) {
            uploadsReason = Optional.of("empty_endpoint");
        } else if (EndpointRule.problem(endpoint).isPresent()) {
            uploadsReason = Optional.of("invalid_endpoint");
            // docs/configuration.md#warnings-and-fail-closed-behaviour: a warning names the file the value came from (or the variable, or the build)
            String origin = switch (source) {
                case ENV -> "ROAR_TELEMETRY_ENDPOINT";
                case GLOBAL -> s.global().path().toString();
                case SYSTEM -> s.system().path().toString();
                default -> "the build's default endpoint";
            };
            warnings.add(origin + ": telemetry endpoint from " + source.label() + " is not usable, uploads are off: "
                    + EndpointRule.problem(endpoint).get());
        }
        List<ConfigFile> warnedFiles = new ArrayList<>(List.of(s.system(), s.global()));
        warnedFiles.addAll(s.projects());
        for (ConfigFile file : warnedFiles) {
            if (file instanceof Invalid invalid) {
                warnings.add(invalid.path() + ": " + invalid.problem() + "; telemetry stays off until it is fixed");
            } else if (file instanceof Foreign foreign) {
                warnings.add(file.path() + ": ignored, " + foreign.why());
            } else if (file instanceof Valid valid && !valid.unknownKeys().isEmpty()) {
                // a misspelled opt-out (enable = false, [Telemetry]) would otherwise change nothing without a word
                warnings.add(file.path() + ": ignoring unknown " + (valid.unknownKeys().size() == 1 ? "key " : "keys ")
                        + String.join(", ", valid.unknownKeys().stream().map(k -> "'" + k + "'").toList())
                        + " (roar reads telemetry.enabled, telemetry.endpoint, proxy.enabled, ray.enabled, osmo.enabled)");
            }
        }

        boolean statsEnabled = s.suppression().isEmpty() && disabled.isEmpty();
        boolean uploadsEnabled = statsEnabled && uploadsReason.isEmpty();
        EffectiveConfig config = new EffectiveConfig(statsEnabled, uploadsEnabled, endpoint, source,
                s.suppression(), disabled, uploadsReason,
                present(s.system()), s.global().path(), present(s.project()),
                integrations(s), restriction);
        // An environment opt-out already decides: nothing about files is worth a warning then.
        return new Resolution(config, s.suppression().isPresent() ? List.of() : List.copyOf(warnings));
    }

    private static Optional<String> firstDisabledReason(Sources s) {
        if (s.noHome()) {
            return Optional.of("no_home");
        }
        if (s.system() instanceof Invalid) {
            return Optional.of("system_config_invalid");
        }
        if (enabledOf(s.system()).equals(Optional.of(false))) {
            return Optional.of("system_disabled");
        }
        if (s.global() instanceof Invalid) {
            return Optional.of("global_config_invalid");
        }
        if (enabledOf(s.global()).equals(Optional.of(false))) {
            return Optional.of("global_disabled");
        }
        if (restrictingProject(s, "project_config_invalid").isPresent()) {
            return Optional.of("project_config_invalid");
        }
        if (restrictingProject(s, "project_disabled").isPresent()) {
            return Optional.of("project_disabled");
        }
        boolean aFileSaysOn = enabledOf(s.global()).orElse(false) || enabledOf(s.system()).orElse(false);
        if (!s.build().enabled() && !aFileSaysOn) {
            return Optional.of("build_default_disabled");
        }
        return Optional.empty();
    }

    /** The nearest project file (the nearest one first, then those around it) that gives {@code reason}. */
    private static Optional<Path> restrictingProject(Sources s, String reason) {
        return s.projects().stream().filter(f -> reason.equals("project_config_invalid") ? f instanceof Invalid
                : enabledOf(f).equals(Optional.of(false))).map(ConfigFile::path).findFirst();
    }

    private static Optional<Boolean> enabledOf(ConfigFile file) {
        return file instanceof Valid valid ? valid.enabled() : Optional.empty();
    }

    private static Optional<String> endpointOf(ConfigFile file) {
        return file instanceof Valid valid ? valid.endpoint() : Optional.empty();
    }

    private static Optional<Path> present(ConfigFile file) {
        return file instanceof ConfigFile.Absent ? Optional.empty() : Optional.of(file.path());
    }

    /** Project overrides global overrides system for roar's own integration switches. */
    private static Integrations integrations(Sources s) {
        return new Integrations(
                flag(s, i -> i.proxy()), flag(s, i -> i.ray()), flag(s, i -> i.osmo()));
    }

    private static boolean flag(Sources s, Function<ConfigFile.IntegrationSwitches, Optional<Boolean>> pick) {
        for (ConfigFile file : List.of(s.project(), s.global(), s.system())) {
            if (file instanceof Valid valid && pick.apply(valid.integrations()).isPresent()) {
                return pick.apply(valid.integrations()).get();
            }
        }
        return false;
    }
}
