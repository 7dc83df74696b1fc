package ai.treqs.roar.collector.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The summary's window alone: defaults, the range of years 1 to 9999, the order of the two dates. */
class WindowTest {
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

    private static Window valid(String from, String to) {
        return assertInstanceOf(Window.Valid.class, Window.parse(from, to, TODAY)).window();
    }

    private static String refused(String from, String to) {
        Window.Refused refused = assertInstanceOf(Window.Refused.class, Window.parse(from, to, TODAY));
        return refused.problem().rule() + " " + refused.problem().path();
    }

    @Test
    void defaultsAreTheLast30DaysEndingToday() {
        assertEquals(new Window(LocalDate.of(2026, 11, 6), TODAY), valid(null, null));
        assertEquals(new Window(LocalDate.of(1, 1, 1), LocalDate.of(1, 1, 5)), valid(null, "0001-01-05"));
    }

    @Test
    void theWindowRunsFromTheStartOfFromToTheStartOfTheDayAfterTo() {
        Window w = valid("0001-01-01", "9999-12-31");
        assertEquals(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), w.start());
        assertEquals(OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), w.end());
    }

    @Test
    void refusals() {
        assertEquals("date to", refused(null, "tomorrow"));
        assertEquals("date from", refused("2026-02-30x", null));
        assertEquals("date_range to", refused(null, "+999999999-12-31"));
        assertEquals("date_range to", refused(null, "+10000-01-01"));
        assertEquals("date_range from", refused("-999999999-01-01", null));
        assertEquals("date_range from", refused("0000-12-31", "0001-01-01"));
        assertEquals("date_order from", refused("2026-03-02", "2026-03-01"));
        assertEquals("date_order from", refused("2026-12-06", null));
    }
}
