package org.pnnedge.models.pnn;

import java.util.Arrays;
import java.util.List;

/**
 * A trained PNN, immutable: what goes into a bundle and what inference needs. Feature normalisation turns raw
 * features into z = (f − featureOffset) / featureScale. In front of layer l the input is (effective values, no
 * training-time standardisation left):
 * <pre>
 * layer 0, physical: u_k = gain_k·z_k + offset_k (k &lt; features), offset_k otherwise
 * layer 0, hybrid:   u_j = Σ_f gain_{j·F+f}·z_f + offset_j
 * layer l &gt; 0:      u_j = gain_j·ŷ_{l−1,j} + skip_j·x_{l−1,j} + offset_j
 * </pre>
 * with x = the range keeping of u sent as a code, ŷ the layer's normalised outputs (common mode with the
 * {@code dark} levels, or raw), and the readout logit_c = readGain_c·ŷ_ch(c) + readOffset_c (physical) or
 * Σ_j readGain_{c·W'+j}·ŷ_j + readOffset_c (hybrid).
 *
 * @param thetaCodes parameter codes per layer (loaded into slot l for layer l)
 * @param skip       skip weights per layer (all zero for layer 0 and without a skip path)
 * @param dark       detector dark level per output channel (code / max code) for the common-mode normalisation
 */
