package ai.treqs.roar.collector.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import ai.treqs.roar.collector.store.Event;

/**
 * Version 1: the CLI's JSON Schema ({@code roar/payload-schema-v1.json}, copied from the CLI's resources at build
 * time), and the columns taken from a valid event.
 */
final class PayloadSchemaV1 {
    static final String RESOURCE = "roar/payload-schema-v1.json";
    /** The pattern only (as the CLI's allowlist): an impossible date resolves leniently, clamped to SQL's range. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withResolverStyle(ResolverStyle.LENIENT);
    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC);

    private final Schema schema;
    /** Every property name the schema knows: a path segment outside it came from the client and is cut. */
    private final Set<String> knownNames;
    private final ObjectMapper mapper;

    PayloadSchemaV1(ObjectMapper mapper) {
        this.mapper = mapper;
        JsonNode schemaNode;
        try (InputStream in = PayloadSchemaV1.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: build with ./mvnw -f collector/pom.xml");
            }
            schemaNode = mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
                com.networknt.schema.SchemaLocation.of("classpath:" + RESOURCE), schemaNode);
        this.knownNames = new HashSet<>();
        collectNames(schemaNode, knownNames);
    }

    private static void collectNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                properties.fieldNames().forEachRemaining(names::add);
            }
            JsonNode propertyNames = node.get("propertyNames");
            if (propertyNames != null && propertyNames.has("enum")) {
                propertyNames.get("enum").forEach(n -> names.add(n.asText()));
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                collectNames(fields.next().getValue(), names);
            }
        }
    }

    /** The failed (rule, path) pairs, sorted; empty when the event is valid. */
    List<Problem.Violation> violations(JsonNode event) {
        List<Error> errors = schema.validate(event);
        Set<Problem.Violation> found = new HashSet<>();
        for (Error error : errors) {
            String path = safePath(error.getInstanceLocation());
            String property = error.getProperty();
            if ("required".equals(error.getKeyword()) && property != null && knownNames.contains(property)) {
                path = path + "." + property;
            }
            found.add(new Problem.Violation(error.getKeyword(), path));
        }
        List<Problem.Violation> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(Problem.Violation::path).thenComparing(Problem.Violation::rule));
        return sorted;
    }

    /** {@code $.a.b}, cut before the first segment that is not a name of the schema (a client's own key). */
    private String safePath(NodePath location) {
        StringBuilder path = new StringBuilder("$");
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (!(element instanceof String name) || !knownNames.contains(name)) {
                break;
            }
            path.append('.').append(name);
        }
        return path.toString();
    }

    /** The columns of a valid event. */
    Event event(JsonNode event, java.time.Instant receivedAt) {
        JsonNode platform = event.get("platform");
        String payload;
        try {
            payload = mapper.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Event(event.get("event_id").asText(), UUID.fromString(event.get("install_id").asText()),
                event.get("trigger").asText(), instant(event.get("trigger_ts").asText()),
                event.get("sequence").asLong(), event.get("version").asText(), platform.get("os").asText(),
                platform.get("arch").asText(), receivedAt, payload);
    }

    static OffsetDateTime instant(String text) {
        OffsetDateTime t = LocalDateTime.parse(text, TIMESTAMP).atOffset(ZoneOffset.UTC);
        return t.isBefore(EARLIEST) ? EARLIEST : t.isAfter(LATEST) ? LATEST : t;
    }
}
