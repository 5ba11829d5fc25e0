package org.pnnedge.models.pnn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.DeviceRequirements;
import org.pnnedge.models.bundle.FeatureNormalization;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.bundle.Provenance;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinCodec;

/**
 * A trained PNN to and from the {@code network} section of a model bundle (format in bundle.md):
 * <pre>
 * {"architecture": {"layers": L, "features": F, "inputs": I, "params": P, "outputs": O, "classChannels": [...]},
 *  "layers": [{"slot": l, "params": [codes], "gain": [...], "offset": [...]}, ...],
 *  "readout": {"gain": [...], "offset": [...]}}
 * </pre>
 * Feature normalisation travels in the manifest's {@code normalization} field.
 */
public final class PnnBundles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PnnBundles() {
    }

    public static JsonNode networkJson(PnnModel m) {
        PnnArchitecture a = m.architecture();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode arch = root.putObject("architecture");
        arch.put("layers", a.layers());
        arch.put("features", a.features());
        arch.put("inputs", a.inputs());
        arch.put("params", a.params());
        arch.put("outputs", a.outputs());
        arch.set("classChannels", MAPPER.valueToTree(a.classChannels()));
        ArrayNode layers = root.putArray("layers");
        int[][] codes = m.thetaCodes();
        double[][] gain = m.gain();
        double[][] offset = m.offset();
        for (int l = 0; l < a.layers(); l++) {
            ObjectNode layer = layers.addObject();
            layer.put("slot", l);
            layer.set("params", MAPPER.valueToTree(codes[l]));
            layer.set("gain", MAPPER.valueToTree(gain[l]));
            layer.set("offset", MAPPER.valueToTree(offset[l]));
        }
        ObjectNode readout = root.putObject("readout");
        readout.set("gain", MAPPER.valueToTree(m.readGain()));
        readout.set("offset", MAPPER.valueToTree(m.readOffset()));
        return root;
    }

    /** The network of a verified bundle; errors name the missing or malformed field. */
    public static PnnModel model(BundleManifest manifest) {
        JsonNode n = manifest.network();
        try {
            JsonNode arch = field(n, "architecture");
            PnnArchitecture a = new PnnArchitecture(field(arch, "layers").asInt(), field(arch, "features").asInt(),
                    field(arch, "inputs").asInt(), field(arch, "params").asInt(), field(arch, "outputs").asInt(),
                    MAPPER.treeToValue(field(arch, "classChannels"), int[].class));
            JsonNode layers = field(n, "layers");
            if (!layers.isArray() || layers.size() != a.layers()) {
                throw new IllegalArgumentException("network.layers must be an array of " + a.layers() + " layers");
            }
            int[][] codes = new int[a.layers()][];
            double[][] gain = new double[a.layers()][];
            double[][] offset = new double[a.layers()][];
            for (int l = 0; l < a.layers(); l++) {
                JsonNode layer = layers.get(l);
                codes[l] = MAPPER.treeToValue(field(layer, "params"), int[].class);
                gain[l] = MAPPER.treeToValue(field(layer, "gain"), double[].class);
                offset[l] = MAPPER.treeToValue(field(layer, "offset"), double[].class);
            }
            JsonNode readout = field(n, "readout");
            FeatureNormalization norm = manifest.normalization();
            if (norm == null) {
                throw new IllegalArgumentException("bundle has no feature normalization");
            }
            return new PnnModel(a, manifest.labels(), norm.offset(), norm.scale(), codes, gain, offset,
                    MAPPER.treeToValue(field(readout, "gain"), double[].class),
                    MAPPER.treeToValue(field(readout, "offset"), double[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed network section: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode field(JsonNode o, String name) {
        JsonNode v = o == null ? null : o.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("network section is missing '" + name + "'");
        }
        return v;
    }

    /**
     * Reference probes for recalibration: for each layer, a few inputs the model really feeds it, with the
     * outputs the device gives now (mean and std over {@code repeats} shots).
     */
    public static List<Probe> measureProbes(PnnModel model, double[][] z, int count, int repeats,
                                            PhysicalLayers.OnDevice device) {
        PnnParameters p = model.toParameters(device.maxDac());
        int n = Math.min(count, z.length);
        PnnPass pass = new PnnPass(model.architecture(), n);
        double[][] zz = java.util.Arrays.copyOf(z, n);
        pass.forward(p, zz, n, device);
        List<Probe> probes = new ArrayList<>();
        int outputs = model.architecture().outputs();
        for (int l = 0; l < model.architecture().layers(); l++) {
            for (int b = 0; b < n; b++) {
                int[][] rows = new int[repeats][];
                java.util.Arrays.fill(rows, pass.codes[l][b]);
                double[][] y = new double[repeats][outputs];
                device.run(l, pass.thetaCodes[l], rows, repeats, y);
                double[] mean = new double[outputs];
                double[] sd = new double[outputs];
                for (int k = 0; k < outputs; k++) {
                    double s = 0;
                    double sq = 0;
                    for (int r = 0; r < repeats; r++) {
                        double v = y[r][k] * device.maxAdc();
                        s += v;
                        sq += v * v;
                    }
                    mean[k] = s / repeats;
                    sd[k] = Math.sqrt(Math.max(0, sq / repeats - mean[k] * mean[k]));
                }
                probes.add(new Probe(l, pass.codes[l][b].clone(), null, mean, sd, repeats));
            }
        }
        return probes;
    }

    /** Everything a bundle needs, as a manifest ready to sign. */
    public static BundleManifest manifest(String modelId, String version, PnnModel model, DeviceInfo device,
                                          TrainableTwin twin, List<Probe> probes, Provenance provenance,
                                          Map<String, Double> metrics) {
        DeviceRequirements req = new DeviceRequirements(device.kind().id(), device.protocolVersion(),
                device.inputs(), device.params(), device.outputs(), device.dacBits(), device.adcBits());
        BundleManifest.Builder b = BundleManifest.builder(modelId, version, req).created(Instant.now())
                .labels(model.labels())
                .normalization(new FeatureNormalization("z-score", model.featureOffset(), model.featureScale()))
                .network(networkJson(model)).twin(twin == null ? null : TwinCodec.toJson(twin))
                .provenance(provenance);
        for (Probe p : probes) {
            b.probe(p);
        }
        for (Map.Entry<String, Double> e : new LinkedHashMap<>(metrics).entrySet()) {
            b.metric(e.getKey(), e.getValue());
        }
        return b.build();
    }
}