public record PnnModel(PnnArchitecture architecture, List<String> labels, double[] featureOffset,
                       double[] featureScale, int[][] thetaCodes, double[][] gain, double[][] offset, double[][] skip,
                       double[] readGain, double[] readOffset, double[] dark) {
    public PnnModel {
        PnnArchitecture a = architecture;
        labels = List.copyOf(labels);
        if (labels.size() != a.classes()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + a.classes() + " classes");
        }
        if (featureOffset.length != a.features() || featureScale.length != a.features()) {
            throw new IllegalArgumentException("feature normalisation must have " + a.features() + " values");
        }
        if (skip == null) {
            skip = new double[a.layers()][a.width()];
        }
        if (dark == null) {
            dark = new double[a.outputs()];
        }
        if (thetaCodes.length != a.layers() || gain.length != a.layers() || offset.length != a.layers()
                || skip.length != a.layers()) {
            throw new IllegalArgumentException("per-layer arrays must have " + a.layers() + " layers");
        }
        for (int l = 0; l < a.layers(); l++) {
            int g = l == 0 && a.hybrid() ? a.width() * a.features() : a.width();
            if (thetaCodes[l].length != a.params() || gain[l].length != g || offset[l].length != a.width()
                    || skip[l].length != a.width()) {
                throw new IllegalArgumentException("layer " + l + " arrays have the wrong length (params "
                        + a.params() + ", gain " + g + ", offset and skip " + a.width() + ")");
            }
        }
        int rg = a.hybrid() ? a.classes() * a.outWidth() : a.classes();
        if (readGain.length != rg || readOffset.length != a.classes() || dark.length != a.outputs()) {
            throw new IllegalArgumentException("readout needs " + rg + " gains and " + a.classes()
                    + " offsets, dark " + a.outputs() + " levels");
        }
        if (!a.ops().skip()) {
            for (double[] row : skip) {
                for (double v : row) {
                    if (v != 0) {
                        throw new IllegalArgumentException("skip weights given but the architecture has no skip path");
                    }
                }
            }
        }
        requireFinite("featureOffset", featureOffset);
        requireFinite("featureScale", featureScale);
        requireFinite("gain", gain);
        requireFinite("offset", offset);
        requireFinite("skip", skip);
        requireFinite("readout gain", readGain);
        requireFinite("readout offset", readOffset);
        requireFinite("dark", dark);
        featureOffset = featureOffset.clone();
        featureScale = featureScale.clone();
        thetaCodes = deep(thetaCodes);
        gain = deep(gain);
        offset = deep(offset);
        skip = deep(skip);
        readGain = readGain.clone();
        readOffset = readOffset.clone();
        dark = dark.clone();
    }

    /** A format-1 network: no skip path, raw outputs. */
    public PnnModel(PnnArchitecture architecture, List<String> labels, double[] featureOffset, double[] featureScale,
                    int[][] thetaCodes, double[][] gain, double[][] offset, double[] readGain, double[] readOffset) {
        this(architecture, labels, featureOffset, featureScale, thetaCodes, gain, offset, null, readGain, readOffset,
                null);
    }

    /**
     * Largest magnitude a trained digital number plausibly has: layer inputs live in [0, 1] and features are
     * standardised, so trained gains and offsets are of order 1–100 and readout gains up to a few thousand (the
     * shipped networks: at most 23 and 283). A signed bundle past this is broken or hostile (a readout gain of 1e308
     * answers one class for everything) and is refused by the OTA self-test.
     */
    public static final double MAX_PLAUSIBLE_MAGNITUDE = 1e6;

    /** The first digital number beyond {@link #MAX_PLAUSIBLE_MAGNITUDE}, named, or null when all are plausible. */
    public String implausibleParameter() {
        String[] names = {"gain", "offset", "skip"};
        double[][][] arrays = {gain, offset, skip};
        for (int a = 0; a < arrays.length; a++) {
            for (int l = 0; l < arrays[a].length; l++) {
                for (int i = 0; i < arrays[a][l].length; i++) {
                    if (Math.abs(arrays[a][l][i]) > MAX_PLAUSIBLE_MAGNITUDE) {
                        return "layer " + l + " " + names[a] + "[" + i + "] = " + arrays[a][l][i];
                    }
                }
            }
        }
        for (int i = 0; i < readGain.length; i++) {
            if (Math.abs(readGain[i]) > MAX_PLAUSIBLE_MAGNITUDE) {
                return "readout gain[" + i + "] = " + readGain[i];
            }
        }
        for (int i = 0; i < readOffset.length; i++) {
            if (Math.abs(readOffset[i]) > MAX_PLAUSIBLE_MAGNITUDE) {
                return "readout offset[" + i + "] = " + readOffset[i];
            }
        }
        return null;
    }

    private static void requireFinite(String what, double[]... rows) {
        for (double[] r : rows) {
            for (double v : r) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " has a non-finite value");
                }
            }
        }
    }

    private static int[][] deep(int[][] a) {
        return Arrays.stream(a).map(int[]::clone).toArray(int[][]::new);
    }

    private static double[][] deep(double[][] a) {
        return Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
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
    public double[][] skip() {
        return deep(skip);
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

    @Override
    public double[] dark() {
        return dark.clone();
    }

    /** The same network with the digital parts of the training state folded into effective values (θ as codes). */
    static PnnModel of(PnnParameters p, List<String> labels, double[] featureOffset, double[] featureScale,
                       int maxDac) {
        PnnArchitecture a = p.arch;
        int w = a.width();
        int[][] codes = new int[a.layers()][a.params()];
        double[][] gain = new double[a.layers()][];
        double[][] offset = new double[a.layers()][w];
        double[][] skip = new double[a.layers()][w];
        for (int l = 0; l < a.layers(); l++) {
            for (int i = 0; i < a.params(); i++) {
                codes[l][i] = (int) Math.round(Math.min(1, Math.max(0, p.theta[l][i])) * maxDac);
            }
            gain[l] = p.gain[l].clone();
            if (l == 0 && a.hybrid()) {
                for (int i = 0; i < gain[0].length; i++) {
                    gain[0][i] *= p.projectionFactor;
                }
                offset[0] = p.offset[0].clone();
                continue;
            }
            for (int k = 0; k < w; k++) {
                double g = p.gain[l][k] * p.scale[l][k];
                gain[l][k] = g;
                skip[l][k] = p.skip[l][k];
                offset[l][k] = p.offset[l][k] - g * p.shift[l][k] - (l > 0 ? 0.5 * p.skip[l][k] : 0);
            }
        }
        double[] rg = new double[p.readGain.length];
        double[] ro = p.readOffset.clone();
        int wo = a.outWidth();
        for (int c = 0; c < a.classes(); c++) {
            if (a.hybrid()) {
                for (int j = 0; j < wo; j++) {
                    double g = p.readGain[c * wo + j] * p.readScale[j] * p.readoutFactor;
                    rg[c * wo + j] = g;
                    ro[c] -= g * p.readShift[j];
                }
            } else {
                rg[c] = p.readGain[c] * p.readScale[c];
                ro[c] -= rg[c] * p.readShift[c];
            }
        }
        return new PnnModel(a, labels, featureOffset, featureScale, codes, gain, offset, skip, rg, ro, p.dark);
    }

    /** Training state seeded from this model (θ from codes, no standardisation), e.g. to evaluate or fine-tune. */
    PnnParameters toParameters(int maxDac) {
        PnnArchitecture a = architecture;
        PnnParameters p = new PnnParameters(a);
        for (int l = 0; l < a.layers(); l++) {
            for (int i = 0; i < a.params(); i++) {
                p.theta[l][i] = thetaCodes[l][i] / (double) maxDac;
            }
            System.arraycopy(gain[l], 0, p.gain[l], 0, gain[l].length);
            if (l == 0 && a.hybrid()) {
                for (int i = 0; i < p.gain[0].length; i++) {
                    p.gain[0][i] /= p.projectionFactor;
                }
            }
            System.arraycopy(skip[l], 0, p.skip[l], 0, skip[l].length);
            for (int k = 0; k < a.width(); k++) {
                p.offset[l][k] = offset[l][k] + (l > 0 ? 0.5 * skip[l][k] : 0);
            }
        }
        System.arraycopy(readGain, 0, p.readGain, 0, readGain.length);
        if (a.hybrid()) {
            for (int i = 0; i < p.readGain.length; i++) {
                p.readGain[i] /= p.readoutFactor;
            }
        }
        System.arraycopy(readOffset, 0, p.readOffset, 0, readOffset.length);
        System.arraycopy(dark, 0, p.dark, 0, dark.length);
        return p;
    }
}
