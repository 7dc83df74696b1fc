package ai.treqs.roar.telemetry.payload;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import ai.treqs.roar.telemetry.io.UtcTimestamps;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;

/** Builds schema-1 payloads from a stats snapshot, keeping only what {@link Allowlist} allows. Pure. */
public final class PayloadBuilder {

    private PayloadBuilder() {}

    /** One event; {@code eventId} is a fresh random UUID in production. */
    public static Map<String, Object> build(Stats stats, Trigger trigger, long sequence, String eventId,
                                            Instant triggerTs, String version, Platform platform) {
        Map<String, Object> payload = new TreeMap<>();
        payload.put("payload_schema_version", (long) Allowlist.PAYLOAD_SCHEMA_VERSION);
        payload.put("stats_schema_version", (long) Stats.SCHEMA_VERSION);
        payload.put("event_id", eventId);
        payload.put("install_id", stats.installId());
        payload.put("sequence", sequence);
        payload.put("first_seen", stats.firstSeen());
        payload.put("trigger", trigger.wireName());
        payload.put("trigger_ts", UtcTimestamps.format(triggerTs));
        payload.put("counters_as_of", stats.updatedAt());
        payload.put("version", version);
        payload.put("platform", platform.asJsonObject());
        payload.put("subcommand_counts", Allowlist.counters(stats.subcommandCounts(), Allowlist.SUBCOMMANDS));
        payload.put("tracer_selections", Allowlist.counters(stats.tracerSelections(), Allowlist.TRACERS));
        payload.put("feature_capabilities", capabilities(stats.featureCapabilities()));
        return payload;
    }

    public static String newEventId() {
        return UUID.randomUUID().toString();
    }

    private static Map<String, Object> capabilities(Map<String, Object> stored) {
        Map<String, Object> kept = new TreeMap<>();
        Object kind = stored.get("glaas_endpoint_kind");
        if (kind instanceof String && Allowlist.ENDPOINT_KINDS.contains(kind)) { // Set.of rejects a null lookup
            kept.put("glaas_endpoint_kind", kind);
        }
        for (String flag : Allowlist.BOOLEAN_CAPABILITIES) {
            if (stored.get(flag) instanceof Boolean b) {
                kept.put(flag, b);
            }
        }
        return kept;
    }
}
