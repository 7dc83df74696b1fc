package ai.treqs.roar.host;

import java.util.HashMap;
import java.util.Map;

/**
 * Undoes the launcher's locale change for the child of {@code roar run} (docs/host-commands.md#what-the-child-gets: the child gets
 * the environment the user had). Under the POSIX locale the launcher runs the JVM with
 * {@code LC_ALL=C.UTF-8}, so that non-ASCII paths work, and records the user's own {@code LC_ALL} in
 * {@link #SAVED}: {@code -} when it was unset, {@code =<value>} when it was set.
 */
public final class UserLocale {
    public static final String SAVED = "ROAR_LAUNCHER_LC_ALL";
    static final String LAUNCHER_VALUE = "C.UTF-8";

    private UserLocale() {}

    /** A copy of {@code env} with the user's {@code LC_ALL} back (or unset) and the launcher's record removed. */
    public static Map<String, String> restore(Map<String, String> env) {
        String saved = env.get(SAVED);
        if (saved == null) {
            return env;
        }
        Map<String, String> restored = new HashMap<>(env);
        restored.remove(SAVED);
        // only the launcher's own change is undone: an LC_ALL changed since belongs to whoever changed it
        if (LAUNCHER_VALUE.equals(env.get("LC_ALL"))) {
            if (saved.startsWith("=")) {
                restored.put("LC_ALL", saved.substring(1));
            } else if (saved.equals("-")) {
                restored.remove("LC_ALL");
            }
        }
        return restored;
    }
}
