package ai.treqs.roar.host;

import java.util.Optional;
import java.util.Set;

/**
 * The tracer modes of {@code roar run --tracer} (docs/host-commands.md). This build traces nothing:
 * {@code disabled} is provided and {@code auto} resolves to it; the others are refused.
 */
public final class TracerModes {
    public static final Set<String> PROVIDED = Set.of("disabled");
    public static final Set<String> KNOWN = Set.of("preload", "ptrace", "ebpf", "native", "auto", "disabled");

    private TracerModes() {}

    /** The mode that will be used, or empty when this build cannot provide {@code requested}. */
    public static Optional<String> resolve(String requested) {
        if (requested.equals("auto")) {
            return Optional.of("disabled");
        }
        return PROVIDED.contains(requested) ? Optional.of(requested) : Optional.empty();
    }

    /** What {@code tracer_selections} counts for a refused request: the known name, else {@code unknown}. */
    public static String counted(String requested) {
        return KNOWN.contains(requested) ? requested : "unknown";
    }
}
