package ai.treqs.roar.collector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A known data set for the dashboard, spread over the 4 weeks before {@code today}: 60 installs, of which the
 * funnel keeps 48, 24, 12 and 3 (the third run rests on fewer than 5); two installs on 0.1.0, three on
 * windows/x86_64 and two with ray_enabled (each folds into {@code other}); run_failed_internal on three installs.
 */
final class DashboardData {
    static final int INSTALLS = 60;
    static final Set<Integer> THIRD_RUN = Set.of(9, 29, 49);
    static final Set<Integer> FAILED_INTERNAL = Set.of(6, 16, 26);
    static final Set<Integer> RAY = Set.of(1, 2);

    private DashboardData() {}

    static void load(DataSource db, LocalDate today) throws SQLException {
        Events.truncate(db);
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO events (event_id, install_id, trigger, trigger_ts, sequence, version, os, arch, received_at, payload)
                VALUES (?, ?::uuid, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            for (int i = 0; i < INSTALLS; i++) {
                String install = new UUID(0x5eedL, i).toString();
                LocalDate first = today.minusDays(i * 27L / INSTALLS);
                int depth = switch (i % 10) {
                    case 0, 1 -> 0;
                    case 2, 3, 4, 5 -> 1;
                    case 6, 7 -> 2;
                    default -> 3;
                };
                List<String> triggers = new ArrayList<>(List.of("first_seen_for_install_id"));
                if (depth >= 1) {
                    triggers.add("init");
                }
                if (depth >= 2) {
                    triggers.add("first_successful_roar_run");
                }
                if (depth >= 3) {
                    triggers.add("second_successful_roar_run");
                }
                if (THIRD_RUN.contains(i)) {
                    triggers.add("third_successful_roar_run");
                }
                ObjectNode counters = counters(i, triggers.size() - 2);
                for (int s = 0; s < triggers.size(); s++) {
                    LocalDate day = first.plusDays(Math.min(s * 4L, today.toEpochDay() - first.toEpochDay()));
                    OffsetDateTime at = day.atTime(9 + s, 15).atOffset(ZoneOffset.UTC);
                    ObjectNode e = event(i, install, triggers.get(s), s + 1, at, counters);
                    insert.setString(1, e.get("event_id").asText());
                    insert.setString(2, install);
                    insert.setString(3, triggers.get(s));
                    insert.setObject(4, at);
                    insert.setLong(5, s + 1);
                    insert.setString(6, e.get("version").asText());
                    insert.setString(7, e.get("platform").get("os").asText());
                    insert.setString(8, e.get("platform").get("arch").asText());
                    insert.setObject(9, at.plusMinutes(1));
                    insert.setString(10, e.toString());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    static String version(int i) {
        return i < 30 ? "0.3.0" : i < 52 ? "0.2.1" : i < 58 ? "0.2.0" : "0.1.0";
    }

    private static ObjectNode event(int i, String install, String trigger, long sequence, OffsetDateTime at,
                                    ObjectNode counters) {
        ObjectNode e = Events.valid(install, trigger, sequence);
        String ts = at.toInstant().toString();
        e.put("trigger_ts", ts).put("first_seen", ts).put("counters_as_of", ts).put("version", version(i));
        String os = i < 3 ? "windows" : i % 10 < 6 ? "linux" : i % 10 < 9 ? "macos" : "linux";
        String arch = i < 3 ? "x86_64" : i % 10 < 6 ? "x86_64" : "aarch64";
        ((ObjectNode) e.get("platform")).put("os", os).put("arch", arch);
        e.set("subcommand_counts", counters.get("subcommand_counts").deepCopy());
        e.set("tracer_selections", counters.get("tracer_selections").deepCopy());
        ((ObjectNode) e.get("feature_capabilities")).put("ebpf_supported", os.equals("linux"))
                .put("proxy_enabled", i % 4 == 0).put("ray_enabled", RAY.contains(i)).put("blake3_available", i % 2 == 0);
        return e;
    }

    /** The counters of an install that made {@code runs} successful runs (none below 0). */
    private static ObjectNode counters(int i, int runs) {
        ObjectNode c = Events.MAPPER.createObjectNode();
        ObjectNode sub = c.putObject("subcommand_counts");
        ObjectNode tracers = c.putObject("tracer_selections");
        sub.put("init", 1);
        int success = Math.max(runs, 0);
        int failures = 0;
        if (i % 3 == 0 && success > 0) {
            sub.put("run_failed_dirty", 1);
            failures++;
        }
        if (i % 7 == 0) {
            sub.put("run_failed_tracer_setup", 2);
            failures += 2;
        }
        if (FAILED_INTERNAL.contains(i)) {
            sub.put("run_failed_internal", 1);
            failures++;
        }
        if (success > 0) {
            sub.put("run_success", success);
            tracers.put(i % 3 == 0 ? "ptrace" : i % 3 == 1 ? "preload" : "auto", success);
        }
        if (success + failures > 0) {
            sub.put("run", success + failures);
        }
        if (i % 5 == 0) {
            sub.put("status", 2);
        }
        return c;
    }
}
