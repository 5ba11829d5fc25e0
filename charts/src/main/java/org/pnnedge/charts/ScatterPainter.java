package org.pnnedge.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pnnedge.models.plot.ScatterChart;
import org.pnnedge.models.plot.Series;

/** Draws a {@link ScatterChart}: dots sized by cloud density, the dashed y = x line, RMSE in the legend. */
final class ScatterPainter {

    private ScatterPainter() {
    }

    static BufferedImage render(ScatterChart chart) {
        String title = chart.title();
        List<Series> series = chart.series();
        int width = chart.size().width();
        int height = chart.size().height();
        String xLabel = chart.xLabel();
        String yLabel = chart.yLabel();
        if (series.isEmpty()) {
            throw new IllegalArgumentException("scatter chart '" + title + "' has no series");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (s.ok(i, false)) {
                    lo = Math.min(lo, Math.min(s.x()[i], s.y()[i]));
                    hi = Math.max(hi, Math.max(s.x()[i], s.y()[i]));
                }
            }
        }
        Axis axis = Axis.linear(lo, hi);
        BufferedImage img = Render.newImage(width, height);
        Graphics2D g = Render.graphics(img);
        try {
            XYFrame f = XYFrame.draw(g, width, height, title, xLabel, yLabel, axis, axis);
            f.clip(g);
            g.setColor(new Color(0x555555));
            g.setStroke(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_ROUND, 1f,
                    new float[] {7f, 5f}, 0f));
            g.draw(new Line2D.Double(f.px(axis.lo()), f.py(axis.lo()), f.px(axis.hi()), f.py(axis.hi())));
            int total = 0;
            for (Series s : series) {
                total += s.x().length;
            }
            // big clouds: smaller, more transparent dots so density stays visible
            double r = total > 2000 ? 2.0 : total > 300 ? 3.0 : 4.0;
            int alpha = total > 2000 ? 110 : 170;
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                Color c = Render.color(k);
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
                for (int i = 0; i < s.x().length; i++) {
                    if (s.ok(i, false)) {
                        g.fill(new Ellipse2D.Double(f.px(s.x()[i]) - r, f.py(s.y()[i]) - r, 2 * r, 2 * r));
                    }
                }
            }
            List<String> names = new ArrayList<>();
            for (Series s : series) {
                names.add(String.format(Locale.ROOT, "%s (RMSE %s)", s.name(), Render.format(Double.parseDouble(
                        String.format(Locale.ROOT, "%.3g", ScatterChart.rmse(s))))));
            }
            names.add("y = x");
            List<Series> data = series;
            f.legend(g, names, data, false, (gg, i, x, cy) -> {
                if (i < series.size()) {
                    gg.setColor(Render.color(i));
                    gg.fill(new Ellipse2D.Double(x + 14 - 5, cy - 5, 10, 10));
                } else {
                    gg.setColor(new Color(0x555555));
                    gg.setStroke(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_ROUND, 1f,
                            new float[] {7f, 5f}, 0f));
                    gg.draw(new Line2D.Double(x, cy, x + 28, cy));
                }
            });
        } finally {
            g.dispose();
        }
        return img;
    }
}
