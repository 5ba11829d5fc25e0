package org.pnnedge.models.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.nn.MlpState;

/**
 * Twins to and from JSON (the {@code twin} section of a model bundle and {@code pnn fit-twin} files).
 * <pre>
 * {"type": "shg-greybox", "calibration": [...]}
 * {"type": "mlp", "physics": "shg", "inputs": 16, "params": 32, "mlp": {widths, activations, weights, biases}}
 * {"type": "shg-greybox+mlp", "base": {...}, "residual": {...}}
 * </pre>
 */
public final class TwinCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TwinCodec() {
    }

    public static JsonNode toJson(TrainableTwin twin) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", twin.type());
        switch (twin) {
            case ShgTwin s -> o.set("calibration", MAPPER.valueToTree(s.calibration()));
            case MlpTwin m -> {
                o.put("physics", m.kind().id());
                o.put("inputs", m.inputs());
                o.put("params", m.params());
                o.set("mlp", MAPPER.valueToTree(m.state()));
            }
            case ResidualTwin r -> {
                o.set("base", toJson(r.base()));
                o.set("residual", toJson(r.residual()));
            }
            default -> throw new IllegalArgumentException("no JSON form for twin type " + twin.type());
        }
        return o;
    }

    public static TrainableTwin fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("twin must be a JSON object");
        }
        String type = text(json, "type");
        try {
            return switch (type) {
                case "shg-greybox" -> new ShgTwin(value(json, "calibration", double[].class));
                case "mlp" -> new MlpTwin(PhysicsKind.fromId(text(json, "physics")), integer(json, "inputs"),
                        integer(json, "params"), value(json, "mlp", MlpState.class).toMlp());
                default -> {
                    if (type.endsWith("+mlp")) {
                        TrainableTwin base = fromJson(need(json, "base"));
                        if (!(fromJson(need(json, "residual")) instanceof MlpTwin res)) {
                            throw new IllegalArgumentException("twin.residual must be an mlp twin");
                        }
                        yield new ResidualTwin(base, res);
                    }
                    throw new IllegalArgumentException("unknown twin type '" + type + "'");
                }
            };
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed twin '" + type + "': " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode need(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("twin is missing field '" + field + "'");
        }
        return n;
    }

    /** A field converted to {@code type}; a conversion error names the field. */
    private static <T> T value(JsonNode o, String field, Class<T> type) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode n = need(o, field);
        try {
            return MAPPER.treeToValue(n, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("twin field '" + field + "' is malformed: " + e.getOriginalMessage(), e);
        }
    }

    private static int integer(JsonNode o, String field) {
        JsonNode n = need(o, field);
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("twin field '" + field + "' must be an integer");
        }
        return n.asInt();
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = need(o, field);
        if (!n.isTextual()) {
            throw new IllegalArgumentException("twin field '" + field + "' must be a string");
        }
        return n.asText();
    }
}
