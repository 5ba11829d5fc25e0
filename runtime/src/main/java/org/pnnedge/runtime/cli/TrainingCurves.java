package org.pnnedge.runtime.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.pnnedge.models.plot.Chart;
import org.pnnedge.models.plot.LineChart;
import org.pnnedge.models.pnn.EpochStats;

/**
 * Per-layer training curves of a deep network: |dL/dθ| and the share of layer inputs outside the DAC range, per
 * epoch ({@code PREFIX-layers.csv}, {@code PREFIX-layers.png}). Vanishing early-layer gradients and saturating
 * layers are what made deep networks collapse; these curves show whether they still happen.
 */
final class TrainingCurves {
    private TrainingCurves() {
    }

    static void writeLayers(Path prefix, List<EpochStats> curve) throws IOException {
        if (curve.isEmpty() || curve.get(0).thetaGradient().length == 0) {
            return;
        }
        int layers = curve.get(0).thetaGradient().length;
        int n = curve.size();
        double[][] grad = new double[layers][n];
        double[][] sat = new double[layers][n];
        Path csv = prefix.resolveSibling(prefix.getFileName() + "-layers.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            StringBuilder head = new StringBuilder("epoch");
            for (int l = 0; l < layers; l++) {
                head.append(",grad_theta_layer").append(l).append(",saturation_layer").append(l);
            }
            w.write(head.append('\n').toString());
            for (int i = 0; i < n; i++) {
                EpochStats e = curve.get(i);
                double[] g = e.thetaGradient();
                double[] s = e.saturation();
                StringBuilder row = new StringBuilder(Integer.toString(e.epoch()));
                for (int l = 0; l < layers; l++) {
                    grad[l][i] = g[l];
                    sat[l][i] = s[l];
                    row.append(',').append("%.6g".formatted(g[l])).append(',').append("%.4f".formatted(s[l]));
                }
                w.write(row.append('\n').toString());
            }
        }
        LineChart chart = new LineChart("Per layer: |dL/dθ| (twin VJP) and share of inputs out of range", "epoch",
                "|dL/dθ| / share");
        for (int l = 0; l < layers; l++) {
            chart.series("layer " + l + " |dL/dθ|", grad[l]);
        }
        for (int l = 0; l < layers; l++) {
            chart.series("layer " + l + " out of range", sat[l]);
        }
        if (Chart.canRender()) { // without the renderer (the Pi's lib) the CSV is the record
            chart.write(prefix.resolveSibling(prefix.getFileName() + "-layers.png"));
        }
    }
}
