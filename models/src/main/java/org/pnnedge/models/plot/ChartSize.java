package org.pnnedge.models.plot;

/** The size of a chart's image in pixels, 200x150 to 10000x10000. */
public record ChartSize(int width, int height) {

    /** 800 x 600, every chart's default. */
    public static final ChartSize DEFAULT = new ChartSize(800, 600);

    /** Rejects sizes outside 200x150 … 10000x10000, naming the size. */
    public ChartSize {
        if (width < 200 || height < 150 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " outside 200x150 … 10000x10000");
        }
    }
}
