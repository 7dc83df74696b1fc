package ai.treqs.roar.telemetry.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.upload.Ledger;

/** {@code --history}: what was actually sent, newest first (contract §11). */
@ApplicationScoped
public class UploadHistory {

    @Inject ConfigLoader configLoader;

    public ActionResult show(boolean json) {
        List<String> lines = new ArrayList<>(Ledger.readLines(configLoader.paths().ledger()));
        Collections.reverse(lines);
        StringBuilder out = new StringBuilder();
        if (json) {
            lines.forEach(l -> out.append(l).append('\n'));
            return ActionResult.ok(out.toString());
        }
        if (lines.isEmpty()) {
            return ActionResult.ok("(nothing sent yet)\n");
        }
        for (String line : lines) {
            try {
                Map<String, Object> entry = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                if (entry.containsKey(Ledger.DISABLED_AT)) {
                    out.append(TerminalText.inert(optOut(entry))).append('\n');
                    continue;
                }
                Map<?, ?> body = entry.get("body") instanceof Map<?, ?> m ? m : Map.of();
                out.append(TerminalText.inert(entry.get("sent_at") + "  " + body.get("trigger") + "  " + body.get("event_id")))
                        .append('\n');
            } catch (IOException e) {
                // a damaged line is not shown; the others are
            }
        }
        return ActionResult.ok(out.toString());
    }

    /** The anonymous line --disable leaves (contract §11). */
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
