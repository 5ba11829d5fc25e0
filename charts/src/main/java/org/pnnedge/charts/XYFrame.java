package org.pnnedge.charts;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.util.List;
import org.pnnedge.models.plot.Series;

/** Plot area, axes, grid, title and legend shared by the line and scatter charts. */
final class XYFrame {

    final Axis x;
    final Axis y;
    final int left;
    final int top;
    final int right;
    final int bottom;

    private XYFrame(Axis x, Axis y, int left, int top, int right, int bottom) {
        this.x = x;
        this.y = y;
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
    }

    /** Lays out margins from the actual label sizes and draws everything but the data. */
    static XYFrame draw(Graphics2D g, int w, int h, String title, String xLabel, String yLabel, Axis x, Axis y) {
        g.setFont(Render.TICK);
        FontMetrics tm = g.getFontMetrics();
        int tickW = 0;
        for (String s : y.labels()) {
            tickW = Math.max(tickW, tm.stringWidth(s));
        }
        g.setFont(Render.TITLE);
        int titleH = title == null || title.isEmpty() ? 12 : g.getFontMetrics().getHeight() + 18;
        g.setFont(Render.LABEL);
        int labelH = g.getFontMetrics().getHeight();
        int left = 14 + (yLabel == null || yLabel.isEmpty() ? 0 : labelH + 8) + tickW + 10;
        int top = titleH;
        int right = w - 28;
        int bottom = h - (14 + (xLabel == null || xLabel.isEmpty() ? 0 : labelH + 6) + tm.getHeight() + 8);
        XYFrame f = new XYFrame(x, y, left, top, right, bottom);

        if (title != null && !title.isEmpty()) {
            g.setFont(Render.TITLE);
            g.setColor(Render.TEXT);
            Render.centred(g, title, (left + right) / 2.0, 12 + g.getFontMetrics().getAscent());
        }
        // grid + ticks
        g.setFont(Render.TICK);
        g.setStroke(Render.stroke(1f));
        for (int i = 0; i < x.ticks().length; i++) {
            double px = f.px(x.ticks()[i]);
            g.setColor(Render.GRID);
            g.draw(new Line2D.Double(px, top, px, bottom));
            g.setColor(Render.TEXT);
            Render.centred(g, x.labels()[i], px, bottom + 6 + tm.getAscent());
        }
        for (int i = 0; i < y.ticks().length; i++) {
            double py = f.py(y.ticks()[i]);
            g.setColor(Render.GRID);
            g.draw(new Line2D.Double(left, py, right, py));
            g.setColor(Render.TEXT);
            String s = y.labels()[i];
            g.drawString(s, left - 8 - tm.stringWidth(s), (float) (py + (tm.getAscent() - tm.getDescent()) / 2.0));
        }
        g.setColor(Render.FRAME);
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(Render.LABEL);
        g.setColor(Render.TEXT);
        if (xLabel != null && !xLabel.isEmpty()) {
            Render.centred(g, xLabel, (left + right) / 2.0, h - 14 - g.getFontMetrics().getDescent());
        }
        if (yLabel != null && !yLabel.isEmpty()) {
            Render.vertical(g, yLabel, 14 + labelH / 2.0, (top + bottom) / 2.0);
        }
        return f;
    }

    double px(double v) {
        return left + x.frac(v) * (right - left);
    }

    double py(double v) {
        return bottom - y.frac(v) * (bottom - top);
    }

    void clip(Graphics2D g) {
        g.setClip(left, top, right - left + 1, bottom - top + 1);
    }

    /** Legend entry drawer: swatch at (x, cy). */
    interface Swatch {
        void draw(Graphics2D g, int index, int x, int cy);
    }

    /**
     * Draws a legend in the plot-area corner that covers the fewest data points, so it rarely hides a
     * curve (loss curves fall to the bottom right, accuracy curves rise to the top right).
     */
    void legend(Graphics2D g, List<String> names, List<Series> data, boolean logY, Swatch swatch) {
        g.setClip(null);
        g.setFont(Render.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        int textW = 0;
        for (String n : names) {
            textW = Math.max(textW, fm.stringWidth(n));
        }
        int row = fm.getHeight() + 4;
        int bw = 12 + 28 + 8 + textW + 12;
        int bh = 8 + row * names.size() + 4;
        int m = 10;
        Rectangle[] corners = {
            new Rectangle(right - m - bw, top + m, bw, bh), new Rectangle(left + m, top + m, bw, bh),
            new Rectangle(right - m - bw, bottom - m - bh, bw, bh), new Rectangle(left + m, bottom - m - bh, bw, bh),
        };
        Rectangle best = corners[0];
        long bestCount = Long.MAX_VALUE;
        for (Rectangle r : corners) {
            long c = 0;
            for (Series s : data) {
                for (int i = 0; i < s.x().length; i++) {
                    if (s.ok(i, logY) && r.contains(px(s.x()[i]), py(s.y()[i]))) {
                        c++;
                    }
                }
            }
            if (c < bestCount) {
                bestCount = c;
                best = r;
            }
        }
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRoundRect(best.x, best.y, best.width, best.height, 8, 8);
        g.setColor(new Color(0xBBBBBB));
        g.setStroke(Render.stroke(1f));
        g.drawRoundRect(best.x, best.y, best.width, best.height, 8, 8);
        for (int i = 0; i < names.size(); i++) {
            int cy = best.y + 8 + row * i + row / 2 - 2;
            swatch.draw(g, i, best.x + 12, cy);
            g.setColor(Render.TEXT);
            g.drawString(names.get(i), best.x + 12 + 28 + 8, cy + (fm.getAscent() - fm.getDescent()) / 2);
        }
    }
}
