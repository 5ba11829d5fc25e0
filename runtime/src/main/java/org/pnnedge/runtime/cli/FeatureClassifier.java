package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.runtime.edge.ControlServer;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.Prediction;

/**
 * Where `pnn classify` and `pnn listen` send a feature vector: directly to a device with a bundle, or to a
 * running service's control socket. Both answer the same JSON (label, index, confidence, probabilities,
 * latencyMicros, model).
 */
interface FeatureClassifier {
    JsonNode classify(double[] features) throws Exception;

    /**
     * What the model's features are, so audio is turned into the right ones. A running service is asked nothing:
     * its model is taken to use the legacy layout, and one of another size refuses the features by their count.
     */
    default FeatureLayout layout() {
        return FeatureLayout.HZ12;
    }

    /**
     * @param device a device URI (then {@code bundle} is required), or null for the service behind {@code socket}
     */
    static FeatureClassifier open(DeviceContext ctx, String device, Path bundle, List<Path> trust, Path socket)
            throws Exception {
        if (device != null) {
            if (bundle == null) {
                throw new CliException("--device needs --bundle");
            }
            ModelBundle b = Bundles.load(bundle, EvalCommand.trustedKeys(trust));
            FeatureLayout layout;
            try {
                layout = FeatureLayout.of(b.manifest().featureLayout());
            } catch (IllegalArgumentException e) {
                throw new CliException(bundle + ": " + e.getMessage() + "; a newer PNN Edge may know it");
            }
            InferenceEngine engine = new InferenceEngine(ctx.open(device), b);
            Prediction p = engine.newPrediction();
            String model = engine.modelId() + "@" + engine.version();
            return new FeatureClassifier() {
                @Override
                public JsonNode classify(double[] f) {
                    engine.classify(f, p);
                    ObjectNode o = Json.MAPPER.createObjectNode();
                    o.put("label", engine.labels().get(p.label()));
                    o.put("index", p.label());
                    o.put("confidence", p.confidence());
                    o.set("probabilities", Json.MAPPER.valueToTree(p.probabilities()));
                    o.put("latencyMicros", p.latencyNanos() / 1e3);
                    o.put("model", model);
                    o.put("featureLayout", layout.id());
                    return o;
                }

                @Override
                public FeatureLayout layout() {
                    return layout;
                }
            };
        }
        return f -> {
            ObjectNode req = Json.MAPPER.createObjectNode();
            req.put("op", "classify");
            ArrayNode arr = req.putArray("features");
            for (double v : f) {
                arr.add(v);
            }
            JsonNode answer;
            try {
                answer = ControlServer.request(socket, req, Duration.ofSeconds(10));
            } catch (IOException e) {
                throw new CliException(e.getMessage() + " (start one with pnn run, or use --device and --bundle)");
            }
            if (answer.has("error")) {
                throw new CliException("service: " + org.pnnedge.runtime.mqtt.RequestError.message(answer));
            }
            return answer;
        };
    }
}
