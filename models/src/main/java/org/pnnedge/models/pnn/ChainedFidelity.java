package org.pnnedge.models.pnn;

import org.pnnedge.models.twin.Twin;

/**
 * Gradient fidelity of the twin along the chained network: for each layer, the cosine between the PAT gradient
 * of the loss with respect to that layer's parameters (the twin's VJPs chained through the measured layers) and
 * central finite differences of the same loss measured on a noise-free device (±{@code step} codes per parameter).
 * Unlike a single-layer check at random codes, this sees how twin errors compound through depth at the points the
 * trained network really uses.
 */
public final class ChainedFidelity {
    private ChainedFidelity() {
    }

    /**
     * @param z       normalised features of the samples the loss is taken over (a few dozen suffice)
     * @param device  a noise-free, drift-free device (an emulator with {@code noise=off&drift=off})
     * @return the cosine per layer
     */
    public static double[] perLayer(PnnModel model, double[][] z, int[] labels, PhysicalLayers device, Twin twin,
                                    int step) {
        PnnArchitecture a = model.architecture();
        PnnParameters p = model.toParameters(device.maxDac());
        int n = z.length;
        PnnPass pass = new PnnPass(a, n);
        pass.forward(p, z, n, device);
        PnnParameters g = p.zerosLike();
        pass.backward(p, z, labels, n, twin, twin.newWorkspace(), 0, g);
        double h = step / (double) device.maxDac();
        double[] cos = new double[a.layers()];
        for (int l = 0; l < a.layers(); l++) {
            double[] theta = p.theta[l];
            double dot = 0;
            double nPat = 0;
            double nFd = 0;
            for (int i = 0; i < theta.length; i++) {
                double save = theta[i];
                theta[i] = Math.min(1, save + h);
                double up = loss(pass, p, z, labels, device);
                theta[i] = Math.max(0, save - h);
                double down = loss(pass, p, z, labels, device);
                double fd = (up - down) / (Math.min(1, save + h) - Math.max(0, save - h));
                theta[i] = save;
                dot += fd * g.theta[l][i];
                nPat += g.theta[l][i] * g.theta[l][i];
                nFd += fd * fd;
            }
            cos[l] = dot / Math.sqrt(Math.max(1e-300, nPat * nFd));
        }
        return cos;
    }

    private static double loss(PnnPass pass, PnnParameters p, double[][] z, int[] labels, PhysicalLayers device) {
        pass.forward(p, z, z.length, device);
        return pass.meanCrossEntropy(labels, z.length);
    }
}
