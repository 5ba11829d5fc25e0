package org.pnnedge.runtime.edge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.runtime.mqtt.Command;
import org.pnnedge.runtime.mqtt.RequestError;
import org.pnnedge.runtime.service.InferenceService;

/**
 * The one set of operations a client may ask of the running service: {@code classify}, {@code status},
 * {@code recalibrate}. The control socket names them in {@code "op"}, MQTT commands in the topic's last level;
 * both reach the same code here, so they can never answer differently.
 */
final class ControlOps {
    private final InferenceService inference;
    private final Map<String, Function<JsonNode, JsonNode>> ops = new LinkedHashMap<>();
    private final MeasuredClassify measured;
    private final HeardEvents heard;

    ControlOps(InferenceService inference, StatusReport status, Recalibration recal, Talkers talkers,
               HeardEvents heard) {
        this.inference = inference;
        this.measured = new MeasuredClassify(inference, talkers);
        this.heard = heard;
        ops.put("classify", this::classify);
        ops.put("status", request -> status.withSensors());
        ops.put("recalibrate", request -> recal.commanded());
    }

    /**
     * {"features":[...]} → {"label":…,"confidence":…,…}, or {"error":…} naming what is wrong with the request; a
     * measurement ({"formantsHz":[...],"f0Hz":…,"talker":…}) goes to {@link MeasuredClassify}. Serves MQTT inference
     * requests and the control socket alike.
     */
    JsonNode classify(JsonNode request) {
        if (Measurement.isMeasurement(request)) {
            return measured.classify(request);
        }
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

    /**
     * A control-socket request: {"op": name, ...}. A classify request with {@code "publish": true} (and an optional
     * {@code "source"}) also goes out as a heard event ({@link HeardEvents}): only from the control socket, whose
     * clients are local and admitted by the socket's file mode; an MQTT requester has its reply already.
     */
    JsonNode controlRequest(JsonNode request) {
        String op = request.path("op").asText("");
        if (op.equals("classify")) {
            String bad = HeardEvents.invalid(request);
            if (bad != null) {
                return ControlServer.error(bad);
            }
            JsonNode reply = classify(request);
            if (request.path("publish").asBoolean(false) && !reply.has("error")) {
                heard.offer(reply, request.path("source").asText(null));
            }
            return reply;
        }
        Function<JsonNode, JsonNode> f = ops.get(op);
        if (f != null) {
            return f.apply(request);
        }
        ObjectNode err = ControlServer.error("unknown op '" + op + "'");
        err.set("ops", ControlServer.MAPPER.valueToTree(ops.keySet()));
        return err;
    }

    /** Commands that change the device's state: over MQTT only when the broker's ACLs vouch for the sender. */
    static final Set<String> STATE_CHANGING = Set.of("recalibrate");

    /**
     * The MQTT link's {@link org.pnnedge.runtime.mqtt.CommandAuthoriser}, asked on arrival before a command is queued:
     * a state-changing command is refused ({@code unauthorized}, counted under "errors") unless {@code brokerAcl}.
     * MQTT tells the device nothing about who published a message, so only a broker that lets nobody but operators
     * publish commands (mqtt.md, "Authorisation") makes it safe to obey. Null admits the command.
     */
    JsonNode mqttRefusal(String name, boolean brokerAcl) {
        if (STATE_CHANGING.contains(name) && !brokerAcl) {
            inference.count("unauthorized"); // counted under "errors" in the status and telemetry
            return RequestError.of("unauthorized", "command '" + name + "' changes the device's state and "
                    + "is accepted over MQTT only with mqtt.broker_acl=true (a broker whose ACLs let only operators "
                    + "publish commands); on the device, run pnn recalibrate (it uses the control socket)", null);
        }
        return null;
    }

    /**
     * An MQTT command (…/cmd/{name}) the link admitted ({@link #mqttRefusal}); its payload is the request. The
     * authorisation is checked again here, so a link that skipped it still obeys no unauthorised command.
     */
    JsonNode mqttCommand(Command cmd, boolean brokerAcl) {
        JsonNode refusal = mqttRefusal(cmd.name(), brokerAcl);
        if (refusal != null) {
            return refusal;
        }
        Function<JsonNode, JsonNode> f = ops.get(cmd.name());
        if (f != null) {
            return f.apply(cmd.payload());
        }
        return ControlServer.error("unknown command '" + cmd.name() + "' (" + String.join(", ", ops.keySet()) + ")");
    }
}
