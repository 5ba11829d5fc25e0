package org.pnnedge.models.bundle;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A reference measurement recorded at training time, for recalibration on the device later: run the same
 * codes through the same physical layer and compare with what the device produced back then. A drift or a
 * different unit shows up as a difference the runtime can correct for (or refuse).
 *
 * @param layer          index of the physical layer (in the network section) the probe exercises; the
 *                       runtime maps it to the parameter slot that layer is loaded into
 * @param input          DAC input codes, {@code device.inputs} of them
 * @param params         DAC parameter codes that were loaded when measuring, {@code device.params} of them;
 *                       {@code null} means "the layer's own trained parameters"
 * @param expectedOutput ADC output codes measured at training time, averaged over {@code repeats} shots
 *                       (hence not integers)
 * @param outputStd      per-output standard deviation over those shots (noise level); may be {@code null}
 * @param repeats        how many shots were averaged
 */
public record Probe(@JsonProperty(required = true) int layer,
                    @JsonProperty(required = true) int[] input,
                    int[] params,
                    @JsonProperty(required = true) double[] expectedOutput,
                    double[] outputStd,
                    @JsonProperty(required = true) int repeats) {
    public Probe {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be ≥ 0, got " + layer);
        }
        if (input == null || input.length == 0) {
            throw new IllegalArgumentException("input codes are required");
        }
        if (expectedOutput == null || expectedOutput.length == 0) {
            throw new IllegalArgumentException("expectedOutput is required");
        }
        for (int i = 0; i < expectedOutput.length; i++) {
            if (!Double.isFinite(expectedOutput[i])) {
                throw new IllegalArgumentException("expectedOutput[" + i + "] is not finite");
            }
        }
        if (outputStd != null) {
            if (outputStd.length != expectedOutput.length) {
                throw new IllegalArgumentException("outputStd has " + outputStd.length + " values, expectedOutput has "
                        + expectedOutput.length);
            }
            for (int i = 0; i < outputStd.length; i++) {
                if (!(outputStd[i] >= 0) || !Double.isFinite(outputStd[i])) {
                    throw new IllegalArgumentException("outputStd[" + i + "] must be finite and ≥ 0, got " + outputStd[i]);
                }
            }
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be ≥ 1, got " + repeats);
        }
        input = input.clone();
        params = params == null ? null : params.clone();
        expectedOutput = expectedOutput.clone();
        outputStd = outputStd == null ? null : outputStd.clone();
    }

    /** Checks lengths and code ranges against the device the bundle targets; messages name the field. */
    void checkAgainst(DeviceRequirements d, String where) {
        codes(where + ".input", input, d.inputs(), d.maxDacCode());
        if (params != null) {
            codes(where + ".params", params, d.params(), d.maxDacCode());
        }
        if (expectedOutput.length != d.outputs()) {
            throw new IllegalArgumentException(where + ".expectedOutput has " + expectedOutput.length
                    + " values, device.outputs is " + d.outputs());
        }
        for (int i = 0; i < expectedOutput.length; i++) {
            if (expectedOutput[i] < 0 || expectedOutput[i] > d.maxAdcCode()) {
                throw new IllegalArgumentException(where + ".expectedOutput[" + i + "] = " + expectedOutput[i]
                        + " is outside the ADC range 0.." + d.maxAdcCode());
            }
        }
    }

    private static void codes(String field, int[] codes, int expectedCount, int max) {
        if (codes.length != expectedCount) {
            throw new IllegalArgumentException(field + " has " + codes.length + " codes, the device takes "
                    + expectedCount);
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] > max) {
                throw new IllegalArgumentException(field + "[" + i + "] = " + codes[i] + " is outside the DAC range 0.."
                        + max);
            }
        }
    }

    @Override
    public int[] input() {
        return input.clone();
    }

    @Override
    public int[] params() {
        return params == null ? null : params.clone();
    }

    @Override
    public double[] expectedOutput() {
        return expectedOutput.clone();
    }

    @Override
    public double[] outputStd() {
        return outputStd == null ? null : outputStd.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Probe p && layer == p.layer && repeats == p.repeats && Arrays.equals(input, p.input)
                && Arrays.equals(params, p.params) && Arrays.equals(expectedOutput, p.expectedOutput)
                && Arrays.equals(outputStd, p.outputStd);
    }

    @Override
    public int hashCode() {
        int h = 31 * layer + repeats;
        h = 31 * h + Arrays.hashCode(input);
        h = 31 * h + Arrays.hashCode(params);
        h = 31 * h + Arrays.hashCode(expectedOutput);
        return 31 * h + Arrays.hashCode(outputStd);
    }

    @Override
    public String toString() {
        return "Probe[layer=" + layer + ", input=" + Arrays.toString(input) + ", params=" + Arrays.toString(params)
                + ", expectedOutput=" + Arrays.toString(expectedOutput) + ", outputStd=" + Arrays.toString(outputStd)
                + ", repeats=" + repeats + "]";
    }
}
