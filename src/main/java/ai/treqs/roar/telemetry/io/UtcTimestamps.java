package ai.treqs.roar.telemetry.io;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one timestamp form roar's state files, payloads and status lines use: UTC, whole seconds, ISO-8601. */
public final class UtcTimestamps {

    private UtcTimestamps() {}

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
