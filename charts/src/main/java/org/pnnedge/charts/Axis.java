package org.pnnedge.charts;

import java.util.ArrayList;
import java.util.List;

/** A linear or log10 axis over [lo, hi] (in data units) with tick positions and labels. */
record Axis(double lo, double hi, boolean log, double[] ticks, String[] labels) {

    private static final double PAD = 0.04;

    /** Linear axis covering [min, max] plus a small margin, ~6 nice ticks. */
    static Axis linear(double min, double max) {
        if (min == max) {
            double d = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= d;
            max += d;
        }
        double span = max - min;
        double lo = min - PAD * span;
        double hi = max + PAD * span;
        double step = Render.niceStep(hi - lo, 6);
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
            t.add(Render.snap(v, step));
        }
        return build(lo, hi, false, t);
    }

    /** Log10 axis covering the positive range [min, max]; decades, plus 2× and 5× when at most three decades are shown. */
    static Axis log10(double min, double max) {
        double a = Math.log10(min);
        double b = Math.log10(max);
        if (a == b) {
            a -= 0.5;
            b += 0.5;
        }
        double span = b - a;
        double lo = Math.pow(10, a - PAD * span);
        double hi = Math.pow(10, b + PAD * span);
        List<Double> t = new ArrayList<>();
        int k0 = (int) Math.floor(Math.log10(lo));
        int k1 = (int) Math.ceil(Math.log10(hi));
        int decades = k1 - k0;
        int every = Math.max(1, (int) Math.ceil(decades / 8.0)); // thin out very wide ranges
        double[] mult = decades <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        for (int k = k0; k <= k1; k++) {
            if (mult.length == 1 && Math.floorMod(k, every) != 0) {
                continue;
            }
            for (double m : mult) {
                double v = Render.snap(m * Math.pow(10, k), Math.pow(10, k));
                if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) {
                    t.add(v);
                }
            }
        }
        if (t.size() < 2) { // within one decade: fall back to linear-style ticks, shown on the log scale
            Axis lin = linear(min, max);
            t.clear();
            for (double v : lin.ticks()) {
                if (v > 0 && v >= lo && v <= hi) {
                    t.add(v);
                }
            }
        }
        return build(lo, hi, true, t);
    }

    private static Axis build(double lo, double hi, boolean log, List<Double> t) {
        double[] ticks = new double[t.size()];
        String[] labels = new String[t.size()];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = t.get(i);
            labels[i] = Render.format(ticks[i]);
        }
        return new Axis(lo, hi, log, ticks, labels);
    }

    /** Position of v along the axis, 0 at lo and 1 at hi. */
    double frac(double v) {
        if (log) {
            return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return (v - lo) / (hi - lo);
    }
}
