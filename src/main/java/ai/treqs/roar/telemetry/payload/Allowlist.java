package ai.treqs.roar.telemetry.payload;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import ai.treqs.roar.telemetry.io.EventIds;
import ai.treqs.roar.telemetry.io.UtcTimestamps;
import ai.treqs.roar.telemetry.io.Uuids;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;

/**
 * Everything that may ever leave the machine (docs/telemetry.md#what-is-collected), in one place. The payload builder keeps
 * only what this allows, and the uploader checks every queued file against it again before sending.
 */
public final class Allowlist {
    public static final int PAYLOAD_SCHEMA_VERSION = 1;

    public static final List<String> TOP_LEVEL_KEYS = List.of("payload_schema_version", "stats_schema_version",
            "event_id", "install_id", "sequence", "first_seen", "trigger", "trigger_ts", "counters_as_of", "version",
            "platform", "subcommand_counts", "tracer_selections", "feature_capabilities");

    public static final Set<String> SUBCOMMANDS = Set.of("run", "run_success", "run_failed_dirty",
            "run_failed_tracer_setup", "run_failed_user_exit", "run_failed_interrupted", "run_failed_internal", "build",
            "init", "reset", "register", "show", "dag", "log", "status", "get", "put", "inputs", "diff", "lineage",
            "reproduce", "projects", "auth", "config", "env", "label", "login", "logout", "osmo", "pop", "proxy",
            "tracer", "tui", "whoami", "workflow");

    public static final Set<String> TRACERS = Set.of("preload", "ptrace", "ebpf", "native", "auto", "disabled", "unknown");

    public static final Set<String> OS_CLASSES = Set.of("linux", "macos", "windows", "other");
    public static final Set<String> ENDPOINT_KINDS = Set.of("default_prod", "default_dev", "custom", "unset");
    public static final Set<String> BOOLEAN_CAPABILITIES = Set.of("blake3_available", "ebpf_supported",
            "proxy_enabled", "ray_enabled", "osmo_enabled");

    static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,32}");
    static final Pattern ARCH = Pattern.compile("[a-z0-9_]{1,16}");

    private Allowlist() {}

    public static boolean isValidEventId(String id) {
        return EventIds.isValid(id);
    }

    /** Keeps the allowlisted counters with a count above 0. */
    public static Map<String, Object> counters(Map<String, Object> counts, Set<String> allowed) {
        TreeMap<String, Object> kept = new TreeMap<>();
        counts.forEach((key, value) -> {
            if (allowed.contains(key) && value instanceof Long n && n > 0) {
                kept.put(key, n);
            }
        });
        return kept;
    }

    /**
     * Why {@code payload} is not an uploadable schema-1 payload, or empty when every key, type and
     * value is allowed. Pure.
     */
    public static Optional<String> violation(Map<String, Object> payload) {
        return violation(payload, Stats.SCHEMA_VERSION);
    }

    /**
     * {@code statsSchemaVersion} is the stats schema this build writes: a payload queued by an older
     * build carries an older one and stays uploadable, so bumping it never empties the queue.
     */
    static Optional<String> violation(Map<String, Object> payload, int statsSchemaVersion) {
        if (!payload.keySet().equals(Set.copyOf(TOP_LEVEL_KEYS))) {
            return Optional.of("top-level keys differ from the allowlist");
        }
        if (!Long.valueOf(PAYLOAD_SCHEMA_VERSION).equals(payload.get("payload_schema_version"))) {
            return Optional.of("payload_schema_version");
        }
        if (!(payload.get("stats_schema_version") instanceof Long stats) || stats < 1 || stats > statsSchemaVersion) {
            return Optional.of("stats_schema_version");
        }
        if (!(payload.get("event_id") instanceof String id) || !isValidEventId(id)) {
            return Optional.of("event_id");
        }
        if (!Uuids.isCanonical(payload.get("install_id"))) {
            return Optional.of("install_id");
        }
        if (!(payload.get("sequence") instanceof Long seq) || seq < 1) {
            return Optional.of("sequence");
        }
        for (String ts : List.of("first_seen", "trigger_ts", "counters_as_of")) {
            if (!UtcTimestamps.isWellFormed(payload.get(ts))) {
                return Optional.of(ts);
            }
        }
        if (!(payload.get("trigger") instanceof String trigger)
                || Trigger.fromWireName(trigger).filter(Trigger::isUploadable).isEmpty()) {
            return Optional.of("trigger");
        }
        if (!matches(payload.get("version"), VERSION)) {
            return Optional.of("version");
        }
        if (!(payload.get("platform") instanceof Map<?, ?> platform) || !platform.keySet().equals(Set.of("os", "arch"))
                || !(platform.get("os") instanceof String os) || !OS_CLASSES.contains(os)
                || !matches(platform.get("arch"), ARCH)) {
            return Optional.of("platform");
        }
        if (!isCounterMap(payload.get("subcommand_counts"), SUBCOMMANDS)) {
            return Optional.of("subcommand_counts");
        }
        if (!isCounterMap(payload.get("tracer_selections"), TRACERS)) {
            return Optional.of("tracer_selections");
        }
        if (!isCapabilities(payload.get("feature_capabilities"))) {
            return Optional.of("feature_capabilities");
        }
        return Optional.empty();
    }

    private static boolean matches(Object value, Pattern pattern) {
        return value instanceof String s && pattern.matcher(s).matches();
    }

    private static boolean isCounterMap(Object value, Set<String> allowed) {
        if (!(value instanceof Map<?, ?> map)) {
            return false;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!allowed.contains(e.getKey()) || !(e.getValue() instanceof Long n) || n < 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCapabilities(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return false;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            boolean ok = e.getKey().equals("glaas_endpoint_kind")
                    ? e.getValue() instanceof String kind && ENDPOINT_KINDS.contains(kind)
                    : BOOLEAN_CAPABILITIES.contains(e.getKey()) && e.getValue() instanceof Boolean;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
