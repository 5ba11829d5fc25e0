package org.pnnedge.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Shared drawing helpers: image setup, fonts, palette, nice axes, text. */
final class Render {

    static {
        // Charts are produced on servers and Pis without a display; never try to open one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final Color TEXT = new Color(0x22, 0x22, 0x22);
    static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    static final Color FRAME = new Color(0x88, 0x88, 0x88);

    /** Tableau 10: distinguishable, colour-blind-friendlier than AWT's primaries. */
    static final Color[] PALETTE = {
        new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF),
    };

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private Render() {
    }

    static BufferedImage newImage(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static void centred(Graphics2D g, String s, double cx, double baselineY) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) baselineY);
    }

    /** Text centred on (cx, cy) both ways. */
    static void centredBox(Graphics2D g, String s, double cx, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Text rotated 90° counter-clockwise, centred on (cx, cy). */
    static void vertical(Graphics2D g, String s, double cx, double cy) {
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(-Math.PI / 2);
        centredBox(g, s, 0, 0);
        g.setTransform(saved);
    }

    static BasicStroke stroke(float w) {
        return new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    // ------------------------------------------------------------------ ticks and labels

    /** A "nice" step (1, 2, 2.5, 5 × 10^k) giving roughly {@code target} intervals over {@code span}. */
    static double niceStep(double span, int target) {
        double raw = span / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
        return nice * mag;
    }

    /** Short, exact-looking label: plain decimals for moderate magnitudes, 1.5e-6 style otherwise. */
    static String format(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            return d.toPlainString();
        }
        int exp = d.precision() - d.scale() - 1;
        BigDecimal mant = d.movePointLeft(exp).stripTrailingZeros();
        return mant.toPlainString() + "e" + exp;
    }

    /** Tick value rounded to the step's precision, so 0.30000000000000004 prints as 0.3. */
    static double snap(double v, double step) {
        double q = Math.pow(10, Math.floor(Math.log10(step)) - 2);
        double r = Math.round(v / q) * q;
        return Math.abs(r) < step * 1e-9 ? 0.0 : Double.parseDouble(String.format(Locale.ROOT, "%.12g", r));
    }
}
