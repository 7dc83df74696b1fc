package ai.treqs.roar.telemetry.control;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.PathCheck;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.StatsStore;
import ai.treqs.roar.telemetry.stats.TelemetryState;
import ai.treqs.roar.telemetry.upload.LastAttempt;
import ai.treqs.roar.telemetry.upload.ProxySettings;

/** What {@code --status} shows (docs/telemetry.md#--status), as facts; cli/StatusReport words them. Reads only; creates nothing. */
@ApplicationScoped
public class TelemetryStatus {

    @Inject ConfigLoader configLoader;
    @Inject StatsStore statsStore;
    @Inject EventQueue queue;
    @Inject Environment env;

    /**
     * The facts, in the order of the text form. {@code cannotRecord} says why the telemetry directory
     * cannot be written, when it cannot.
     */
    public record Facts(EffectiveConfig config, RoarPaths paths, ProxySettings.Route proxy, int queued, Optional<String> installId,
                        Optional<LastAttempt> lastUpload, boolean globalConfigExists, Optional<String> cannotRecord) {}

    public Facts facts() {
        EffectiveConfig config = configLoader.forCommand();
        RoarPaths paths = configLoader.paths();
        ProxySettings.Route proxy = config.endpoint().isEmpty() ? new ProxySettings.Route.Direct()
                : ProxySettings.route(env, config.endpoint());
        // state that is not ours (another user's directory, a link) is not even read: no planted identity shown
        Optional<String> notOurs = paths.noHome() ? Optional.empty() : TelemetryState.notOurs(paths);
        boolean readable = !paths.noHome() && notOurs.isEmpty();
        return new Facts(config, paths, proxy, readable ? queue.count(paths.queueDir()) : 0,
                readable ? statsStore.read(paths).map(s -> s.installId()) : Optional.empty(),
                readable ? LastAttempt.read(paths.lastAttempt()) : Optional.empty(),
                !(PathCheck.check(config.globalConfig()) instanceof PathCheck.Missing),
                config.statsEnabled()
                        ? TelemetryState.foreignDirectory(paths).or(() -> RecordCheck.problem(paths.telemetryDir())).or(() -> notOurs)
                        : Optional.empty());
    }
}
