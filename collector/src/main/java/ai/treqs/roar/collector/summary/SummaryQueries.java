package ai.treqs.roar.collector.summary;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The summary over the window {@code from} (inclusive) to {@code until} (exclusive), UTC days of
 * {@code trigger_ts}: every figure read from the rollups (RollupQueries; docs/collector.md shows the queries), so
 * its cost follows the window's days and installs, not the events stored.
 */
@ApplicationScoped
public class SummaryQueries {
    public static final List<String> FUNNEL = List.of("first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run");

    @Inject RollupQueries rollups;

    public Map<String, Object> summary(OffsetDateTime from, OffsetDateTime until) throws SQLException {
        return rollups.summary(from.toLocalDate(), until.toLocalDate(), Optional.empty());
    }
}
