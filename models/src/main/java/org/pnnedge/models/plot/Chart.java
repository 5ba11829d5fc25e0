package org.pnnedge.models.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A chart's content (title, labels, data, image size), validated when it is built. Drawing is left to a
 * {@link ChartRenderer} found on the class path, so code that runs on the Pi carries no drawing code.
 *
 * <p>Input problems (empty series, nothing finite, mismatched lengths, …) raise
 * {@link IllegalArgumentException} naming the series and the problem, at the call that introduces them or
 * when rendering for problems that depend on several settings (e.g. a log axis without positive values).
 */
public sealed interface Chart permits XYChart, ConfusionMatrixChart {

    /** The chart's title (may be empty). */
    String title();

    /** The image size. */
    ChartSize size();

    /** The chart renderer on the class path, if any (the {@code charts} module; not on the Pi). */
    static Optional<ChartRenderer> renderer() {
        return ServiceLoader.load(ChartRenderer.class, Chart.class.getClassLoader()).findFirst();
    }

    /** Whether {@link #write} can draw here. */
    static boolean canRender() {
        return renderer().isPresent();
    }

    /**
     * Renders and writes a PNG, creating parent directories.
     *
     * @throws IllegalStateException when no renderer is on the class path, saying where it comes from
     */
    default void write(Path file) {
        ChartRenderer r = renderer().orElseThrow(() -> new IllegalStateException("cannot write chart " + file
                + ": no chart renderer on the class path (the charts module is an offline tool: ./pnn adds"
                + " runtime/target/tools-lib; the Pi's runtime lib does not carry it)"));
        try {
            r.writePng(this, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart to " + file, e);
        }
    }
}
