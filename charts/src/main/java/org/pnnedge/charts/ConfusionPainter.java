package org.pnnedge.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.pnnedge.models.plot.ConfusionMatrixChart;

/** Draws a {@link ConfusionMatrixChart} as a row-normalised heatmap with counts (and shares) in the cells. */
final class ConfusionPainter {

    private ConfusionPainter() {
    }

    /** White → deep blue (matplotlib "Blues"-like), t in [0, 1]. */
    static Color shade(double t) {
        int[][] stops = {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}};
        double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min((int) p, stops.length - 2);
        double u = p - i;
        int[] a = stops[i];
        int[] b = stops[i + 1];
        return new Color((int) Math.round(a[0] + u * (b[0] - a[0])), (int) Math.round(a[1] + u * (b[1] - a[1])),
                (int) Math.round(a[2] + u * (b[2] - a[2])));
    }

    static BufferedImage render(ConfusionMatrixChart chart) {
        String title = chart.title();
        List<String> labels = chart.labels();
        long[][] counts = chart.counts();
        int width = chart.size().width();
        int height = chart.size().height();
        int n = labels.size();
        long total = 0;
        long correct = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                total += counts[r][c];
            }
            correct += counts[r][r];
        }
        BufferedImage img = Render.newImage(width, height);
        Graphics2D g = Render.graphics(img);
        try {
            g.setFont(Render.TITLE);
            FontMetrics titleFm = g.getFontMetrics();
            int y = 12 + titleFm.getAscent();
            g.setColor(Render.TEXT);
            if (title != null && !title.isEmpty()) {
                Render.centred(g, title, width / 2.0, y);
                y += titleFm.getDescent();
            }
            g.setFont(Render.LEGEND);
            String sub = total == 0 ? "no samples"
                    : String.format(Locale.ROOT, "accuracy %.1f%% (%d of %d) · colour normalised per true class",
                            100.0 * correct / total, correct, total);
            g.setColor(new Color(0x555555));
            y += g.getFontMetrics().getAscent() + 4;
            Render.centred(g, sub, width / 2.0, y);
            int top = y + 16;

            g.setFont(Render.TICK);
            FontMetrics tm = g.getFontMetrics();
            int labelW = 0;
            for (String s : labels) {
                labelW = Math.max(labelW, tm.stringWidth(s));
            }
            g.setFont(Render.LABEL);
            int axisH = g.getFontMetrics().getHeight();
            int left = 14 + axisH + 8 + labelW + 10;
            int availW = width - left - 24;
            // column labels: horizontal if they fit in a cell, else rotated
            int cellGuess = Math.max(1, Math.min(availW, height - top - 40) / n);
            boolean rotate = labelW + 6 > cellGuess;
            int colLabelH = rotate ? labelW + 10 : tm.getHeight() + 6;
            int availH = height - top - (10 + colLabelH + axisH + 14);
            int cell = Math.max(4, Math.min(availW / n, availH / n));
            int gridW = cell * n;
            int x0 = left + (availW - gridW) / 2;
            int y0 = top;

            for (int r = 0; r < n; r++) {
                long rowSum = 0;
                for (int c = 0; c < n; c++) {
                    rowSum += counts[r][c];
                }
                for (int c = 0; c < n; c++) {
                    double frac = rowSum == 0 ? 0 : (double) counts[r][c] / rowSum;
                    g.setColor(shade(frac));
                    g.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
                    drawCellText(g, counts[r][c], frac, rowSum > 0, x0 + c * cell, y0 + r * cell, cell);
                }
            }
            g.setColor(Render.FRAME);
            g.setStroke(Render.stroke(1f));
            for (int k = 0; k <= n; k++) {
                g.drawLine(x0, y0 + k * cell, x0 + gridW, y0 + k * cell);
                g.drawLine(x0 + k * cell, y0, x0 + k * cell, y0 + gridW);
            }
            // class labels
            g.setFont(Render.TICK);
            g.setColor(Render.TEXT);
            for (int k = 0; k < n; k++) {
                String s = labels.get(k);
                double cy = y0 + k * cell + cell / 2.0;
                g.drawString(s, x0 - 8 - tm.stringWidth(s), (float) (cy + (tm.getAscent() - tm.getDescent()) / 2.0));
                double cx = x0 + k * cell + cell / 2.0;
                if (rotate) {
                    AffineTransform saved = g.getTransform();
                    g.translate(cx + (tm.getAscent() - tm.getDescent()) / 2.0, y0 + gridW + 6);
                    g.rotate(-Math.PI / 2);
                    g.drawString(s, -tm.stringWidth(s), 0);
                    g.setTransform(saved);
                } else {
                    Render.centred(g, s, cx, y0 + gridW + 6 + tm.getAscent());
                }
            }
            g.setFont(Render.LABEL);
            Render.centred(g, "predicted class", x0 + gridW / 2.0, y0 + gridW + 10 + colLabelH + g.getFontMetrics().getAscent());
            Render.vertical(g, "true class", x0 - 8 - labelW - 10 - axisH / 2.0, y0 + gridW / 2.0);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawCellText(Graphics2D g, long count, double frac, boolean hasRow, int x, int y, int cell) {
        if (cell < 14) {
            return; // too small to read; colour alone carries the information
        }
        float size = (float) Math.max(9, Math.min(22, cell * 0.28));
        String s = Long.toString(count);
        Font f = new Font(Font.SANS_SERIF, Font.BOLD, Math.round(size));
        g.setFont(f);
        while (g.getFontMetrics().stringWidth(s) > cell - 6 && g.getFont().getSize() > 8) {
            g.setFont(g.getFont().deriveFont((float) g.getFont().getSize() - 1));
        }
        g.setColor(frac > 0.5 ? Color.WHITE : Render.TEXT);
        boolean showPct = hasRow && cell >= 56;
        double cx = x + cell / 2.0;
        double cy = y + cell / 2.0;
        if (showPct) {
            Render.centredBox(g, s, cx, cy - size * 0.35);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(Math.max(9, size * 0.6f))));
            Render.centredBox(g, String.format(Locale.ROOT, "%.0f%%", 100 * frac), cx, cy + size * 0.6);
        } else {
            Render.centredBox(g, s, cx, cy);
        }
    }
}
