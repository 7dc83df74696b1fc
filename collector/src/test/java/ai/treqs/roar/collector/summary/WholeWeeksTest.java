package ai.treqs.roar.collector.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The whole ISO weeks of a window alone (SummaryQueries.wholeWeeks): the weekly rollups serve them, the daily ones
 * the days outside, so a day is read once whatever the window.
 */
class WholeWeeksTest {
    private static List<String> weeks(String from, String to) {
        return Arrays.stream(SummaryQueries.wholeWeeks(new Window(LocalDate.parse(from), LocalDate.parse(to))))
                .map(LocalDate::toString).toList();
    }

    @Test
    void aWindowFromMondayToSundayIsItsWeeks() {
        assertEquals(List.of("2026-02-02", "2026-02-09"), weeks("2026-02-02", "2026-02-08"));
        assertEquals(List.of("2026-02-02", "2026-02-16"), weeks("2026-02-02", "2026-02-15"));
    }

    @Test
    void theEdgeDaysAreLeftToTheDailyRows() {
        // Thursday 1 January to Sunday 31 May: 1-4 January are edge days, the weeks from Monday 5 January whole
        assertEquals(List.of("2026-01-05", "2026-06-01"), weeks("2026-01-01", "2026-05-31"));
        // Sunday to Monday: the Sunday and the last Monday are edge days
        assertEquals(List.of("2026-02-16", "2026-03-16"), weeks("2026-02-15", "2026-03-16"));
    }

    @Test
    void aWindowHoldingNoWholeWeekIsAllDays() {
        // both bounds the day after the window: no week read, every day of it from the daily rows
        assertEquals(List.of("2026-02-08", "2026-02-08"), weeks("2026-02-01", "2026-02-07"));
        assertEquals(List.of("2026-02-11", "2026-02-11"), weeks("2026-02-10", "2026-02-10"));
        assertEquals(List.of("2026-02-03", "2026-02-03"), weeks("2026-02-02", "2026-02-02"));
    }
}
