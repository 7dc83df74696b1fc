package ai.treqs.roar.telemetry.io;

import java.util.regex.Pattern;

/**
 * What an event id may be. The id is a queue file's name and a payload field, so the queue and the
 * allowlist both ask this one rule.
 */
public final class EventIds {
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private EventIds() {}

    public static boolean isValid(String id) {
        return id != null && EVENT_ID.matcher(id).matches();
    }
}
