package ai.treqs.roar.telemetry.payload;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;

/** A well-formed schema-1 payload that tests can then spoil one way at a time. */
public final class PayloadFixtures {
    public static final String INSTALL_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    public static final String EVENT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    private PayloadFixtures() {}

    public static Stats stats(String json) {
        try {
            Stats.Parsed parsed = Stats.from(Json.parseObject(json.getBytes(StandardCharsets.UTF_8)));
            return ((Stats.Parsed.Usable) parsed).stats();
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Stats cleanStats() {
        return stats("""
                {"stats_schema_version":1,"install_id":"%s","first_seen":"2026-11-01T09:00:00Z",
                 "updated_at":"2026-11-20T10:00:00Z","sequence":4,
                 "version_milestones":{"0.3.0":{"first_seen":"2026-11-01T09:00:00Z"}},
                 "subcommand_counts":{"run":3,"run_success":2,"init":1},
                 "tracer_selections":{"disabled":3},
                 "feature_capabilities":{"glaas_endpoint_kind":"default_prod","blake3_available":false,
                   "ebpf_supported":true,"proxy_enabled":false,"ray_enabled":false,"osmo_enabled":false}}
                """.formatted(INSTALL_ID));
    }

    /** A valid payload as a mutable, sorted map. */
    public static Map<String, Object> validPayload() {
        Map<String, Object> payload = PayloadBuilder.build(cleanStats(), Trigger.INIT, 5, EVENT_ID,
                Instant.parse("2026-11-20T10:00:00.789Z"), "0.3.0", new Platform("linux", "x86_64"));
        return deepCopy(payload);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
        return copy;
    }
}
