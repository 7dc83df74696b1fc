package ai.treqs.roar.telemetry.io;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** The one timestamp form roar's state files, payloads and status lines use: UTC, whole seconds, ISO-8601. */
public final class UtcTimestamps {
    private static final Pattern FORM = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    private UtcTimestamps() {}

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Whether {@code value} is a timestamp in exactly that form. */
    public static boolean isWellFormed(Object value) {
        return value instanceof String s && FORM.matcher(s).matches();
    }
}
