package ai.treqs.roar.telemetry.control;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.MachineFacts;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.payload.Capabilities;
import ai.treqs.roar.telemetry.payload.PayloadBuilder;
import ai.treqs.roar.telemetry.payload.Platform;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;
import ai.treqs.roar.telemetry.stats.StatsStore;
import ai.treqs.roar.telemetry.stats.TelemetryState;

/**
 * {@code --print}: the exact bytes an upload would carry, with the {@code preview} trigger. Writes
 * nothing; an install without stats previews with a throwaway identity.
 */
@ApplicationScoped
public class TelemetryPreview {

    /** The payload as it would be sent, and why it would not be sent, when it would not. */
    public record Preview(String json, Optional<String> noUploadReason) {}

    @Inject ConfigLoader configLoader;
    @Inject StatsStore statsStore;
    @Inject Clock clock;

    public Preview print() {
        EffectiveConfig config = configLoader.forCommand();
        Instant now = clock.instant();
        RoarPaths paths = configLoader.paths();
        // another user's (or no one's) stats are not read: a fresh install's payload instead of a planted identity
        boolean ours = !paths.noHome() && TelemetryState.notOurs(paths).isEmpty();
        Stats stats = (ours ? statsStore.read(paths) : Optional.<Stats>empty()).orElseGet(() -> Stats.fresh(now));
        MachineFacts machine = MachineFacts.probe();
        Platform platform = Platform.of(machine.osName(), machine.osArch());
        stats.setFeatureCapabilities(Capabilities.of(config, configLoader.productionEndpoint(), platform,
                machine.blake3OnClassPath(), machine.kernelBtf()));
        String json = Json.writeString(PayloadBuilder.build(stats, Trigger.PREVIEW, stats.sequence() + 1,
                PayloadBuilder.newEventId(), now, configLoader.build().version(), platform));
        return new Preview(json, config.noUploadReason());
    }
}
