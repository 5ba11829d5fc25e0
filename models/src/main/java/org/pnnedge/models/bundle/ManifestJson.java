package org.pnnedge.models.bundle;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The JSON form of a {@link BundleManifest}: strict on reading (unknown fields, wrong types, duplicate keys
 * and trailing data are errors naming the field) and deterministic on writing (fixed field order, sorted
 * maps, no nulls, compact), so the same manifest always gives the same payload bytes.
 */
public final class ManifestJson {
    /** Strict reader/writer shared by the bundle code; do not reconfigure. */
    static final JsonMapper MAPPER = strictMapper();

    private ManifestJson() {
    }

    private static JsonMapper strictMapper() {
        SimpleModule time = new SimpleModule("pnn-instant");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    return (Instant) ctx.handleUnexpectedToken(Instant.class, p);
                }
                String s = p.getText();
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException e) {
                    throw ctx.weirdStringException(s, Instant.class, "expected an ISO-8601 UTC instant like "
                            + "2025-01-31T12:00:00Z");
                }
            }
        });
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS))
                .addModule(time)
                .build();
        // "5" is not 5, and 5 is not "5": a manifest with the wrong types is a schema error, not guessed at
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return m;
    }

    /** The manifest's canonical payload bytes: compact UTF-8 JSON, field order as declared, maps sorted. */
    public static byte[] write(BundleManifest m) {
        try {
            return MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise manifest: " + e.getOriginalMessage(), e);
        }
    }

    /** Indented JSON, for people. Not the signed form. */
    public static String writePretty(BundleManifest m) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise manifest: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a plain manifest document (what {@code pnn sign} takes). */
    public static BundleManifest read(byte[] json) throws BundleException {
        return read(json, "manifest");
    }

    /**
     * @param where name of the document in messages ("payload" inside a bundle, "manifest" for a plain file);
     *              field paths are prefixed with it, e.g. {@code payload.device.inputs}
     */
    static BundleManifest read(byte[] json, String where) throws BundleException {
        if (json.length == 0) {
            throw new BundleException(BundleException.Reason.TRUNCATED, where + " is empty");
        }
        try {
            return MAPPER.readValue(json, BundleManifest.class);
        } catch (JsonMappingException e) {
            throw schema(e, where);
        } catch (IOException e) {
            throw syntax(e, where);
        }
    }

    /** Reads a manifest already parsed to a tree (a JSON object). */
    static BundleManifest read(JsonNode tree, String where) throws BundleException {
        try {
            return MAPPER.treeToValue(tree, BundleManifest.class);
        } catch (JsonMappingException e) {
            throw schema(e, where);
        } catch (IOException e) {
            throw syntax(e, where);
        }
    }

    /** Syntax errors: end of input in the middle of the document is truncation, anything else malformed JSON. */
    static BundleException syntax(IOException e, String where) {
        String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (e instanceof JsonEOFException) {
            return new BundleException(BundleException.Reason.TRUNCATED, where + " ends in the middle of the JSON "
                    + "document (" + firstLine(msg) + ")", e);
        }
        String at = e instanceof JsonProcessingException j && j.getLocation() != null
                ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
        return new BundleException(BundleException.Reason.MALFORMED_JSON, where + " is not valid JSON" + at + ": "
                + firstLine(msg), e);
    }

    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    // Jackson's "Cannot coerce String value ("x") to `int` value (but might if ...)", said plainly
    private static final Pattern COERCE = Pattern.compile("^Cannot coerce ([\\w-]+) value \\((.*)\\) to `([^`]+)`");

    private static String simpleType(String t) {
        return t.startsWith("java.lang.") ? t.substring("java.lang.".length()) : t;
    }

    /** Mapping errors become SCHEMA with the dotted path of the offending field. */
    static BundleException schema(JsonMappingException e, String where) {
        if (e.getCause() instanceof JsonParseException p) {
            return syntax(p, where); // a syntax error met while binding (e.g. end of input) is not a schema error
        }
        String path = path(e, where);
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            detail = "unknown field '" + (path.endsWith("." + u.getPropertyName()) ? path : path + "." + u.getPropertyName())
                    + "'" + (known.isEmpty() ? "" : " (expected one of: " + known + ")");
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            detail = path + ": " + e.getCause().getMessage(); // our constructors name the field themselves
        } else {
            String msg = firstLine(e.getOriginalMessage());
            Matcher q = QUOTED.matcher(msg);
            if (msg.startsWith("Missing required creator property") && q.find()) {
                String field = path.endsWith("." + q.group(1)) ? path : path + "." + q.group(1);
                detail = "missing required field '" + field + "'";
            } else if (msg.startsWith("Trailing token")) {
                return new BundleException(BundleException.Reason.MALFORMED_JSON, where
                        + " has data after the end of the JSON document", e);
            } else {
                Matcher c = COERCE.matcher(msg);
                detail = "field '" + path + "': " + (c.find() ? "expected " + simpleType(c.group(3)) + ", got "
                        + c.group(1).toLowerCase(java.util.Locale.ROOT) + " " + c.group(2) : msg);
            }
        }
        return new BundleException(BundleException.Reason.SCHEMA, detail, e);
    }

    private static String path(JsonMappingException e, String where) {
        StringBuilder s = new StringBuilder(where);
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
