package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.payload.PayloadFixtures;

/** docs/telemetry.md#upload-mechanics, step 4: the uploader sends a queued file only if it is exactly what roar would have written. */
class QueuedFileTest {
    static final String NAME = PayloadFixtures.EVENT_ID + ".json";

    static byte[] valid() {
        return Json.write(PayloadFixtures.validPayload());
    }

    static String validText() {
        return new String(valid(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static byte[] with(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> payload = PayloadFixtures.validPayload();
        change.accept(payload);
        return Json.write(payload);
    }

    @Test
    void aFileRoarWroteIsSentAsItsExactBytes() {
        byte[] bytes = valid();
        QueuedFile.Verdict.Send send = assertInstanceOf(QueuedFile.Verdict.Send.class, QueuedFile.judge(NAME, bytes));
        assertArrayEquals(bytes, send.body());
        assertEquals(PayloadFixtures.EVENT_ID, send.payload().get("event_id"));
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> removed() {
        return Stream.of(
                Arguments.of("an extra field", with(p -> p.put("hostname", "alice-laptop"))),
                Arguments.of("an extra counter", with(p -> ((Map<String, Object>) p.get("subcommand_counts"))
                        .put("python train.py --api-key=sk-123", 1L))),
                Arguments.of("the preview trigger", with(p -> p.put("trigger", "preview"))),
                Arguments.of("spaces after separators", validText().replace(",", ", ").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a trailing newline", (validText() + "\n").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("pretty printed", validText().replace("{", "{\n  ").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("keys in another order", reordered()),
                Arguments.of("an escaped character written differently",
                        validText().replace("\"init\"", "\"\\u0069nit\"").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a number written as 5.0", validText().replace("\"sequence\":5", "\"sequence\":5.0")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not JSON", "hello".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate keys", validText().replace("{\"counters_as_of\"", "{\"trigger\":\"init\",\"counters_as_of\"")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a payload schema that is not a number",
                        with(p -> p.put("payload_schema_version", "2"))));
    }

    /** The same payload with its top-level keys in reverse order. */
    static byte[] reordered() {
        Map<String, Object> payload = PayloadFixtures.validPayload();
        StringBuilder out = new StringBuilder("{");
        payload.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(Json.writeString(k)).append(':').append(Json.writeString(payload.get(k)));
        });
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removed")
    void aFileThatIsNotExactlyWhatRoarWritesIsRemovedUnsent(String what, byte[] bytes) {
        assertInstanceOf(QueuedFile.Verdict.Remove.class, QueuedFile.judge(NAME, bytes), what);
    }

    @Test
    void aFileNotNamedByItsEventIdIsRemoved() {
        QueuedFile.Verdict verdict = QueuedFile.judge("0000-other.json", valid());
        assertEquals(new QueuedFile.Verdict.Remove("file name is not its event id"), verdict);
        assertInstanceOf(QueuedFile.Verdict.Remove.class, QueuedFile.judge(PayloadFixtures.EVENT_ID, valid()));
    }

    @Test
    void aPayloadSchemaThisBuildDoesNotKnowIsKeptForANewerRoar() {
        byte[] newer = with(p -> {
            p.put("payload_schema_version", 2L);
            p.put("a_field_from_the_future", "x");
        });
        QueuedFile.Verdict.Keep keep = assertInstanceOf(QueuedFile.Verdict.Keep.class, QueuedFile.judge(NAME, newer));
        assertTrue(keep.why().contains("2"), keep.why());
    }

    @Test
    void inspectRemovesASymlinkWithoutReadingItsTarget(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("target.json");
        Files.write(target, valid());
        Path link = dir.resolve(NAME);
        Files.createSymbolicLink(link, target);
        assertInstanceOf(QueuedFile.Verdict.Remove.class, QueuedFile.inspect(link));
        assertArrayEquals(valid(), Files.readAllBytes(target));
    }

    @Test
    void inspectRemovesAFileOver64KiB(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        Files.write(file, new byte[QueuedFile.MAX_BYTES + 1]);
        assertInstanceOf(QueuedFile.Verdict.Remove.class, QueuedFile.inspect(file));
    }

    @Test
    void inspectSendsAFileRoarWrote(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        Files.write(file, valid());
        assertInstanceOf(QueuedFile.Verdict.Send.class, QueuedFile.inspect(file));
    }
}
