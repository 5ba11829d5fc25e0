package org.pnnedge.runtime.edge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.runtime.mqtt.Command;
import org.pnnedge.runtime.service.InferenceService;

/**
 * The one set of operations a client may ask of the running service: {@code classify}, {@code status},
 * {@code recalibrate}. The control socket names them in {@code "op"}, MQTT commands in the topic's last level;
 * both reach the same code here, so they can never answer differently.
 */
final class ControlOps {
    private final InferenceService inference;
    private final Map<String, Function<JsonNode, JsonNode>> ops = new LinkedHashMap<>();

    ControlOps(InferenceService inference, StatusReport status, Recalibration recal) {
        this.inference = inference;
        ops.put("classify", this::classify);
        ops.put("status", request -> status.withSensors());
        ops.put("recalibrate", request -> recal.commanded());
    }

    /**
     * {"features":[...]} → {"label":…,"confidence":…,…}, or {"error":…} naming what is wrong with the request.
     * Serves MQTT inference requests and the control socket alike.
     */
    JsonNode classify(JsonNode request) {
        JsonNode f = request.get("features");
        if (f == null || !f.isArray()) {
            return ControlServer.error("request needs \"features\": [numbers]");
        }
        double[] features = new double[f.size()];
        for (int i = 0; i < features.length; i++) {
            if (!f.get(i).isNumber()) {
                return ControlServer.error("feature " + i + " is not a number");
            }
            features[i] = f.get(i).asDouble();
        }
        return ControlServer.MAPPER.valueToTree(inference.classify(features));
    }

    /** A control-socket request: {"op": name, ...}. */
    JsonNode controlRequest(JsonNode request) {
        String op = request.path("op").asText("");
        Function<JsonNode, JsonNode> f = ops.get(op);
        if (f != null) {
            return f.apply(request);
        }
        ObjectNode err = ControlServer.error("unknown op '" + op + "'");
        err.set("ops", ControlServer.MAPPER.valueToTree(ops.keySet()));
        return err;
    }

    /** An MQTT command (…/cmd/{name}); its payload is the request. */
    JsonNode mqttCommand(Command cmd) {
        Function<JsonNode, JsonNode> f = ops.get(cmd.name());
        if (f != null) {
            return f.apply(cmd.payload());
        }
        return ControlServer.error("unknown command '" + cmd.name() + "' (" + String.join(", ", ops.keySet()) + ")");
    }
}
