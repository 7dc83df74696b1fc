package ai.treqs.roar.collector.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import ai.treqs.roar.collector.CollectorConfig;

/**
 * Retention on events partitioned by the month received: makes the partitions of this month and the next two,
 * drops every month partition that ended {@code retention-days} ago or earlier (one short lock), then deletes
 * what is left older than that (the month the cutoff falls in, the default partition, the dedup table's ids and
 * the rollups' old days) in batches of {@code retention-batch-size} rows, each its own short transaction, at
 * most {@code retention-max-batches} a run. Several instances may run it at once.
 */
@ApplicationScoped
public class RetentionJob {
    static final String MAKE_PARTITIONS = """
            SELECT roar_events_partition((?::date + make_interval(months => m))::date) FROM generate_series(0, 2) AS m""";
    static final String DROP_MONTHS = "SELECT roar_events_drop_months_before(?)";
    static final String DELETE_EVENTS = """
            DELETE FROM events WHERE (event_id, received_at) IN (
              SELECT event_id, received_at FROM events WHERE received_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";
    static final String DELETE_IDS = """
            DELETE FROM event_ids WHERE event_id IN (
              SELECT event_id FROM event_ids WHERE received_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";
    /**
     * Rollup rows of days (trigger_ts; received_at for received_installs) before the cutoff day; the installs whose
     * newest event is before it go with their newest_days rows, and funnel_days rows of cohorts first seen before it
     * (an install still active keeps its row: its later events update it); weekly rows of weeks that began before
     * it (a window starting on or after the cutoff reads a week it only partly holds from the daily rows).
     */
    static final List<String> DELETE_ROLLUP_DAYS = List.of(
            "DELETE FROM daily_events WHERE day < ?::date",
            "DELETE FROM daily_installs WHERE day < ?::date",
            "DELETE FROM daily_trigger_installs WHERE day < ?::date",
            "DELETE FROM received_installs WHERE day < ?::date",
            "DELETE FROM weekly_installs WHERE week < ?::date",
            "DELETE FROM weekly_triggers WHERE week < ?::date",
            "DELETE FROM weekly_received_installs WHERE week < ?::date",
            "DELETE FROM installs WHERE newest_day < ?::date",
            "DELETE FROM newest_days WHERE day < ?::date",
            "DELETE FROM funnel_days WHERE first_day < ?::date");
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    @Inject DataSource dataSource;
    @Inject CollectorConfig config;

    @Scheduled(every = "${roar.collector.retention-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            long deleted = purge(Instant.now());
            if (deleted > 0) {
                LOG.infof("retention: deleted %d events older than %d days", deleted, config.retentionDays());
            }
        } catch (SQLException e) {
            LOG.warnf("retention: the database is unavailable or busy (SQL state %s); the next run tries again",
                    e.getSQLState());
        }
    }

    /** Applies the retention at {@code now}; returns how many events went (dropped with their month or deleted). */
    public long purge(Instant now) throws SQLException {
        OffsetDateTime cutoff = now.minus(config.retentionDays(), ChronoUnit.DAYS).atOffset(ZoneOffset.UTC);
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement make = c.prepareStatement(MAKE_PARTITIONS)) {
                make.setObject(1, now.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1));
                make.execute();
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); PreparedStatement drop = c.prepareStatement(DROP_MONTHS)) {
                // dropping a partition locks the parent table: wait briefly for in-flight inserts, else next run
                s.execute("SET LOCAL lock_timeout = '2s'");
                drop.setObject(1, cutoff);
                try (ResultSet rs = drop.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            total += inBatches(c, DELETE_EVENTS, cutoff);
            inBatches(c, DELETE_IDS, cutoff);
            for (String sql : DELETE_ROLLUP_DAYS) {
                try (PreparedStatement delete = c.prepareStatement(sql)) {
                    delete.setObject(1, cutoff.toLocalDate());
                    delete.executeUpdate();
                }
            }
        }
        return total;
    }

    private long inBatches(Connection c, String sql, OffsetDateTime cutoff) throws SQLException {
        long total = 0;
        try (PreparedStatement delete = c.prepareStatement(sql)) {
            for (int batch = 0; batch < config.retentionMaxBatches(); batch++) {
                delete.setObject(1, cutoff);
                delete.setInt(2, config.retentionBatchSize());
                int n = delete.executeUpdate();
                total += n;
                if (n < config.retentionBatchSize()) {
                    break;
                }
            }
        }
        return total;
    }
}
