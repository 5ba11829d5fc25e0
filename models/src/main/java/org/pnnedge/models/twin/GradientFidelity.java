package org.pnnedge.models.twin;

import java.util.SplittableRandom;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;

/**
 * How well a twin's vector-Jacobian product points where the device's gradient points: cosine similarity
 * between the twin's VJP and a central finite-difference gradient measured on the device. Needs a device
 * without noise and drift (an emulator with {@code noise=off&drift=off}): with noise the finite differences
 * measure the noise. This is the diagnostic that matters for physics-aware training.
 *
 * @param points     random operating points (x, θ, dL/dy)
 * @param deltaCodes finite-difference step in DAC codes
 */
public record GradientFidelity(int points, int deltaCodes, long seed) {
    /**
     * @param meanCosine mean over points of cos(twin VJP, device gradient) over all inputs and parameters
     * @param minCosine  the worst point
     * @param inputCosine mean cosine restricted to the input part
     * @param paramCosine mean cosine restricted to the parameter part
     */
    public record Result(double meanCosine, double minCosine, double inputCosine, double paramCosine, int points) {
    }

    public Result measure(DeviceLink device, Twin twin) {
        DeviceInfo d = device.info();
        if (d.inputs() != twin.inputs() || d.params() != twin.params() || d.outputs() != twin.outputs()) {
            throw new IllegalArgumentException("twin shape does not match device " + d.serialHex());
        }
        int slot = d.slots() - 1;
        double maxDac = d.maxDacCode();
        double maxAdc = d.maxAdcCode();
        SplittableRandom r = new SplittableRandom(seed);
        Twin.Workspace ws = twin.newWorkspace();
        double[] x = new double[d.inputs()];
        double[] th = new double[d.params()];
        double[] yT = new double[d.outputs()];
        double[] dx = new double[d.inputs()];
        double[] dTh = new double[d.params()];
        double sum = 0;
        double min = 1;
        double sumIn = 0;
        double sumPar = 0;
        for (int p = 0; p < points; p++) {
            int[] xc = new int[d.inputs()];
            int[] tc = new int[d.params()];
            for (int i = 0; i < xc.length; i++) {
                xc[i] = deltaCodes + r.nextInt((int) maxDac - 2 * deltaCodes);
                x[i] = xc[i] / maxDac;
            }
            for (int i = 0; i < tc.length; i++) {
                tc[i] = deltaCodes + r.nextInt((int) maxDac - 2 * deltaCodes);
                th[i] = tc[i] / maxDac;
            }
            double[] dy = new double[d.outputs()];
            for (int k = 0; k < dy.length; k++) {
                dy[k] = r.nextGaussian();
            }
            twin.forward(x, th, yT, ws);
            twin.vjp(dy, dx, dTh, ws);

            // device: inputs in one batch of 2·inputs shots, parameters by reloading the slot
            double[] gIn = new double[d.inputs()];
            double[] gPar = new double[d.params()];
            device.loadParams(slot, tc);
            int[][] batch = new int[2 * d.inputs()][];
            for (int i = 0; i < d.inputs(); i++) {
                batch[2 * i] = xc.clone();
                batch[2 * i][i] += deltaCodes;
                batch[2 * i + 1] = xc.clone();
                batch[2 * i + 1][i] -= deltaCodes;
            }
            int[][] out = device.shotBatch(slot, batch);
            for (int i = 0; i < d.inputs(); i++) {
                gIn[i] = (dot(dy, out[2 * i]) - dot(dy, out[2 * i + 1])) / maxAdc / (2 * deltaCodes / maxDac);
            }
            for (int j = 0; j < d.params(); j++) {
                int[] plus = tc.clone();
                plus[j] += deltaCodes;
                device.loadParams(slot, plus);
                double lp = dot(dy, device.shot(slot, xc));
                int[] minus = tc.clone();
                minus[j] -= deltaCodes;
                device.loadParams(slot, minus);
                double lm = dot(dy, device.shot(slot, xc));
                gPar[j] = (lp - lm) / maxAdc / (2 * deltaCodes / maxDac);
            }
            double cIn = cosine(dx, gIn);
            double cPar = cosine(dTh, gPar);
            double cAll = cosine(concat(dx, dTh), concat(gIn, gPar));
            sum += cAll;
            sumIn += cIn;
            sumPar += cPar;
            min = Math.min(min, cAll);
        }
        return new Result(sum / points, min, sumIn / points, sumPar / points, points);
    }

    private static double dot(double[] a, int[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
