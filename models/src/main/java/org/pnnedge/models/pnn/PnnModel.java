package org.pnnedge.models.pnn;

import java.util.List;

/**
 * A trained PNN, immutable: what goes into a bundle and what inference needs. Feature normalisation turns raw
 * features into z = (f − featureOffset) / featureScale before the layer-0 gain/offset.
 *
 * @param thetaCodes parameter codes per layer (loaded into slot l for layer l)
 * @param gain       element-wise gain in front of each layer [layer][input channel]
 * @param offset     element-wise offset in front of each layer
 * @param readGain   per-class gain of the readout
 * @param readOffset per-class offset of the readout
 */
public record PnnModel(PnnArchitecture architecture, List<String> labels, double[] featureOffset,
                       double[] featureScale, int[][] thetaCodes, double[][] gain, double[][] offset,
                       double[] readGain, double[] readOffset) {
    public PnnModel {
        labels = List.copyOf(labels);
        if (labels.size() != architecture.classes()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + architecture.classes() + " classes");
        }
        if (featureOffset.length != architecture.features() || featureScale.length != architecture.features()) {
            throw new IllegalArgumentException("feature normalisation must have " + architecture.features() + " values");
        }
        if (thetaCodes.length != architecture.layers() || gain.length != architecture.layers()
                || offset.length != architecture.layers()) {
            throw new IllegalArgumentException("per-layer arrays must have " + architecture.layers() + " layers");
        }
        for (int l = 0; l < architecture.layers(); l++) {
            if (thetaCodes[l].length != architecture.params() || gain[l].length != architecture.inputs()
                    || offset[l].length != architecture.inputs()) {
                throw new IllegalArgumentException("layer " + l + " arrays have the wrong length");
            }
        }
        featureOffset = featureOffset.clone();
        featureScale = featureScale.clone();
        thetaCodes = deep(thetaCodes);
        gain = deep(gain);
        offset = deep(offset);
        readGain = readGain.clone();
        readOffset = readOffset.clone();
    }

    private static int[][] deep(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] deep(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public int[][] thetaCodes() {
        return deep(thetaCodes);
    }

    @Override
    public double[][] gain() {
        return deep(gain);
    }

    @Override
    public double[][] offset() {
        return deep(offset);
    }

    @Override
    public double[] featureOffset() {
        return featureOffset.clone();
    }

    @Override
    public double[] featureScale() {
        return featureScale.clone();
    }

    @Override
    public double[] readGain() {
        return readGain.clone();
    }

    @Override
    public double[] readOffset() {
        return readOffset.clone();
    }

    /** The same network with the digital parts of the training state (θ as codes). */
    static PnnModel of(PnnParameters p, List<String> labels, double[] featureOffset, double[] featureScale,
                       int maxDac) {
        PnnArchitecture a = p.arch;
        int[][] codes = new int[a.layers()][a.params()];
        double[][] gain = new double[a.layers()][a.inputs()];
        double[][] offset = new double[a.layers()][a.inputs()];
        for (int l = 0; l < a.layers(); l++) {
            for (int i = 0; i < a.params(); i++) {
                codes[l][i] = (int) Math.round(Math.min(1, Math.max(0, p.theta[l][i])) * maxDac);
            }
            for (int k = 0; k < a.inputs(); k++) {
                gain[l][k] = p.effectiveGain(l, k);
                offset[l][k] = p.effectiveOffset(l, k);
            }
        }
        double[] rg = new double[a.classes()];
        double[] ro = new double[a.classes()];
        for (int c = 0; c < a.classes(); c++) {
            rg[c] = p.effectiveReadGain(c);
            ro[c] = p.effectiveReadOffset(c);
        }
        return new PnnModel(a, labels, featureOffset, featureScale, codes, gain, offset, rg, ro);
    }

    /** Training state seeded from this model (θ from codes), e.g. to fine-tune. */
    PnnParameters toParameters(int maxDac) {
        PnnParameters p = new PnnParameters(architecture);
        for (int l = 0; l < architecture.layers(); l++) {
            for (int i = 0; i < architecture.params(); i++) {
                p.theta[l][i] = thetaCodes[l][i] / (double) maxDac;
            }
            System.arraycopy(gain[l], 0, p.gain[l], 0, gain[l].length);
            System.arraycopy(offset[l], 0, p.offset[l], 0, offset[l].length);
        }
        System.arraycopy(readGain, 0, p.readGain, 0, readGain.length);
        System.arraycopy(readOffset, 0, p.readOffset, 0, readOffset.length);
        return p;
    }
}
