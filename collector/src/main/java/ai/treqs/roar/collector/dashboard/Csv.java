package ai.treqs.roar.collector.dashboard;

import java.util.List;
import java.util.stream.Collectors;

import ai.treqs.roar.collector.dashboard.Panel.Cell;
import ai.treqs.roar.collector.dashboard.Panel.Row;

/** A panel's table as CSV (RFC 4180): the rows with a hidden figure are left out. */
public final class Csv {
    private Csv() {}

    public static String of(Panel panel) {
        StringBuilder out = new StringBuilder();
        out.append(line(panel.headers()));
        for (Row row : panel.rows()) {
            if (row.published()) {
                out.append(line(row.cells().stream().map(Cell::csv).toList()));
            }
        }
        return out.toString();
    }

    private static String line(List<String> fields) {
        return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String field(String value) {
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        String safe = value.replace("\"", "\"\"");
        // a leading =, + or @ would be a formula to a spreadsheet (no figure or label here starts with -)
        if (!safe.isEmpty() && "=+@".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        return quote ? "\"" + safe + "\"" : safe;
    }
}
