package org.pnnedge.models.plot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Draws a {@link Chart} as a PNG: the service interface ({@code java.util.ServiceLoader}) that the {@code charts}
 * module implements. Present with {@code ./pnn} (runtime/target/tools-lib) and in tests; absent from the Pi's
 * runtime lib, where {@link Chart#renderer()} is empty.
 */
public interface ChartRenderer {

    /**
     * Renders and writes a PNG, creating parent directories.
     *
     * @throws IllegalArgumentException for data problems that depend on several settings (no series, a log axis
     *                                  without positive values), naming the series and the problem
     */
    void writePng(Chart chart, Path file) throws IOException;
}
