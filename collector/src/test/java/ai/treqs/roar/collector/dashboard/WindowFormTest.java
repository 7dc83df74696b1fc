package ai.treqs.roar.collector.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ai.treqs.roar.collector.summary.Window;

/** The window form's query, alone. */
class WindowFormTest {
    static final LocalDate TODAY = LocalDate.parse("2026-03-31");

    private static WindowForm.Accepted accepted(String days, String from, String to, String version) {
        return assertInstanceOf(WindowForm.Accepted.class, WindowForm.read(days, from, to, version, TODAY));
    }

    @Test
    void daysEndToday() {
        WindowForm.Accepted thirty = accepted(null, null, null, null);
        assertEquals(new Window(LocalDate.parse("2026-03-02"), TODAY, Optional.empty()), thirty.window());
        assertEquals("days=30", thirty.query());
        WindowForm.Accepted seven = accepted("7", "", "", "0.3.0");
        assertEquals(LocalDate.parse("2026-03-25"), seven.window().from());
        assertEquals(Optional.of("0.3.0"), seven.window().version());
        assertEquals("days=7&version=0.3.0", seven.query());
        assertEquals(LocalDate.parse("2026-01-01"), accepted("90", null, null, "").window().from());
    }

    @Test
    void fromAndToWinOverDays() {
        WindowForm.Accepted w = accepted("7", "2026-01-01", "2026-01-31", null);
        assertEquals(new Window(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"), Optional.empty()),
                w.window());
        assertEquals("from=2026-01-01&to=2026-01-31", w.query());
        assertEquals(TODAY, accepted(null, "2026-03-01", null, null).window().to());
        assertEquals(LocalDate.parse("2026-02-01"), accepted(null, null, "2026-03-02", null).window().from());
        assertEquals(LocalDate.of(1, 1, 1), accepted(null, "0001-01-01", "9999-12-31", null).window().from());
    }

    @Test
    void aBadQueryIsRefusedWithItsReason() {
        String[][] bad = {{"8", null, null, null}, {"x", null, null, null}, {null, "2026-03-02", "2026-03-01", null},
            {null, "0000-12-31", "2026-01-01", null}, {null, "2026-01-01", "+10000-01-01", null},
            {null, "yesterday", null, null}, {null, null, null, "0.3.0<"}, {null, null, null, "x".repeat(33)}};
        for (String[] q : bad) {
            assertInstanceOf(WindowForm.Refused.class, WindowForm.read(q[0], q[1], q[2], q[3], TODAY), String.join(",",
                    String.valueOf(q[0]), String.valueOf(q[1]), String.valueOf(q[2]), String.valueOf(q[3])));
        }
    }
}
