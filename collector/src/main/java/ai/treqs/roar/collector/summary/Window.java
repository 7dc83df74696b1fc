package ai.treqs.roar.collector.summary;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import ai.treqs.roar.collector.ingest.Problem;

/**
 * The UTC days {@code from} to {@code to} (both included) a reading covers, optionally of one roar version, within
 * years 1 to 9999 (SQL's dates, and the range in which the day after {@code to} exists). Query parameters outside
 * that range are a {@code 400}, never a {@code 500}.
 */
public record Window(LocalDate from, LocalDate to, Optional<String> version) {
    static final int DEFAULT_DAYS = 30;
    static final LocalDate FIRST = LocalDate.of(1, 1, 1);
    static final LocalDate LAST = LocalDate.of(9999, 12, 31);

    public Window {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from is after to");
        }
    }

    /** A window of every version. */
    public Window(LocalDate from, LocalDate to) {
        this(from, to, Optional.empty());
    }

    /** What the query parameters made: a window, or the problem that refuses them. */
    public sealed interface Parsed permits Valid, Refused {}

    public record Valid(Window window) implements Parsed {}

    public record Refused(Problem problem) implements Parsed {}

    /** {@code to} defaults to {@code today}, {@code from} to 30 days ending at {@code to} (not before year 1). */
    public static Parsed parse(String fromText, String toText, LocalDate today) {
        LocalDate to;
        LocalDate from;
        try {
            to = toText == null ? today : LocalDate.parse(toText);
        } catch (DateTimeParseException e) {
            return refused("date", "to", "'to' is a UTC date, YYYY-MM-DD.");
        }
        if (to.isBefore(FIRST) || to.isAfter(LAST)) {
            return refused("date_range", "to", "'to' is a date from 0001-01-01 to 9999-12-31.");
        }
        try {
            from = fromText == null ? to.minusDays(DEFAULT_DAYS - 1) : LocalDate.parse(fromText);
        } catch (DateTimeParseException e) {
            return refused("date", "from", "'from' is a UTC date, YYYY-MM-DD.");
        }
        if (fromText == null && from.isBefore(FIRST)) {
            from = FIRST;
        }
        if (from.isBefore(FIRST) || from.isAfter(LAST)) {
            return refused("date_range", "from", "'from' is a date from 0001-01-01 to 9999-12-31.");
        }
        if (from.isAfter(to)) {
            return refused("date_order", "from", "'from' is after 'to'.");
        }
        return new Valid(new Window(from, to));
    }

    private static Parsed refused(String rule, String path, String detail) {
        return new Refused(Problem.badRequest(rule, path, detail));
    }

    /** The start of {@code from}, UTC. */
    public OffsetDateTime start() {
        return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** The start of the day after {@code to}, UTC: the window is {@code start <= t < end}. */
    public OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    public Window withVersion(Optional<String> chosen) {
        return new Window(from, to, chosen);
    }

    public Window allVersions() {
        return withVersion(Optional.empty());
    }
}
