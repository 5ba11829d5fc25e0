package org.pnnedge.models.pnn;

/**
 * Inference of one sample at a time, for the edge runtime: validated and sized when built, then
 * {@link #logits} allocates nothing (the TensorFlow-Lite-Micro discipline). Runs the same forward pass as training
 * and evaluation ({@link PnnPass}), so a bundle answers on the edge exactly as it was measured. Not thread-safe.
 */
public final class PnnInference {
    private final PnnModel model;
    private final PnnArchitecture arch;
    private final PnnParameters p;
    private final PnnPass pass;
    private final PhysicalLayers layers;
    private final double[][] z;
    private final double[] featureOffset;
    private final double[] featureScale;

    /** @param layers where the layers run (normally {@link PhysicalLayers.OnDevice}, with a corrector) */
    public PnnInference(PnnModel model, PhysicalLayers layers) {
        this.model = model;
        this.arch = model.architecture();
        this.p = model.toParameters(layers.maxDac());
        this.pass = new PnnPass(arch, 1);
        this.layers = layers;
        this.z = new double[1][arch.features()];
        this.featureOffset = model.featureOffset();
        this.featureScale = model.featureScale();
    }

    public PnnModel model() {
        return model;
    }

    /**
     * Runs raw {@code features} through the network and returns its class logits: an internal array, valid until
     * the next call.
     *
     * @throws IllegalArgumentException when the feature count is wrong or a feature is not finite
     */
    public double[] logits(double[] features) {
        if (features.length != arch.features()) {
            throw new IllegalArgumentException("expected " + arch.features() + " features, got " + features.length);
        }
        double[] zr = z[0];
        for (int i = 0; i < features.length; i++) {
            double f = features[i];
            if (!Double.isFinite(f)) {
                throw new IllegalArgumentException("features must be finite numbers (feature " + (i + 1) + " is " + f
                        + ")");
            }
            zr[i] = (f - featureOffset[i]) / featureScale[i];
        }
        pass.forward(p, z, 1, layers);
        return pass.logits[0];
    }
}
