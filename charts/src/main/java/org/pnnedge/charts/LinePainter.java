package org.pnnedge.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.pnnedge.models.plot.LineChart;
import org.pnnedge.models.plot.Series;

/** Draws a {@link LineChart}: lines with markers (up to 60 points), gaps at skipped points, a legend. */
final class LinePainter {

    private LinePainter() {
    }

    static BufferedImage render(LineChart chart) {
        String title = chart.title();
        List<Series> series = chart.series();
        boolean logY = chart.logY();
        int width = chart.size().width();
        int height = chart.size().height();
        String xLabel = chart.xLabel();
        String yLabel = chart.yLabel();
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
