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

    private static Verdict refuse(String rule, String path, String detail) {
        return new Verdict.Refused(Problem.badRequest(rule, path, detail));
    }
}
