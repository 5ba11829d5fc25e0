package org.pnnedge.models.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Line chart of named (x, y) series, e.g. training curves:
 * <pre>{@code
 * new LineChart("Training", "epoch", "loss").logY(true)
 *     .series("train", trainLoss).series("validation", valLoss)
 *     .write(Path.of("target/loss.png"));
 * }</pre>
 * Non-finite points (and non-positive ones on a log axis) are skipped and break the line.
 */
public final class LineChart implements Chart {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    private int width = 800;
    private int height = 600;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
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

    public LineChart logY(boolean on) {
        this.logY = on;
        return this;
    }

    public LineChart size(int width, int height) {
        Render.checkSize(width, height);
        this.width = width;
        this.height = height;
        return this;
    }

    @Override
    public BufferedImage render() {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("line chart '" + title + "' has no series");
        }
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            boolean any = false;
            for (int i = 0; i < s.x().length; i++) {
                if (s.ok(i, logY)) {
                    any = true;
                    x0 = Math.min(x0, s.x()[i]);
                    x1 = Math.max(x1, s.x()[i]);
                    y0 = Math.min(y0, s.y()[i]);
                    y1 = Math.max(y1, s.y()[i]);
                }
            }
            if (!any && logY) {
                throw new IllegalArgumentException("series '" + s.name() + "' has no positive finite y values for a log axis");
            }
        }
        Axis ax = Axis.linear(x0, x1);
        Axis ay = logY ? Axis.log10(y0, y1) : Axis.linear(y0, y1);
        BufferedImage img = Render.newImage(width, height);
        Graphics2D g = Render.graphics(img);
        try {
            XYFrame f = XYFrame.draw(g, width, height, title, xLabel, yLabel, ax, ay);
            f.clip(g);
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                Color c = Render.color(k);
                g.setColor(c);
                g.setStroke(Render.stroke(2.2f));
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                for (int i = 0; i < s.x().length; i++) {
                    if (!s.ok(i, logY)) {
                        pen = false;
                        continue;
                    }
                    double px = f.px(s.x()[i]);
                    double py = f.py(s.y()[i]);
                    if (pen) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        pen = true;
                    }
                }
                g.draw(path);
                if (s.x().length <= 60) { // markers only where they stay readable
                    for (int i = 0; i < s.x().length; i++) {
                        if (s.ok(i, logY)) {
                            g.fill(new Ellipse2D.Double(f.px(s.x()[i]) - 3.5, f.py(s.y()[i]) - 3.5, 7, 7));
                        }
                    }
                }
            }
            List<String> names = new ArrayList<>();
            series.forEach(s -> names.add(s.name()));
            f.legend(g, names, series, logY, (gg, i, x, cy) -> {
                gg.setColor(Render.color(i));
                gg.setStroke(Render.stroke(2.5f));
                gg.draw(new Line2D.Double(x, cy, x + 28, cy));
            });
        } finally {
            g.dispose();
        }
        return img;
    }
}
