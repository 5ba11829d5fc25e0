package org.pnnedge.models.plot;

/**
 * Predicted-versus-measured scatter with the y = x reference line, for judging a digital twin against the
 * device. Both axes share one range, so y = x runs corner to corner. Legend entries carry each series' RMSE.
 */
public final class ScatterChart extends XYChart {


    /** Typical labels: "measured", "predicted (twin)". */
    public ScatterChart(String title, String xLabel, String yLabel) {
        super(title, xLabel, yLabel);
    }

    /** Adds a series of (measured, predicted) pairs. */
    public ScatterChart series(String name, double[] measured, double[] predicted) {
        series.add(Series.of(name, measured, predicted));
        return this;
    }

    /** The image size (default 800 x 600). */
    public ScatterChart size(int width, int height) {
        this.size = new ChartSize(width, height);
        return this;
    }

    /** Root-mean-square of predicted − measured over finite pairs. */
    public static double rmse(Series s) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (s.ok(i, false)) {
                double d = s.y()[i] - s.x()[i];
                sum += d * d;
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }
}
