package org.pnnedge.models.pnn;

/**
 * Accuracy of a network on a labelled set, run in chunks of at most {@link #CHUNK} samples so that large sets
 * (MNIST) need no pass buffers of their full size.
 */
final class Evaluation {
    static final int CHUNK = 512;
    private final double[][] z;
    private final int[] labels;
    private final PnnPass pass;
    private final double[][] chunk;

    Evaluation(PnnArchitecture arch, double[][] z, int[] labels) {
        if (z.length != labels.length) {
            throw new IllegalArgumentException(z.length + " feature rows but " + labels.length + " labels");
        }
        this.z = z;
        this.labels = labels;
        this.pass = new PnnPass(arch, Math.max(1, Math.min(CHUNK, z.length)));
        this.chunk = new double[pass.maxBatch][];
    }

    double accuracy(PnnParameters p, PhysicalLayers on) {
        return accuracy(p, on, null);
    }

    /** One pass over the set; adds to {@code confusion} [truth][prediction] when given (labels &lt; 0 are skipped). */
    double accuracy(PnnParameters p, PhysicalLayers on, int[][] confusion) {
        int ok = 0;
        for (int s = 0; s < z.length; s += pass.maxBatch) {
            int m = Math.min(pass.maxBatch, z.length - s);
            System.arraycopy(z, s, chunk, 0, m);
            pass.forward(p, chunk, m, on);
            for (int b = 0; b < m; b++) {
                int pred = PnnPass.argmax(pass.logits[b]);
                int truth = labels[s + b];
                if (pred == truth) {
                    ok++;
                }
                if (confusion != null && truth >= 0) {
                    confusion[truth][pred]++;
                }
            }
        }
        return z.length == 0 ? Double.NaN : ok / (double) z.length;
    }
}
