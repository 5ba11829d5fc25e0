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
 * A trained PNN to and from the {@code network} section of a model bundle (format in bundle.md). Format 1
 * (physical network, format-1 operations):
 * <pre>
 * {"architecture": {"layers": L, "features": F, "inputs": I, "params": P, "outputs": O, "classChannels": [...]},
 *  "layers": [{"slot": l, "params": [codes], "gain": [...], "offset": [...]}, ...],
 *  "readout": {"gain": [...], "offset": [...]}}
 * </pre>
 * Format 2 adds to {@code architecture} {@code "classes": C, "ops": {"skip": bool, "outputNorm": "none" |
 * "common-mode", "range": "clamp" | "soft"}, "projection": K}, a {@code "skip": [...]} per layer when the
 * architecture has a skip path, and {@code "dark": [...]} (one level per output channel). A network that format 1
 * can express is written as format 1, so older runtimes keep reading it; any other is written as format 2, which
 * they refuse by its version instead of running it wrong. Feature normalisation travels in the manifest's
 * {@code normalization} field.
 */
public final class PnnBundles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The feature layout of bundles without a {@code featureLayout} field (12 formants in PAT units). */
    public static final String LEGACY_LAYOUT = "hz12";

    private PnnBundles() {
    }

    /** The bundle format version a model needs: 1 for a format-1 network, else 2. */
    public static int formatVersion(PnnModel m) {
        PnnArchitecture a = m.architecture();
        return a.ops().legacy() && !a.hybrid() ? 1 : 2;
    }

    public static JsonNode networkJson(PnnModel m) {
        return networkJson(m, formatVersion(m) >= 2);
    }

    /** The network section in format 2 ({@code v2}, possible for every model) or format 1. */
    static JsonNode networkJson(PnnModel m, boolean v2) {
        PnnArchitecture a = m.architecture();
        if (!v2 && formatVersion(m) >= 2) {
            throw new IllegalArgumentException("this network needs bundle format 2");
        }
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode arch = root.putObject("architecture");
        arch.put("layers", a.layers());
        arch.put("features", a.features());
        arch.put("inputs", a.inputs());
        arch.put("params", a.params());
        arch.put("outputs", a.outputs());
        arch.set("classChannels", MAPPER.valueToTree(a.classChannels()));
        if (v2) {
            arch.put("classes", a.classes());
            ObjectNode ops = arch.putObject("ops");
            ops.put("skip", a.ops().skip());
            ops.put("outputNorm", a.ops().norm().id());
            ops.put("range", a.ops().range().id());
            arch.put("projection", a.projection());
        }
        ArrayNode layers = root.putArray("layers");
        int[][] codes = m.thetaCodes();
        double[][] gain = m.gain();
        double[][] offset = m.offset();
        double[][] skip = m.skip();
        for (int l = 0; l < a.layers(); l++) {
            ObjectNode layer = layers.addObject();
            layer.put("slot", l);
            layer.set("params", MAPPER.valueToTree(codes[l]));
            layer.set("gain", MAPPER.valueToTree(gain[l]));
            layer.set("offset", MAPPER.valueToTree(offset[l]));
            if (v2 && a.ops().skip()) {
                layer.set("skip", MAPPER.valueToTree(skip[l]));
            }
        }
        ObjectNode readout = root.putObject("readout");
        readout.set("gain", MAPPER.valueToTree(m.readGain()));
        readout.set("offset", MAPPER.valueToTree(m.readOffset()));
        if (v2) {
            root.set("dark", MAPPER.valueToTree(m.dark()));
        }
        return root;
    }

    /** The network of a verified bundle; errors name the missing or malformed field. */
    public static PnnModel model(BundleManifest manifest) {
        JsonNode n = manifest.network();
        boolean v2 = manifest.formatVersion() >= 2;
        try {
            JsonNode arch = field(n, "architecture");
            int[] classChannels = MAPPER.treeToValue(field(arch, "classChannels"), int[].class);
            PnnArchitecture a;
            if (v2) {
                JsonNode ops = field(arch, "ops");
                LayerOps lo = new LayerOps(field(ops, "skip").asBoolean(),
                        LayerOps.OutputNorm.of(field(ops, "outputNorm").asText()),
                        LayerOps.RangeKeeping.of(field(ops, "range").asText()));
                a = new PnnArchitecture(field(arch, "layers").asInt(), field(arch, "features").asInt(),
                        field(arch, "inputs").asInt(), field(arch, "params").asInt(), field(arch, "outputs").asInt(),
                        field(arch, "classes").asInt(), classChannels, lo, field(arch, "projection").asInt());
            } else {
                a = new PnnArchitecture(field(arch, "layers").asInt(), field(arch, "features").asInt(),
                        field(arch, "inputs").asInt(), field(arch, "params").asInt(), field(arch, "outputs").asInt(),
                        classChannels);
            }
            JsonNode layers = field(n, "layers");
            if (!layers.isArray() || layers.size() != a.layers()) {
                throw new IllegalArgumentException("network.layers must be an array of " + a.layers() + " layers");
            }
            int[][] codes = new int[a.layers()][];
            double[][] gain = new double[a.layers()][];
            double[][] offset = new double[a.layers()][];
            double[][] skip = new double[a.layers()][];
            for (int l = 0; l < a.layers(); l++) {
                JsonNode layer = layers.get(l);
                codes[l] = MAPPER.treeToValue(field(layer, "params"), int[].class);
                gain[l] = MAPPER.treeToValue(field(layer, "gain"), double[].class);
                offset[l] = MAPPER.treeToValue(field(layer, "offset"), double[].class);
                skip[l] = v2 && a.ops().skip() ? MAPPER.treeToValue(field(layer, "skip"), double[].class)
                        : new double[a.width()];
            }
            JsonNode readout = field(n, "readout");
            FeatureNormalization norm = manifest.normalization();
            if (norm == null) {
                throw new IllegalArgumentException("bundle has no feature normalization");
            }
            double[] dark = v2 ? MAPPER.treeToValue(field(n, "dark"), double[].class) : null;
            return new PnnModel(a, manifest.labels(), norm.offset(), norm.scale(), codes, gain, offset, skip,
                    MAPPER.treeToValue(field(readout, "gain"), double[].class),
                    MAPPER.treeToValue(field(readout, "offset"), double[].class), dark);
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
        int groups = model.architecture().groups();
        double[][] zz = java.util.Arrays.copyOf(z, n);
        pass.forward(p, zz, n, device);
        List<Probe> probes = new ArrayList<>();
        int outputs = model.architecture().outputs();
        for (int l = 0; l < model.architecture().layers(); l++) {
            for (int b = 0; b < n; b++) {
                int[][] rows = new int[repeats][];
                int[] shot = pass.codes[l][b * groups]; // the sample's first shot of the layer
                java.util.Arrays.fill(rows, shot);
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
                probes.add(new Probe(l, shot.clone(), null, mean, sd, repeats));
            }
        }
        return probes;
    }

    /** Everything a bundle needs, as a manifest ready to sign; legacy feature layout. */
    public static BundleManifest manifest(String modelId, String version, PnnModel model, DeviceInfo device,
                                          TrainableTwin twin, List<Probe> probes, Provenance provenance,
                                          Map<String, Double> metrics) {
        return manifest(modelId, version, model, device, twin, probes, provenance, metrics, null);
    }

    /**
     * Everything a bundle needs, as a manifest ready to sign.
     *
     * @param featureLayout id of the model's feature layout, or {@code null} / {@value #LEGACY_LAYOUT} for the
     *                      legacy one (then no field is written, so the bundle is what it was before layouts); any
     *                      other layout makes the bundle format 2, which older runtimes refuse by its version
     */
    public static BundleManifest manifest(String modelId, String version, PnnModel model, DeviceInfo device,
                                          TrainableTwin twin, List<Probe> probes, Provenance provenance,
                                          Map<String, Double> metrics, String featureLayout) {
        String layout = featureLayout == null || featureLayout.equals(LEGACY_LAYOUT) ? null : featureLayout;
        DeviceRequirements req = new DeviceRequirements(device.kind().id(), device.protocolVersion(),
                device.inputs(), device.params(), device.outputs(), device.dacBits(), device.adcBits());
        int format = layout == null ? formatVersion(model) : 2;
        BundleManifest.Builder b = BundleManifest.builder(modelId, version, req)
                .formatVersion(format).featureLayout(layout)
                .created(Instant.now())
                .labels(model.labels())
                .normalization(new FeatureNormalization("z-score", model.featureOffset(), model.featureScale()))
                .network(networkJson(model, format >= 2)).twin(twin == null ? null : TwinCodec.toJson(twin))
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
