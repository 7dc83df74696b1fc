package ai.treqs.roar.collector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A generated first half of 2026 for the rollup equality test: most installs send only first_seen, fewer reach
 * each run milestone, some upgrade (0.2.0, 0.3.0, 0.4.0) and send first_seen_for_version, some events arrive out
 * of sequence order, one install sends two events with the same sequence. Even installs go through the ingest
 * path (a tenth of their events delivered twice); odd ones are inserted directly in multi-install statements,
 * received up to three days after they were sent (so in other weeks, too).
 */
record RollupDataSet(List<ObjectNode> posted, List<Received> inserted, long distinctEvents) {
    record Received(ObjectNode event, Instant receivedAt) {}

    static final String[] VERSIONS = {"0.2.0", "0.3.0", "0.4.0"};
    static final String[] STEPS = {"first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run"};
    static final String[] LATER = {"first_seen_for_version", "reset", "register", "init"};
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static RollupDataSet generate(long seed, int installs) {
        Random r = new Random(seed);
        List<ObjectNode> posted = new ArrayList<>();
        List<Received> inserted = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int n = 0; n < installs; n++) {
            List<ObjectNode> events = install(r, n);
            events.forEach(e -> ids.add(e.get("event_id").asText()));
            if (n % 10 == 3) {
                Collections.shuffle(events, r);
            }
            for (ObjectNode e : events) {
                if (n % 2 == 0) {
                    posted.add(e);
                    if (r.nextDouble() < 0.1) {
                        posted.add(e.deepCopy());
                    }
                } else {
                    Instant sent = Instant.parse(e.get("trigger_ts").asText());
                    inserted.add(new Received(e, sent.plus(r.nextInt(72 * 60), ChronoUnit.MINUTES)));
                }
            }
        }
        Collections.shuffle(posted, r);
        Collections.shuffle(inserted, r);
        return new RollupDataSet(posted, inserted, ids.size());
    }

    private static List<ObjectNode> install(Random r, int n) {
        String install = new UUID(r.nextLong(), r.nextLong()).toString();
        double p = r.nextDouble();
        int count = p < 0.5 ? 1 : p < 0.8 ? 2 + r.nextInt(3) : 5 + r.nextInt(12);
        int version = r.nextDouble() < 0.7 ? 1 : 0;
        String os = r.nextDouble() < 0.7 ? "linux" : r.nextDouble() < 0.8 ? "macos" : "windows";
        String arch = r.nextBoolean() ? "x86_64" : "arm64";
        Instant at = START.plus(r.nextInt(150 * 24 * 60), ChronoUnit.MINUTES);
        String firstSeen = at.toString();
        List<ObjectNode> events = new ArrayList<>();
        for (int sequence = 1; sequence <= count; sequence++) {
            String trigger = sequence <= STEPS.length ? STEPS[sequence - 1] : LATER[r.nextInt(LATER.length)];
            if (sequence > 1) {
                at = at.plus(r.nextInt(8 * 24 * 60), ChronoUnit.MINUTES);
                if (version < VERSIONS.length - 1 && r.nextDouble() < 0.15) {
                    version++;
                    trigger = "first_seen_for_version";
                }
            }
            events.add(event(r, install, sequence, trigger, at, firstSeen, VERSIONS[version], os, arch));
        }
        if (n == 7) {
            // the same sequence twice: the newest is the one with the lower event_id
            events.add(event(r, install, count, "reset", at, firstSeen, VERSIONS[version], os, arch));
        }
        return events;
    }

    private static ObjectNode event(Random r, String install, int sequence, String trigger, Instant at, String firstSeen,
                                    String version, String os, String arch) {
        ObjectNode e = Events.valid(install, trigger, sequence);
        e.put("event_id", new UUID(r.nextLong(), r.nextLong()).toString());
        e.put("trigger_ts", at.toString());
        e.put("counters_as_of", at.toString());
        e.put("first_seen", firstSeen);
        e.put("version", version);
        ((ObjectNode) e.get("platform")).put("os", os).put("arch", arch);
        int runs = Math.max(0, sequence - 2);
        int ok = runs == 0 ? 0 : r.nextInt(runs + 1);
        ObjectNode counts = ((ObjectNode) e.get("subcommand_counts")).removeAll().put("init", 1);
        if (runs > 0) {
            counts.put("run", runs);
        }
        if (ok > 0) {
            counts.put("run_success", ok);
        }
        if (runs - ok > 0) {
            counts.put("run_failed_dirty", runs - ok);
        }
        ObjectNode tracers = ((ObjectNode) e.get("tracer_selections")).removeAll();
        if (runs > 0) {
            tracers.put(r.nextBoolean() ? "auto" : "ptrace", runs);
        }
        ((ObjectNode) e.get("feature_capabilities")).put("proxy_enabled", r.nextDouble() < 0.3)
                .put("ebpf_supported", r.nextBoolean()).put("ray_enabled", r.nextDouble() < 0.1);
        return e;
    }

    /** Stores events as the writer does (dedup by event_ids), 60 a statement, with the given received times. */
    static void insert(DataSource db, List<Received> events) throws Exception {
        String sql = """
                WITH b AS (
                  SELECT * FROM unnest(?::text[], ?::text[]) AS b(body, r)),
                fresh AS (
                  INSERT INTO event_ids (event_id, received_at) SELECT body::jsonb->>'event_id', r::timestamptz FROM b
                  ON CONFLICT (event_id) DO NOTHING RETURNING event_id)
                INSERT INTO events (event_id, install_id, trigger, trigger_ts, sequence, version, os, arch, received_at, payload)
                SELECT j->>'event_id', (j->>'install_id')::uuid, j->>'trigger', (j->>'trigger_ts')::timestamptz,
                       (j->>'sequence')::bigint, j->>'version', j->'platform'->>'os', j->'platform'->>'arch',
                       r::timestamptz, j
                FROM (SELECT body::jsonb AS j, r FROM b) x JOIN fresh ON fresh.event_id = j->>'event_id'""";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int from = 0; from < events.size(); from += 60) {
                List<Received> chunk = events.subList(from, Math.min(events.size(), from + 60));
                s.setArray(1, c.createArrayOf("text", chunk.stream().map(e -> e.event().toString()).toArray()));
                s.setArray(2, c.createArrayOf("text", chunk.stream().map(e -> e.receivedAt().toString()).toArray()));
                s.executeUpdate();
            }
        }
    }
}
