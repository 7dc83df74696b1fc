package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.io.UtcTimestamps;

/**
 * {@code sent.jsonl} (docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger): what was delivered, byte for byte, when and to whom. Written
 * once per uploader run under the uploader lock; newest 100 lines, nothing older than 30 days.
 */
public final class Ledger {
    public static final int MAX_LINES = 100;
    public static final Duration MAX_AGE = Duration.ofDays(30);
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** The key of the one anonymous line {@code --disable} leaves. */
    public static final String DISABLED_AT = "disabled_at";

    private Ledger() {}

    /** One delivered event. */
    public record Line(Instant sentAt, String endpoint, Map<String, Object> body) {
        String json() {
            Map<String, Object> line = new TreeMap<>();
            line.put("sent_at", UtcTimestamps.format(sentAt));
            line.put("endpoint", endpoint);
            line.put("body", body);
            return Json.writeString(line);
        }
    }

    /** The endpoint as the ledger shows it: scheme://host[:port]/path, no user info, no query. */
    public static String displayEndpoint(String endpoint) {
        return EndpointRule.display(endpoint);
    }

    /**
     * Replaces the ledger by one line without any identifier (docs/proxies-and-ledger.md): when telemetry was disabled,
     * how many events had been sent, between when, to which endpoints. An earlier summary is folded in.
     */
    public static void replaceBySummary(Path file, Instant disabledAt) throws IOException {
        long sent = 0;
        String first = null;
        String last = null;
        TreeSet<String> endpoints = new TreeSet<>();
        for (String line : readLines(file)) {
            Map<String, Object> entry;
            try {
                entry = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                continue;
            }
            if (entry.get("sent_at") instanceof String at) {
                sent++;
                first = min(first, at);
                last = max(last, at);
                if (entry.get("endpoint") instanceof String endpoint) {
                    endpoints.add(endpoint);
                }
            } else if (entry.get(DISABLED_AT) instanceof String && entry.get("sent") instanceof Long n) {
                sent += n;
                first = min(first, entry.get("first_sent_at") instanceof String at ? at : null);
                last = max(last, entry.get("last_sent_at") instanceof String at ? at : null);
                if (entry.get("endpoints") instanceof List<?> list) {
                    list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(endpoints::add);
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put(DISABLED_AT, UtcTimestamps.format(disabledAt));
        summary.put("sent", sent);
        summary.put("first_sent_at", first);
        summary.put("last_sent_at", last);
        summary.put("endpoints", new ArrayList<>(endpoints));
        SecureFiles.writeAtomically(file, (Json.writeString(summary) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String min(String a, String b) {
        return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a == null ? b : b == null || a.compareTo(b) >= 0 ? a : b;
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

    /** A delivery by its {@code sent_at}, the opt-out summary by its {@code disabled_at}. */
    private static boolean isRecent(String line, Instant now) {
        try {
            Map<String, Object> entry = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
            Object at = entry.containsKey("sent_at") ? entry.get("sent_at") : entry.get(DISABLED_AT);
            return at instanceof String s && Instant.parse(s).isAfter(now.minus(MAX_AGE));
        } catch (IOException | DateTimeParseException e) {
            return false;
        }
    }
}
