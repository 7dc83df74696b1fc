package ai.treqs.roar.telemetry.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema of payload version 1 (docs/telemetry.md#the-payloads-json-schema---schema): the published form of {@link Allowlist}, the
 * file a collector validates against. A test holds the two to the same verdicts.
 */
public final class PayloadSchema {
    public static final String RESOURCE = "roar/payload-schema-v1.json";

    private PayloadSchema() {}

    public static String text() {
        try (InputStream in = PayloadSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
