package ai.treqs.roar.collector.dashboard;

import java.util.List;

/**
 * One chart of a view: its SVG (drawn on the server), the table of the same numbers beside it, and the name of its
 * CSV ({@code /dashboard/<csv>.csv}).
 */
public record Panel(String id, String title, String note, String svg, List<String> headers, List<Row> rows) {
    /** A table row. */
    public record Row(List<Cell> cells) {
        /** Whether the row may go into a CSV: none of its figures is hidden. */
        public boolean published() {
            return cells.stream().noneMatch(Cell::hidden);
        }
    }

    /**
     * One table cell. {@code path} is where the same number is in the summary JSON (a GPath such as
     * {@code funnel[1].installs}), empty for a label; {@code share} marks a share shown as a percentage;
     * {@code csv} is what the CSV holds (a share as a fraction, as in the JSON).
     */
    public record Cell(String text, String csv, String path, boolean share, boolean hidden) {
        public static Cell label(String text) {
            return new Cell(text, text, "", false, false);
        }

        public boolean numeric() {
            return !path.isEmpty();
        }
    }

    public String csvName() {
        return id + ".csv";
    }
}
