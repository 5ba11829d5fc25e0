package org.pnnedge.runtime.service;

import java.util.List;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;

/**
 * Runs a trained PNN on its device, inference only. Validates the bundle against the device's IDENTIFY and loads
 * every layer's parameters into its slot when constructed; all buffers are sized then, so {@link #classify}
 * allocates nothing (the TensorFlow-Lite-Micro discipline: validate and allocate at load time, run blindly).
 * Not thread-safe: the service serialises calls.
 */
public final class InferenceEngine {
    private final DeviceLink link;
    private final PnnModel model;
    private final PnnArchitecture arch;
    private final String modelId;
    private final String version;
    private final int[][] thetaCodes;
    private final double[][] gain;
    private final double[][] offset;
    private final double[] readGain;
    private final double[] readOffset;
    private final int[] classChannels;
    private final double[] featureOffset;
    private final double[] featureScale;
    private final int maxDac;
    private final double invMaxAdc;
    private final int[] in;
    private final int[] out;
    private final double[] y;
    private volatile OutputCorrection correction;

    /**
     * Loads {@code bundle} onto the device behind {@code link}: checks compatibility, loads parameter slots.
     *
     * @throws BundleException when the bundle does not fit the device (physics kind, channel counts, protocol)
     */
    public InferenceEngine(DeviceLink link, ModelBundle bundle) throws BundleException {
        DeviceInfo d = link.info();
        bundle.requireCompatible(d);
        this.link = link;
        this.model = PnnBundles.model(bundle.manifest());
        this.arch = model.architecture();
        if (arch.layers() > d.slots()) {
            throw new IllegalArgumentException("model has " + arch.layers() + " layers but device " + d.serialHex()
                    + " has only " + d.slots() + " parameter slots");
        }
        this.modelId = bundle.manifest().modelId();
        this.version = bundle.manifest().version().toString();
        this.thetaCodes = model.thetaCodes();
        this.gain = model.gain();
        this.offset = model.offset();
        this.readGain = model.readGain();
        this.readOffset = model.readOffset();
        this.classChannels = arch.classChannels();
        this.featureOffset = model.featureOffset();
        this.featureScale = model.featureScale();
        this.maxDac = d.maxDacCode();
        this.invMaxAdc = 1.0 / d.maxAdcCode();
        this.in = new int[arch.inputs()];
        this.out = new int[arch.outputs()];
        this.y = new double[arch.outputs()];
        this.correction = OutputCorrection.identity(arch.layers(), arch.outputs());
        loadParameters();
    }

    /** (Re)loads every layer's parameters into its slot, e.g. after the device was reset. */
    public void loadParameters() {
        for (int l = 0; l < arch.layers(); l++) {
            link.loadParams(l, thetaCodes[l]);
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

    public int features() {
        return arch.features();
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
        if (features.length != arch.features()) {
            throw new IllegalArgumentException("expected " + arch.features() + " features, got " + features.length);
        }
        for (double f : features) {
            if (!Double.isFinite(f)) {
                throw new IllegalArgumentException("features must be finite numbers");
            }
        }
        OutputCorrection corr = correction;
        for (int l = 0; l < arch.layers(); l++) {
            for (int k = 0; k < arch.inputs(); k++) {
                double src;
                if (l == 0) {
                    src = k < arch.features() ? (features[k] - featureOffset[k]) / featureScale[k] : 0.0;
                } else {
                    src = y[k];
                }
                double v = gain[l][k] * src + offset[l][k];
                in[k] = (int) Math.round(Math.min(1, Math.max(0, v)) * maxDac);
            }
            link.shot(l, in, out);
            for (int k = 0; k < arch.outputs(); k++) {
                y[k] = corr.gain(l, k) * (out[k] * invMaxAdc) + corr.offset(l, k);
            }
        }
        double[] logits = result.logits;
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            logits[c] = readGain[c] * y[classChannels[c]] + readOffset[c];
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
