package org.pnnedge.models.pnn;

import java.util.SplittableRandom;

/**
 * Training-time augmentation for image features: each training sample is shifted by a random whole number of
 * pixels in x and y (up to {@code maxShift}), the uncovered border filled with the image's own minimum (its
 * background). A digit moved by a pixel or two is the same digit, so the network cannot memorise pixel positions of
 * the 8,000 training digits; the held-out digits are never shifted.
 *
 * @param width    image width in pixels (features are row-major, width × height of them)
 * @param height   image height in pixels
 * @param maxShift largest shift in each direction, pixels
 */
public record ImageShift(int width, int height, int maxShift) {
    public ImageShift {
        if (width < 1 || height < 1 || maxShift < 0 || maxShift >= Math.min(width, height)) {
            throw new IllegalArgumentException("image shift needs a width and height ≥ 1 and a shift below both, got "
                    + width + "×" + height + " ± " + maxShift);
        }
    }

    /** Writes a shifted copy of {@code in} into {@code out} (both width × height long). */
    public void apply(double[] in, double[] out, SplittableRandom random) {
        int dx = random.nextInt(2 * maxShift + 1) - maxShift;
        int dy = random.nextInt(2 * maxShift + 1) - maxShift;
        double fill = Double.POSITIVE_INFINITY;
        for (double v : in) {
            fill = Math.min(fill, v);
        }
        for (int y = 0; y < height; y++) {
            int sy = y - dy;
            for (int x = 0; x < width; x++) {
                int sx = x - dx;
                out[y * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? in[sy * width + sx] : fill;
            }
        }
    }

    /** "28x28:2" → 28 × 28 pixels, shifts up to 2. */
    public static ImageShift parse(String spec) {
        try {
            String[] wh = spec.split(":");
            String[] size = wh[0].split("x");
            return new ImageShift(Integer.parseInt(size[0].trim()), Integer.parseInt(size[1].trim()),
                    Integer.parseInt(wh[1].trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("an image shift is WIDTHxHEIGHT:PIXELS such as 28x28:2, got '" + spec
                    + "'");
        }
    }
}
