package ai.treqs.roar.telemetry.stats;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import ai.treqs.roar.telemetry.io.UtcTimestamps;
import ai.treqs.roar.telemetry.io.Uuids;

/**
 * The content of {@code stats.json} (docs/telemetry.md#where-state-lives). Backed by the parsed JSON object so that fields
 * this build does not know are written back as they were.
 */
public final class Stats {
    public static final int SCHEMA_VERSION = 1;
    /** The largest counter or sequence the stats keep: beyond it a JSON reader elsewhere may lose precision. */
    public static final long MAX_COUNT = (1L << 53) - 1;

    private final Map<String, Object> root;

    private Stats(Map<String, Object> root) {
        this.root = root;
    }

    /** A new install: a random identity derived from nothing. */
    public static Stats fresh(Instant now) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("stats_schema_version", (long) SCHEMA_VERSION);
        root.put("install_id", UUID.randomUUID().toString());
        root.put("first_seen", UtcTimestamps.format(now));
        root.put("updated_at", UtcTimestamps.format(now));
        root.put("sequence", 0L);
        root.put("version_milestones", new LinkedHashMap<String, Object>());
        root.put("subcommand_counts", new LinkedHashMap<String, Object>());
        root.put("tracer_selections", new LinkedHashMap<String, Object>());
        root.put("feature_capabilities", new LinkedHashMap<String, Object>());
        return new Stats(root);
    }

    /** What a parsed file turned out to be. */
    public sealed interface Parsed {
        record Absent() implements Parsed {}
        record Usable(Stats stats) implements Parsed {}
        record NewerSchema(long version) implements Parsed {}
        record Corrupt(String why) implements Parsed {}
    }

    /** Checks every known field's type; unknown fields pass through. Pure. */
    public static Parsed from(Map<String, Object> root) {
        if (!(root.get("stats_schema_version") instanceof Long version)) {
            return new Parsed.Corrupt("stats_schema_version");
        }
        if (version > SCHEMA_VERSION) {
            return new Parsed.NewerSchema(version);
        }
        if (version < 1) {
            return new Parsed.Corrupt("stats_schema_version");
        }
        // every field a payload copies is held to the rule the allowlist also uses (io/Uuids, io/UtcTimestamps),
        // so what --print shows and what is queued can really be sent
        if (!Uuids.isCanonical(root.get("install_id"))) {
            return new Parsed.Corrupt("install_id");
        }
        for (String field : new String[] {"first_seen", "updated_at"}) {
            if (!UtcTimestamps.isWellFormed(root.get(field))) {
                return new Parsed.Corrupt(field);
            }
        }
        if (!(root.get("sequence") instanceof Long seq) || !isCount(seq)) {
            return new Parsed.Corrupt("sequence");
        }
        for (String field : new String[] {"subcommand_counts", "tracer_selections"}) {
            Object value = root.computeIfAbsent(field, k -> new LinkedHashMap<String, Object>());
            if (!(value instanceof Map<?, ?> map) || !map.values().stream().allMatch(v -> v instanceof Long n && isCount(n))) {
                return new Parsed.Corrupt(field);
            }
        }
        Object milestones = root.computeIfAbsent("version_milestones", k -> new LinkedHashMap<String, Object>());
        if (!(milestones instanceof Map<?, ?> m) || !m.values().stream().allMatch(v -> v instanceof Map)) {
            return new Parsed.Corrupt("version_milestones");
        }
        if (!(root.computeIfAbsent("feature_capabilities", k -> new LinkedHashMap<String, Object>()) instanceof Map)) {
            return new Parsed.Corrupt("feature_capabilities");
        }
        return new Parsed.Usable(new Stats(root));
    }

    private static boolean isCount(long n) {
        return n >= 0 && n < MAX_COUNT;
    }

    public Map<String, Object> asJsonObject() {
        return root;
    }

    public String installId() { return (String) root.get("install_id"); }
    public String firstSeen() { return (String) root.get("first_seen"); }
    public String updatedAt() { return (String) root.get("updated_at"); }
    public long sequence() { return (Long) root.get("sequence"); }

    public long nextSequence() {
        long next = sequence() + 1;
        root.put("sequence", next);
        return next;
    }

    public void touch(Instant now) {
        root.put("updated_at", UtcTimestamps.format(now));
    }

    public boolean knowsVersion(String version) {
        return milestones().containsKey(version);
    }

    public void addVersion(String version, Instant now) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("first_seen", UtcTimestamps.format(now));
        milestones().put(version, entry);
    }

    public long subcommandCount(String key) { return count("subcommand_counts", key); }
    public void incrementSubcommand(String key) { increment("subcommand_counts", key); }
    public void incrementTracer(String key) { increment("tracer_selections", key); }

    public Map<String, Object> subcommandCounts() { return map("subcommand_counts"); }
    public Map<String, Object> tracerSelections() { return map("tracer_selections"); }
    public Map<String, Object> featureCapabilities() { return map("feature_capabilities"); }

    public void setFeatureCapabilities(Map<String, Object> capabilities) {
        root.put("feature_capabilities", new LinkedHashMap<>(capabilities));
    }

    private long count(String table, String key) {
        Object value = map(table).get(key);
        return value instanceof Long n ? n : 0L;
    }

    private void increment(String table, String key) {
        map(table).put(key, count(table, key) + 1);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> milestones() {
        return (Map<String, Object>) root.get("version_milestones");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String table) {
        return (Map<String, Object>) root.get(table);
    }
}
