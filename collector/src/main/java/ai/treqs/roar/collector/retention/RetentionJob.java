package ai.treqs.roar.collector.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import ai.treqs.roar.collector.CollectorConfig;

/**
 * Deletes events received more than {@code retention-days} ago, in batches of {@code retention-batch-size}
 * rows (each its own short transaction, so ingest never waits long on it), at most {@code retention-max-batches}
 * a run. Several instances may run it at once: a row deleted twice is deleted once.
 */
@ApplicationScoped
public class RetentionJob {
    static final String DELETE_BATCH = """
            DELETE FROM events WHERE event_id IN (
              SELECT event_id FROM events WHERE received_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";
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
            LOG.warn("retention: the database is unavailable; the next run tries again");
        }
    }

    /** Deletes what is older than the retention at {@code now}; returns how many rows. */
    public long purge(Instant now) throws SQLException {
        OffsetDateTime cutoff = now.minus(config.retentionDays(), ChronoUnit.DAYS).atOffset(ZoneOffset.UTC);
        long total = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(DELETE_BATCH)) {
            c.setAutoCommit(true);
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
