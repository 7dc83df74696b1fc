package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.payload.Allowlist;
import ai.treqs.roar.telemetry.queue.EventQueue;

/**
 * The uploader's second look at a queued file (docs/telemetry.md#upload-mechanics, step 4): only a regular file of at most
 * 64 KiB that parses, passes the allowlist, is named by its event id and re-serialises to the very
 * same bytes may be sent.
 */
public final class QueuedFile {
    public static final int MAX_BYTES = 64 * 1024;

    private QueuedFile() {}

    public sealed interface Verdict {
        record Send(byte[] body, Map<String, Object> payload) implements Verdict {}
        /** Never sent; removed (a symlink itself, never its target). */
        record Remove(String why) implements Verdict {}
        /** A payload version this build does not know: neither sent nor deleted. */
        record Keep(String why) implements Verdict {}
    }

    public static Verdict inspect(Path file) {
        byte[] bytes;
        try {
            bytes = SecureFiles.readRegularFile(file, MAX_BYTES);
        } catch (IOException e) {
            return new Verdict.Remove("unreadable");
        }
        if (bytes == null) {
            return new Verdict.Remove("not a regular file of at most 64 KiB");
        }
        try {
            return judge(file.getFileName().toString(), bytes);
        } catch (RuntimeException e) {
            // a file the checks cannot even judge is not sendable, and must not stop the run at every attempt
            return new Verdict.Remove("cannot be validated: " + e.getClass().getSimpleName());
        }
    }

    /** Pure part of {@link #inspect}. */
    public static Verdict judge(String fileName, byte[] bytes) {
        Map<String, Object> payload;
        try {
            payload = Json.parseObject(bytes);
        } catch (Json.MalformedJsonException e) {
            return new Verdict.Remove("not JSON");
        }
        Object version = payload.get("payload_schema_version");
        if (version instanceof Long v && v != Allowlist.PAYLOAD_SCHEMA_VERSION) {
            return new Verdict.Keep("payload_schema_version " + v);
        }
        Optional<String> violation = Allowlist.violation(payload);
        if (violation.isPresent()) {
            return new Verdict.Remove("allowlist: " + violation.get());
        }
        if (!fileName.equals(payload.get("event_id") + EventQueue.SUFFIX)) {
            return new Verdict.Remove("file name is not its event id");
        }
        if (!Arrays.equals(bytes, Json.write(payload))) {
            return new Verdict.Remove("does not re-serialise to the same bytes");
        }
        return new Verdict.Send(bytes, payload);
    }
}
