package ai.treqs.roar.collector.ingest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Parses a body and routes it by {@code payload_schema_version} to that version's validator. */
@ApplicationScoped
public class PayloadRouter {
    private static final String VERSION = "payload_schema_version";

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private final PayloadSchemaV1 v1 = new PayloadSchemaV1(mapper);

    public Verdict route(byte[] body, Instant receivedAt) {
        if (!plainUtf8Start(body)) {
            return refuse("not_json", "$", "JSON is sent as UTF-8 without a byte-order mark (RFC 8259 section 8.1).");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            return refuse("not_json", "$", "The body is not one well-formed JSON document in UTF-8.");
        }
        if (tree == null || tree.isMissingNode()) {
            return refuse("not_json", "$", "The body is empty.");
        }
        if (!tree.isObject()) {
            return refuse("not_an_object", "$", "An event is a JSON object.");
        }
        JsonNode version = tree.get(VERSION);
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != 1) {
            return refuse("unsupported_schema_version", "$." + VERSION,
                    "This collector has no validator for this payload_schema_version (it knows 1).");
        }
        List<Problem.Violation> violations = v1.violations(tree);
        if (!violations.isEmpty()) {
            Problem.Violation first = violations.get(0);
            return new Verdict.Refused(new Problem(400, "Invalid telemetry event", first.rule(), first.path(),
                    "The event fails rule '" + first.rule() + "' of payload schema 1 at " + first.path() + ".",
                    violations));
        }
        return new Verdict.Accepted(v1.event(tree, receivedAt));
    }

    /**
     * Jackson would detect a byte-order mark or UTF-16/32 and read it; JSON between systems is UTF-8 with no mark.
     * A JSON text starts with ASCII (white space or a value), so UTF-16/32 shows as a zero byte in its first four,
     * which UTF-8 JSON never has; the UTF-8 mark is EF BB BF, the UTF-16 ones FE FF and FF FE.
     */
    static boolean plainUtf8Start(byte[] body) {
        int n = Math.min(body.length, 4);
        for (int i = 0; i < n; i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        if (body.length >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
            return false;
        }
        return !(body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF);
    }

    private static Verdict refuse(String rule, String path, String detail) {
        return new Verdict.Refused(Problem.badRequest(rule, path, detail));
    }
}
