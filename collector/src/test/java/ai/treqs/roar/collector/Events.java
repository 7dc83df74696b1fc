package ai.treqs.roar.collector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Valid version-1 events as the CLI makes them, and reading the events table. */
public final class Events {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String PATH = "/api/v1/telemetry/roar";

    private Events() {}

    public static ObjectNode valid() {
        return valid(UUID.randomUUID().toString(), "init", 1);
    }

    public static ObjectNode valid(String installId, String trigger, long sequence) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode e = MAPPER.createObjectNode();
        e.put("payload_schema_version", 1);
        e.put("stats_schema_version", 1);
        e.put("event_id", UUID.randomUUID().toString());
        e.put("install_id", installId);
        e.put("sequence", sequence);
        e.put("first_seen", now);
        e.put("trigger", trigger);
        e.put("trigger_ts", now);
        e.put("counters_as_of", now);
        e.put("version", "0.3.0");
        e.putObject("platform").put("os", "linux").put("arch", "x86_64");
        e.putObject("subcommand_counts").put("init", 1).put("run", 2);
        e.putObject("tracer_selections").put("disabled", 2);
        e.putObject("feature_capabilities").put("glaas_endpoint_kind", "default_dev").put("blake3_available", false)
                .put("ebpf_supported", true).put("proxy_enabled", false).put("ray_enabled", false)
                .put("osmo_enabled", false);
        return e;
    }

    public static long count(DataSource ds, String where, Object... args) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM events WHERE " + where)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static long stored(DataSource ds, String eventId) throws SQLException {
        return count(ds, "event_id = ?", eventId);
    }

    public static void truncate(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "TRUNCATE events, event_ids, daily_events, daily_installs, daily_trigger_installs, received_installs, installs, "
                        + "funnel_days, newest_days, weekly_installs, weekly_triggers, weekly_received_installs")) {
            s.execute();
        }
    }
}
