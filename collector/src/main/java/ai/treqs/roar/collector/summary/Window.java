package ai.treqs.roar.collector.summary;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The UTC days {@code from}..{@code to} (both included) a reading covers, optionally of one roar version. */
public record Window(LocalDate from, LocalDate to, Optional<String> version) {
    public Window {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from is after to");
        }
    }

    /** The start of {@code from}, UTC. */
    public OffsetDateTime start() {
        return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** The start of the day after {@code to}, UTC: the window is {@code start <= t < end}. */
    public OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    public Window allVersions() {
        return new Window(from, to, Optional.empty());
    }
}
