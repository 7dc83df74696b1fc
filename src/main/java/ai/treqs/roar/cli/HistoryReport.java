package ai.treqs.roar.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.upload.Ledger;

/**
 * {@code --history} (docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger): the ledger's lines, newest first,
 * as stored ({@code --json}) or as aligned columns, an opt-out line in words.
 */
final class HistoryReport {

    private HistoryReport() {}

    static ActionResult of(List<String> lines, boolean json) {
        StringBuilder out = new StringBuilder();
        if (json) {
            lines.forEach(l -> out.append(l).append('\n'));
            return ActionResult.ok(out.toString());
        }
        if (lines.isEmpty()) {
            return ActionResult.ok("(nothing sent yet)\n");
        }
        List<Object> rows = new ArrayList<>(); // a String for an opt-out line, else the three columns
        for (String line : lines) {
            try {
                Map<String, Object> entry = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                if (entry.containsKey(Ledger.DISABLED_AT)) {
                    rows.add(TerminalText.inert(optOut(entry)));
                    continue;
                }
                Map<?, ?> body = entry.get("body") instanceof Map<?, ?> m ? m : Map.of();
                rows.add(List.of(TerminalText.inert(String.valueOf(entry.get("sent_at"))),
                        TerminalText.inert(String.valueOf(body.get("trigger"))), TerminalText.inert(String.valueOf(body.get("event_id")))));
            } catch (IOException e) {
                // a damaged line is not shown; the others are
            }
        }
        // columns aligned: the widest time and trigger of what is shown
        int[] width = new int[2];
        for (Object row : rows) {
            if (row instanceof List<?> columns) {
                width[0] = Math.max(width[0], columns.get(0).toString().length());
                width[1] = Math.max(width[1], columns.get(1).toString().length());
            }
        }
        for (Object row : rows) {
            if (row instanceof List<?> c) {
                out.append(pad(c.get(0), width[0])).append("  ").append(pad(c.get(1), width[1])).append("  ").append(c.get(2));
            } else {
                out.append(row);
            }
            out.append('\n');
        }
        return ActionResult.ok(out.toString());
    }

    private static String pad(Object text, int width) {
        return String.format(java.util.Locale.ROOT, "%-" + width + "s", text);
    }

    /** The anonymous line --disable leaves (docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger). */
    private static String optOut(Map<String, Object> entry) {
        String head = "Telemetry disabled at " + entry.get(Ledger.DISABLED_AT) + "; ";
        if (!(entry.get("sent") instanceof Long n) || n == 0) {
            return head + "no events had been sent.";
        }
        List<?> endpoints = entry.get("endpoints") instanceof List<?> l ? l : List.of();
        return head + n + " events had been sent between " + entry.get("first_sent_at") + " and "
                + entry.get("last_sent_at") + " to " + String.join(", ", endpoints.stream().map(String::valueOf).toList()) + ".";
    }
}
