package org.pnnedge.runtime.service;

import java.util.List;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnInference;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PhysicalLayers;

/**
 * Runs a trained PNN on its device, inference only. Validates the bundle against the device's IDENTIFY and loads
 * every layer's parameters into its slot when constructed; all buffers are sized then, so {@link #classify}
 * allocates nothing (the TensorFlow-Lite-Micro discipline: validate and allocate at load time, run blindly).
 * Not thread-safe: the service serialises calls.
 */
public final class InferenceEngine {
    private final PnnModel model;
    private final PnnArchitecture arch;
    private final String modelId;
    private final String version;
    private final String modelLabel;
    private final String featureLayout;
    private final int[][] thetaCodes;
    private final PhysicalLayers.OnDevice device;
    private final PnnInference inference;
    private volatile OutputCorrection correction;

    /**
     * Loads {@code bundle} onto the device behind {@code link}: checks compatibility, loads parameter slots.
     *
     * @throws BundleException when the bundle does not fit the device (physics kind, channel counts, protocol)
     */
    public InferenceEngine(DeviceLink link, ModelBundle bundle) throws BundleException {
        DeviceInfo d = link.info();
        bundle.requireCompatible(d);
        this.model = PnnBundles.model(bundle.manifest());
        this.arch = model.architecture();
        if (arch.layers() > d.slots()) {
            throw new IllegalArgumentException("model has " + arch.layers() + " layers but device " + d.serialHex()
                    + " has only " + d.slots() + " parameter slots");
        }
        this.modelId = bundle.manifest().modelId();
        this.version = bundle.manifest().version().toString();
        this.modelLabel = modelId + "@" + version;
        String layout = bundle.manifest().featureLayout();
        this.featureLayout = layout == null ? "hz12" : layout; // bundles made before layouts (bundle.md)
        this.thetaCodes = model.thetaCodes();
        this.correction = OutputCorrection.identity(arch.layers(), arch.outputs());
        // recalibration's correction acts on the raw measured outputs, before the layer's normalisation
        this.device = new PhysicalLayers.OnDevice(link, (layer, y, rows) -> {
            OutputCorrection c = correction;
            for (int r = 0; r < rows; r++) {
                double[] row = y[r];
                for (int k = 0; k < row.length; k++) {
                    row[k] = c.gain(layer, k) * row[k] + c.offset(layer, k);
                }
            }
        });
        this.inference = new PnnInference(model, device);
        loadParameters();
    }

    /** (Re)loads every layer's parameters into its slot, e.g. after the device was reset. */
    public void loadParameters() {
        for (int l = 0; l < arch.layers(); l++) {
            device.load(l, thetaCodes[l]);
        }
    }

    public PnnModel model() {
        return model;
    }

    public String modelId() {
        return modelId;
    }

    public String version() {
        return version;
    }

    public List<String> labels() {
        return model.labels();
    }

    /** The bundle's feature layout ({@code hz12} for bundles that name none). */
    public String featureLayout() {
        return featureLayout;
    }

    /** {@code modelId@version}, how answers, logs and status name the model. */
    public String modelLabel() {
        return modelLabel;
    }

    /** The answer {@code p} (a result of this engine's {@link #classify}) gives, naming this model. */
    public Answer answer(Prediction p) {
        return new Answer(labels().get(p.label()), p.label(), p.confidence(), p.probabilities().clone(),
                p.latencyNanos() / 1e3, modelLabel, modelId, version, labels(), featureLayout);
    }

    public int features() {
        return arch.features();
    }

    /** Device shots one inference takes (layers × shots per layer). */
    public int shotsPerInference() {
        return arch.shotsPerInference();
    }

    public OutputCorrection correction() {
        return correction;
    }

    /** Installs a recalibration result; takes effect at the next inference. */
    public void setCorrection(OutputCorrection c) {
        if (c.layers() != arch.layers()) {
            throw new IllegalArgumentException("correction has " + c.layers() + " layers, model " + arch.layers());
        }
        this.correction = c;
    }

    public Prediction newPrediction() {
        return new Prediction(arch.classes());
    }

    /**
     * Classifies one raw feature vector into {@code result}. Allocates nothing.
     *
     * @throws IllegalArgumentException when the feature count is wrong or a feature is not finite
     */
    public void classify(double[] features, Prediction result) {
        long t0 = System.nanoTime();
        double[] logits = inference.logits(features);
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            result.logits[c] = logits[c];
            if (logits[c] > max) {
                max = logits[c];
                best = c;
            }
        }
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            result.probabilities[c] = Math.exp(logits[c] - max);
            sum += result.probabilities[c];
        }
        for (int c = 0; c < logits.length; c++) {
            result.probabilities[c] /= sum;
        }
        result.label = best;
        result.confidence = result.probabilities[best];
        result.latencyNanos = System.nanoTime() - t0;
    }
}
