package ai.treqs.roar.telemetry.io;

import java.util.regex.Pattern;

/** A random UUID as roar writes it (install ids): lower-case, canonical form. */
public final class Uuids {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Uuids() {}

    public static boolean isCanonical(Object value) {
        return value instanceof String s && UUID.matcher(s).matches();
    }
}
