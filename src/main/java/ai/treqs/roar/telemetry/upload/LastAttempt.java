package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.io.UtcTimestamps;

/** {@code last-attempt}: when the last uploader run was and whether it reached the endpoint. */
public record LastAttempt(Instant at, boolean failed, String outcome) {

    /**
     * Whether this attempt was within {@code window} before {@code now}. A time in the future (a clock that
     * was set back, a file from another machine) counts as long ago: it must not hold uploads back until
     * that date (docs/telemetry.md#when-the-uploader-starts).
     */
    public boolean within(Duration window, Instant now) {
        return !at.isAfter(now) && at.isAfter(now.minus(window));
    }

    public static Optional<LastAttempt> read(Path file) {
        try {
            byte[] bytes = SecureFiles.readRegularFile(file, 4096);
            if (bytes == null) {
                return Optional.empty();
            }
            Map<String, Object> json = Json.parseObject(bytes);
            return Optional.of(new LastAttempt(Instant.parse((String) json.get("at")),
                    Boolean.TRUE.equals(json.get("failed")), String.valueOf(json.get("outcome"))));
        } catch (IOException | ClassCastException | NullPointerException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new TreeMap<>();
        json.put("at", UtcTimestamps.format(at));
        json.put("failed", failed);
        json.put("outcome", outcome);
        SecureFiles.writeAtomically(file, (Json.writeString(json) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
