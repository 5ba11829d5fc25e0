package org.pnnedge.models.plot;

/** One named (x, y) data series, validated and defensively copied. */
public record Series(String name, double[] x, double[] y) {

    /** Validates (a name, equal non-zero lengths, at least one finite point) and copies the arrays. */
    public static Series of(String name, double[] x, double[] y) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("series name is missing");
        }
        if (x == null || y == null) {
            throw new IllegalArgumentException("series '" + name + "': " + (x == null ? "x" : "y") + " is null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': mismatched lengths, x has " + x.length
                    + " values but y has " + y.length);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' is empty");
        }
        boolean any = false;
        for (int i = 0; i < x.length && !any; i++) {
            any = Double.isFinite(x[i]) && Double.isFinite(y[i]);
        }
        if (!any) {
            throw new IllegalArgumentException("series '" + name + "' has no finite points (all NaN or infinite)");
        }
        return new Series(name, x.clone(), y.clone());
    }

    /** x = 1, 2, …, n: epochs. */
    static double[] oneBased(double[] y) {
        if (y == null) {
            return null;
        }
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** Whether point i is drawable: both finite, and y positive on a log axis. */
    public boolean ok(int i, boolean logY) {
        return Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0);
    }
}
