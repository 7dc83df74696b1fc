package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Each rule of the CLI's schema v1, broken once: 400 naming the rule and the path, never the value sent (every
 * broken value carries the marker), and never stored.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SchemaRulesTest {
    static final String MARK = "Zq9MARKER";

    @Inject AgroalDataSource db;

    static Arguments rule(String name, String rule, String path, Consumer<ObjectNode> breakIt) {
        return Arguments.of(name, rule, path, breakIt);
    }

    static List<Arguments> rules() {
        List<Arguments> rules = new java.util.ArrayList<>();
        for (String key : List.of("stats_schema_version", "event_id", "install_id", "sequence", "first_seen", "trigger",
                "trigger_ts", "counters_as_of", "version", "platform", "subcommand_counts", "tracer_selections",
                "feature_capabilities")) {
            rules.add(rule("missing " + key, "required", "$." + key, e -> e.remove(key)));
        }
        rules.addAll(List.of(
                rule("unknown top-level key", "additionalProperties", "$", e -> e.put("client_" + MARK, MARK)),
                rule("stats_schema_version 2", "const", "$.stats_schema_version", e -> e.put("stats_schema_version", 2)),
                rule("event_id with a space", "not", "$.event_id", e -> e.put("event_id", "a b" + MARK)),
                rule("event_id too long", "maxLength", "$.event_id", e -> e.put("event_id", MARK.repeat(20))),
                rule("install_id not a UUID", "pattern", "$.install_id", e -> e.put("install_id", MARK)),
                rule("install_id upper-case", "pattern", "$.install_id",
                        e -> e.put("install_id", e.get("install_id").asText().toUpperCase())),
                rule("sequence 0", "minimum", "$.sequence", e -> e.put("sequence", 0)),
                rule("sequence a string", "type", "$.sequence", e -> e.put("sequence", MARK)),
                rule("sequence above 2^63-1", "maximum", "$.sequence",
                        e -> e.put("sequence", new java.math.BigInteger("9223372036854775808"))),
                rule("first_seen with a space for T", "pattern", "$.first_seen", e -> e.put("first_seen", "2026-01-01 00:00:00Z")),
                rule("trigger_ts with a lower-case z", "pattern", "$.trigger_ts", e -> e.put("trigger_ts", "2026-01-01T00:00:00z")),
                rule("counters_as_of a number", "type", "$.counters_as_of", e -> e.put("counters_as_of", 1)),
                rule("trigger preview", "enum", "$.trigger", e -> e.put("trigger", "preview")),
                rule("trigger unknown", "enum", "$.trigger", e -> e.put("trigger", MARK)),
                rule("version with a space", "not", "$.version", e -> e.put("version", "1 " + MARK)),
                rule("platform.os missing", "required", "$.platform.os", e -> ((ObjectNode) e.get("platform")).remove("os")),
                rule("platform.os unknown", "enum", "$.platform.os", e -> ((ObjectNode) e.get("platform")).put("os", MARK)),
                rule("platform.arch upper-case", "not", "$.platform.arch",
                        e -> ((ObjectNode) e.get("platform")).put("arch", MARK)),
                rule("platform extra key", "additionalProperties", "$.platform",
                        e -> ((ObjectNode) e.get("platform")).put("hostname", MARK)),
                rule("platform not an object", "type", "$.platform", e -> e.put("platform", MARK)),
                rule("subcommand name unknown", "propertyNames", "$.subcommand_counts",
                        e -> ((ObjectNode) e.get("subcommand_counts")).put("rm -rf " + MARK, 1)),
                rule("subcommand count 0", "minimum", "$.subcommand_counts.run",
                        e -> ((ObjectNode) e.get("subcommand_counts")).put("run", 0)),
                rule("subcommand count fractional", "type", "$.subcommand_counts.run",
                        e -> ((ObjectNode) e.get("subcommand_counts")).put("run", 1.5)),
                rule("tracer unknown", "propertyNames", "$.tracer_selections",
                        e -> ((ObjectNode) e.get("tracer_selections")).put(MARK, 1)),
                rule("tracer count negative", "minimum", "$.tracer_selections.disabled",
                        e -> ((ObjectNode) e.get("tracer_selections")).put("disabled", -1)),
                rule("capability unknown", "additionalProperties", "$.feature_capabilities",
                        e -> ((ObjectNode) e.get("feature_capabilities")).put(MARK, true)),
                rule("capability flag a string", "type", "$.feature_capabilities.ebpf_supported",
                        e -> ((ObjectNode) e.get("feature_capabilities")).put("ebpf_supported", MARK)),
                rule("endpoint kind unknown", "enum", "$.feature_capabilities.glaas_endpoint_kind",
                        e -> ((ObjectNode) e.get("feature_capabilities")).put("glaas_endpoint_kind", MARK))));
        return rules;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleIsRefusedWithItsNameAndPathAndNeverStored(String name, String rule, String path,
                                                          Consumer<ObjectNode> breakIt) throws Exception {
        ObjectNode event = Events.valid();
        String installId = event.get("install_id").asText();
        breakIt.accept(event);
        Response response = given().contentType("application/json").body(event.toString()).post(Events.PATH);
        String body = response.asString();
        assertEquals(400, response.statusCode(), body);
        assertEquals("application/problem+json", response.contentType());
        List<java.util.Map<String, String>> violations = response.jsonPath().getList("violations");
        assertEquals(rule, response.jsonPath().getString("rule"), body);
        assertEquals(path, response.jsonPath().getString("path"), body);
        assertEquals(1, violations.size(), body);
        assertFalse(body.contains(MARK), "the problem echoes a value: " + body);
        assertFalse(body.contains(installId), body);
        assertEquals(0, Events.count(db, "install_id = ?::uuid", installId));
    }
}
