package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;

/**
 * Reads TOML (a real TOML 1.0 parser: Jackson's) into plain maps, lists and scalars, within fixed bounds:
 * a document nested deeper than {@value #MAX_DEPTH} levels (tables, dotted keys, arrays, inline tables
 * counted alike) is a syntax error in words, never a {@code StackOverflowError} (docs/security.md).
 */
public final class Toml {
    /** Far more than any roar file needs ({@code telemetry.enabled} is 2), small enough for any thread's stack. */
    public static final int MAX_DEPTH = 64;
    // dates and times as java.time values, not strings: `endpoint = 1979-05-27` is a type error
    // (docs/configuration.md#keys); arrays and
    // inline tables are bounded by the parser itself, dotted keys and table headers by read() below
    private static final TomlFactory FACTORY = TomlFactory.builder().enable(TomlReadFeature.PARSE_JAVA_TIME)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build();
    private static final String TOO_DEEP = "nested deeper than " + MAX_DEPTH + " levels";

    private Toml() {}

    /** A TOML syntax error, with the parser's line and column where it gives them. */
    public static final class TomlSyntaxException extends Exception {
        public TomlSyntaxException(String message) {
            super(message);
        }
    }

    public static Map<String, Object> parse(String text) throws TomlSyntaxException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Map.of();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) read(parser, first, 0);
            return root;
        } catch (StreamConstraintsException e) {
            throw new TomlSyntaxException(TOO_DEEP);
        } catch (JsonProcessingException e) {
            throw new TomlSyntaxException(describe(e));
        } catch (IOException | RuntimeException e) {
            throw new TomlSyntaxException(e.getClass().getSimpleName());
        }
    }

    private static Object read(JsonParser parser, JsonToken token, int depth) throws IOException, TomlSyntaxException {
        if (depth > MAX_DEPTH) {
            // `a.a.a...a = 1` builds a tree as deep as the key is long, without nesting brackets
            throw new TomlSyntaxException(TOO_DEEP);
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken(), depth + 1));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(read(parser, t, depth + 1));
                }
                return list;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT:
                return parser.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_EMBEDDED_OBJECT:
                // a TOML date/time (java.time): kept as such, so a reader that wants a string sees a type error
                return parser.getEmbeddedObject();
            default:
                return parser.getText();
        }
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = "syntax error";
        }
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl);
        }
        JsonLocation where = e.getLocation();
        if (where != null && where.getLineNr() > 0) {
            return "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": " + message;
        }
        return message;
    }
}
