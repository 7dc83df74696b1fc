package ai.treqs.roar.telemetry.policy;

import java.util.Locale;
import java.util.Optional;

/** The milestones of docs/telemetry.md#when-events-are-made, in the table's order. */
public enum Trigger {
    FIRST_SEEN_FOR_INSTALL_ID,
    FIRST_SEEN_FOR_VERSION,
    FIRST_SUCCESSFUL_ROAR_RUN,
    SECOND_SUCCESSFUL_ROAR_RUN,
    THIRD_SUCCESSFUL_ROAR_RUN,
    INIT,
    RESET,
    REGISTER,
    /** Only {@code --print}: never queued, never sent. */
    PREVIEW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isUploadable() {
        return this != PREVIEW;
    }

    public static Optional<Trigger> fromWireName(String name) {
        for (Trigger t : values()) {
            if (t.wireName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
