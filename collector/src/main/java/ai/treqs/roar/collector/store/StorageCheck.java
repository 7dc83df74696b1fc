package ai.treqs.roar.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.agroal.api.AgroalDataSource;

/**
 * Readiness is whether an event can be stored now, not whether {@code SELECT 1} answers: one row inserted into the
 * events table and rolled back, on a pooled connection, with short lock and statement timeouts. A read-only
 * database (a failover onto a replica, {@code default_transaction_read_only}), a locked or full table, or a
 * missing permission make it {@code DOWN}. After a failure the pool's connections are replaced as they come back,
 * so a session that kept an old setting does not keep the collector down once the database is writable again.
 */
@Readiness
@ApplicationScoped
public class StorageCheck implements HealthCheck {
    static final String NAME = "events can be stored";
    /** The probe's own id each time: it never meets a client's row, and the insert is rolled back anyway. */
    static final String PROBE = """
            INSERT INTO events (event_id, install_id, trigger, trigger_ts, sequence, version, os, arch, received_at, payload)
            VALUES (?, '00000000-0000-0000-0000-000000000000', 'readiness_probe', now(), 1, '0', 'none', 'none', now(), '{}')
            ON CONFLICT DO NOTHING""";
    static final String TIMEOUTS = "SET LOCAL lock_timeout = '1s'; SET LOCAL statement_timeout = '2s'";
    private static final FailureLog LOG = new FailureLog(StorageCheck.class);

    @Inject AgroalDataSource dataSource;

    private volatile boolean down;

    @Override
    public HealthCheckResponse call() {
        try {
            probe();
        } catch (SQLException e) {
            dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
            down = true;
            LOG.failed("readiness DOWN: a test write into the events table failed", e);
            return HealthCheckResponse.named(NAME).down()
                    .withData("cause", e.getSQLState() == null ? e.getClass().getName() : "SQL state " + e.getSQLState())
                    .build();
        }
        if (down) {
            down = false;
            LOG.recovered("readiness UP: storing events works again");
        }
        return HealthCheckResponse.named(NAME).up().build();
    }

    private void probe() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement timeouts = c.createStatement(); PreparedStatement insert = c.prepareStatement(PROBE)) {
                timeouts.execute(TIMEOUTS);
                insert.setString(1, "readiness-probe-" + UUID.randomUUID());
                insert.executeUpdate();
            } finally {
                c.rollback();
            }
        }
    }
}
