package org.pnnedge.models.plot;

/**
 * Line chart of named (x, y) series, e.g. training curves:
 * <pre>{@code
 * new LineChart("Training", "epoch", "loss").logY(true)
 *     .series("train", trainLoss).series("validation", valLoss)
 *     .write(Path.of("target/loss.png"));
 * }</pre>
 * Non-finite points (and non-positive ones on a log axis) are skipped and break the line.
 */
public final class LineChart extends XYChart {

    private boolean logY;

    /** An empty chart with its title and axis labels. */
    public LineChart(String title, String xLabel, String yLabel) {
        super(title, xLabel, yLabel);
    }

    /** Adds a series; x and y must have equal, non-zero length with at least one finite point. */
    public LineChart series(String name, double[] x, double[] y) {
        series.add(Series.of(name, x, y));
        return this;
    }

    /** Adds a series against x = 1, 2, …, n (epochs). */
    public LineChart series(String name, double[] y) {
        return series(name, Series.oneBased(y), y);
    }

    /** A log10 y axis (non-positive values are skipped). */
    public LineChart logY(boolean on) {
        this.logY = on;
        return this;
    }

    /** The image size (default 800 x 600). */
    public LineChart size(int width, int height) {
        this.size = new ChartSize(width, height);
        return this;
    }

    /** Whether the y axis is log10. */
    public boolean logY() {
        return logY;
    }
}
