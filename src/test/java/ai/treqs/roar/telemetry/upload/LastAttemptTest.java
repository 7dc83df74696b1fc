package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** docs/telemetry.md#when-the-uploader-starts: a failed attempt holds background starts back for an hour, and a time in the future counts as long ago. */
class LastAttemptTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void withinTheHourBeforeNow() {
        assertTrue(new LastAttempt(NOW.minusSeconds(60), true, "timeout").within(HOUR, NOW));
        assertTrue(new LastAttempt(NOW, true, "timeout").within(HOUR, NOW));
        assertFalse(new LastAttempt(NOW.minus(HOUR), true, "timeout").within(HOUR, NOW));
        assertFalse(new LastAttempt(NOW.minus(Duration.ofDays(2)), true, "timeout").within(HOUR, NOW));
    }

    @Test
    void aTimeInTheFutureCountsAsLongAgo() {
        assertFalse(new LastAttempt(NOW.plusSeconds(1), true, "timeout").within(HOUR, NOW));
        assertFalse(new LastAttempt(NOW.plus(Duration.ofDays(30)), true, "timeout").within(HOUR, NOW));
    }
}
