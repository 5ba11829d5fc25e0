package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.Prediction;

/**
 * Where `pnn classify` and `pnn listen` send a feature vector: directly to a device with a bundle, or to a
 * running service's control socket. Both answer the same JSON, {@link org.pnnedge.runtime.service.Answer}
 * (label, index, confidence, probabilities, latencyMicros and the model that answered: model, modelId,
 * modelVersion, labels, featureLayout).
 */
interface FeatureClassifier {
    JsonNode classify(double[] features) throws Exception;

    /**
     * Classifies a measurement (12 formant values and F0, Hz): on a device with a bundle its features are computed
     * here in the bundle's layout (a talker's first word: nobody remembers talkers between two runs); a running
     * service computes them itself and keeps the named {@code talker}'s estimate (mqtt.md, "Measurement requests").
     *
     * @param f0Hz   NaN when not measured ({@code hz12} models do without)
     * @param talker null for none; with a device, refused
     * @param learn  whether the service's estimate of the talker may learn from this vowel
     */
    JsonNode classify(double[] formantsHz, double f0Hz, String talker, boolean learn) throws Exception;

    /**
     * What the model's features are, so audio is turned into the right ones. A running service is asked for its
     * model's layout (its status's {@code feature_layout}; a service too old to say is taken to run {@code hz12}).
     */
    FeatureLayout layout() throws Exception;

    /**
     * @param device a device URI (then {@code bundle} is required), or null for the service behind {@code socket}
     */
    static FeatureClassifier open(DeviceContext ctx, String device, Path bundle, List<Path> trust, Path socket)
            throws Exception {
        return open(ctx, device, bundle, trust, socket, null);
    }

    /**
     * @param publishAs with a running service: it also publishes each answer as a heard event from this source
     *                  (mqtt.md, {@code <p>/<d>/heard}); null for none. Refused with a device: nobody would publish.
     */
    static FeatureClassifier open(DeviceContext ctx, String device, Path bundle, List<Path> trust, Path socket,
                                  String publishAs) throws Exception {
        if (device != null && publishAs != null) {
            throw new CliException("--publish needs a running service (--state-dir): the service publishes on MQTT, "
                    + "a device alone cannot");
        }
        if (device != null) {
            if (bundle == null) {
                throw new CliException("--device needs --bundle");
            }
            ModelBundle b = BundleFile.load(bundle, EvalCommand.trustedKeys(trust));
            FeatureLayout layout;
            try {
                layout = FeatureLayout.of(b.manifest().featureLayout());
            } catch (IllegalArgumentException e) {
                throw new CliException(bundle + ": " + e.getMessage() + "; a newer PNN Edge may know it");
            }
            InferenceEngine engine = new InferenceEngine(ctx.open(device), b);
            Prediction p = engine.newPrediction();
            return new FeatureClassifier() {
                @Override
                public JsonNode classify(double[] f) {
                    engine.classify(f, p);
                    return Json.MAPPER.valueToTree(engine.answer(p)); // the same answer as the service's
                }

                @Override
                public JsonNode classify(double[] formantsHz, double f0Hz, String talker, boolean learn) {
                    if (talker != null) {
                        throw new CliException("--talker needs a running service (--state-dir or --socket): a "
                                + "talker's estimate lives in the service, not in one pnn classify run");
                    }
                    return classify(layout.features(formantsHz, f0Hz));
                }

                @Override
                public FeatureLayout layout() {
                    return layout;
                }
            };
        }
        return new FeatureClassifier() {
            @Override
            public JsonNode classify(double[] f) {
                ObjectNode req = request(publishAs);
                req.set("features", Json.MAPPER.valueToTree(f));
                return ask(socket, req);
            }

            @Override
            public JsonNode classify(double[] formantsHz, double f0Hz, String talker, boolean learn) {
                ObjectNode req = request(publishAs);
                req.set("formantsHz", Json.MAPPER.valueToTree(formantsHz));
                if (!Double.isNaN(f0Hz)) {
                    req.put("f0Hz", f0Hz);
                }
                if (talker != null) {
                    req.put("talker", talker);
                    if (!learn) {
                        req.put("learn", false);
                    }
                }
                return ask(socket, req);
            }

            @Override
            public FeatureLayout layout() {
                JsonNode status = ask(socket, Json.MAPPER.createObjectNode().put("op", "status"));
                String id = status.path("feature_layout").asText("hz12");
                try {
                    return FeatureLayout.of(id);
                } catch (IllegalArgumentException e) {
                    throw new CliException("service: " + e.getMessage() + "; a newer PNN Edge may know it");
                }
            }
        };
    }

    private static ObjectNode request(String publishAs) {
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("op", "classify");
        if (publishAs != null) {
            req.put("publish", true);
            req.put("source", publishAs);
        }
        return req;
    }

    private static JsonNode ask(Path socket, ObjectNode req) {
        JsonNode answer;
        try {
            answer = ControlClient.request(socket, req, Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new CliException(e.getMessage() + " (start one with pnn run, or use --device and --bundle)");
        }
        if (answer.has("error")) {
            throw new CliException("service: " + org.pnnedge.runtime.mqtt.RequestError.message(answer));
        }
        return answer;
    }
}
