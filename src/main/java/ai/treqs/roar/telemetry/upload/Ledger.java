package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.stats.Stats;

/**
 * {@code sent.jsonl} (contract §11): what was delivered, byte for byte, when and to whom. Written
 * once per uploader run under the uploader lock; newest 100 lines, nothing older than 30 days.
 */
public final class Ledger {
    public static final int MAX_LINES = 100;
    public static final Duration MAX_AGE = Duration.ofDays(30);
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private Ledger() {}

    /** One delivered event. */
    public record Line(Instant sentAt, String endpoint, Map<String, Object> body) {
        String json() {
            Map<String, Object> line = new TreeMap<>();
            line.put("sent_at", Stats.timestamp(sentAt));
            line.put("endpoint", endpoint);
            line.put("body", body);
            return Json.writeString(line);
        }
    }

    /** The endpoint as the ledger shows it: scheme://host[:port]/path, no user info, no query. */
    public static String displayEndpoint(String endpoint) {
        return EndpointRule.display(endpoint);
    }

    public static void append(Path file, List<Line> delivered, Instant now) throws IOException {
        if (delivered.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (String existing : readLines(file)) {
            if (isRecent(existing, now)) {
                lines.add(existing);
            }
        }
        for (Line line : delivered) {
            lines.add(line.json());
        }
        List<String> kept = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
        StringBuilder out = new StringBuilder();
        kept.forEach(l -> out.append(l).append('\n'));
        SecureFiles.writeAtomically(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The ledger's lines, oldest first; unreadable content gives none. */
    public static List<String> readLines(Path file) {
        try {
            byte[] bytes = SecureFiles.readRegularFile(file, MAX_FILE_BYTES);
            if (bytes == null) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isRecent(String line, Instant now) {
        try {
            Object sentAt = Json.parseObject(line.getBytes(StandardCharsets.UTF_8)).get("sent_at");
            return sentAt instanceof String s && Instant.parse(s).isAfter(now.minus(MAX_AGE));
        } catch (IOException | DateTimeParseException e) {
            return false;
        }
    }
}
