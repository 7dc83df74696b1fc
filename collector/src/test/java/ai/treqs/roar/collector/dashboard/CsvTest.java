package ai.treqs.roar.collector.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.treqs.roar.collector.dashboard.Panel.Cell;
import ai.treqs.roar.collector.dashboard.Panel.Row;
import ai.treqs.roar.collector.summary.Figure;

/** A panel's CSV and the small-group rule of its figures, alone. */
class CsvTest {
    @Test
    void rowsWithAHiddenFigureAreLeftOut() {
        Row shown = new Row(List.of(Cell.label("init"), Views.count(Figure.installs(48, 5), "funnel[1].installs"),
                Views.share(Figure.share(48, 60, 5), "funnel[1].share")));
        Row hidden = new Row(List.of(Cell.label("third"), Views.count(Figure.installs(3, 5), "funnel[4].installs"),
                Views.share(Figure.share(3, 60, 5), "funnel[4].share")));
        Row zero = new Row(List.of(Cell.label("a, \"b\""), Views.count(Figure.installs(0, 5), "x"),
                Views.share(Figure.share(0, 0, 5), "y")));
        Panel panel = new Panel("funnel", "Funnel", "", "", List.of("Step", "Installs", "Share"),
                List.of(shown, hidden, zero));
        assertEquals("Step,Installs,Share\r\ninit,48,0.8000\r\n\"a, \"\"b\"\"\",0,\r\n", Csv.of(panel));
        assertEquals("< 5", hidden.cells().get(1).text());
        assertEquals("80.0 %", shown.cells().get(2).text());
        assertEquals("-", zero.cells().get(2).text());
    }

    @Test
    void aSpreadsheetFormulaIsNotAFormula() {
        Panel panel = new Panel("x", "X", "", "", List.of("=cmd"), List.of());
        assertEquals("'=cmd\r\n", Csv.of(panel));
    }

    @Test
    void aFigureIsShownForNoInstallsOrAtLeastK() {
        assertEquals(0L, Figure.installs(0, 5).json());
        assertEquals("< 5", Figure.installs(1, 5).json());
        assertEquals("< 5", Figure.installs(4, 5).json());
        assertEquals(5L, Figure.installs(5, 5).json());
        assertEquals("< 5", Figure.sum(100, 4, 5).json(), "a sum over 4 installs");
        assertEquals("< 5", Figure.share(10, 4, 5).json(), "a share of 4 installs");
        assertEquals("< 1", new Figure(1, false, 1).json());
    }
}
